"""Flag definition files: flagd flag definitions, LaunchDarkly file data and
Unleash feature exports (read in :mod:`.unleash`).

Parsed with the real libraries (json, PyYAML). Each flag becomes a
:class:`FlagDefinition` saying whether the file can ever turn it on:

* flagd (``{"flags": {key: {"state", "variants", "defaultVariant", "targeting"}}}``):
  a ``DISABLED`` flag is not served (the code's default applies); an enabled
  flag with targeting is live when some variant is on; without targeting it
  is its default variant.
* LaunchDarkly file data (``flags`` with full flag objects, ``flagValues``
  with plain values): a flag that is off serves its ``offVariation`` (or the
  code's default when it has none); an on flag with targets or rules is live
  when some variation is on; otherwise it serves its fallthrough (a variation
  or a rollout).

"On" means a value that is true in Python: ``true``, a non-zero number, a
non-empty string or container.

A file that cannot be read or has the wrong shape is a problem naming the
file and what is wrong, never an exception.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

#: what a definition says
ON = "on"  # on for everyone
OFF = "off"  # served, and off for everyone
LIVE = "live"  # targeting or rules can turn it on
FALLBACK = "fallback"  # not served: the code's default applies

FORMAT_FLAGD = "flagd"
FORMAT_LAUNCHDARKLY = "launchdarkly"
FORMAT_UNLEASH = "unleash"
FORMAT_DJANGO_FLAGS = "django-flags"

#: which SDK providers read the flags of each format
PROVIDERS_OF = {
    FORMAT_FLAGD: ("openfeature",),
    FORMAT_LAUNCHDARKLY: ("launchdarkly",),
    FORMAT_UNLEASH: ("unleash",),
    FORMAT_DJANGO_FLAGS: ("django-flags",),
}


@dataclass(frozen=True)
class FlagDefinition:
    key: str
    state: str  # ON / OFF / LIVE / FALLBACK
    why: str  # for messages: "state is DISABLED", "default variant 'off' is false"
    format: str
    path: str
    line: int

    @property
    def providers(self) -> Tuple[str, ...]:
        return PROVIDERS_OF[self.format]


class SourceError(Exception):
    """A flag source with the wrong shape."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def parse_flag_file(path: Path, display: str) -> Tuple[List[FlagDefinition], Optional[Tuple[str, int]]]:
    """(definitions, problem): problem is (what is wrong, line), or None."""
    from .reading import read_source_text

    try:
        text = read_source_text(path, "flags")
    except FileNotFoundError:
        return [], ("flag source not found", 1)
    except IsADirectoryError:
        return [], ("flag source is a directory, not a file", 1)
    except (OSError, ValueError) as error:  # ValueError: undecodable, or a NUL byte in the path
        return [], (f"cannot read flag source: {error}", 1)
    try:
        data = _load(text, path.suffix.lower())
    except SourceError as error:
        return [], (str(error), error.line)
    except RecursionError:
        return [], ("flag source too deeply nested", 1)
    try:
        return _definitions(data, text, display), None
    except SourceError as error:
        return [], (f"not a flag file: {error}", error.line)
    except (TypeError, ValueError, AttributeError, RecursionError) as error:  # a shape no check above foresaw
        return [], (f"not a flag file: unexpected shape ({type(error).__name__})", 1)


def _load(text: str, suffix: str):
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise SourceError(f"invalid JSON: {error.msg}", error.lineno) from None
        except ValueError as error:
            raise SourceError(f"invalid JSON: {error}") from None
    import yaml

    from .bounded_yaml import YAMLBudgetError, load

    try:
        return load(text)
    except YAMLBudgetError as error:
        raise SourceError(str(error), error.line) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise SourceError(f"invalid YAML: {getattr(error, 'problem', None) or error}", line) from None


_EXPECTED = "'flags' or 'flagValues' (flagd, LaunchDarkly) or 'features' (Unleash) at the top"


def _definitions(data, text: str, display: str) -> List[FlagDefinition]:
    from .unleash import is_unleash, unleash_definitions

    if not isinstance(data, dict):
        raise SourceError(f"expected a mapping with {_EXPECTED}")
    if is_unleash(data):
        return unleash_definitions(data, text, display)
    flags = data.get("flags", {})
    values = data.get("flagValues", {})
    if "flags" not in data and "flagValues" not in data:
        raise SourceError(f"expected {_EXPECTED}")
    if not isinstance(flags, dict) or not isinstance(values, dict):
        raise SourceError("'flags' and 'flagValues' must be mappings of key to flag")
    lines = _KeyLines(text)
    found = []
    for key, flag in flags.items():
        if not isinstance(flag, dict):
            raise SourceError(f"flag {key!r} must be a mapping")
        if _is_flagd(flag):
            state, why = _flagd_state(key, flag)
            kind = FORMAT_FLAGD
        else:
            state, why = _launchdarkly_state(key, flag)
            kind = FORMAT_LAUNCHDARKLY
        found.append(FlagDefinition(str(key), state, why, kind, display, lines.line(str(key))))
    for key, value in values.items():
        state = ON if _on(value) else OFF
        found.append(
            FlagDefinition(
                str(key), state, f"its value is {_show(value)}", FORMAT_LAUNCHDARKLY, display, lines.line(str(key))
            )
        )
    return found


def _loader():
    """PyYAML's safe loader with YAML 1.2 booleans: only true/false are bools.

    YAML 1.1 reads ``on``, ``off``, ``yes`` and ``no`` as booleans, which
    would turn LaunchDarkly's ``on:`` key and flagd's ``on``/``off`` variant
    names into ``True``/``False``."""
    import re as _re

    import yaml

    global _LOADER
    if _LOADER is None:

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        Loader.add_implicit_resolver(
            "tag:yaml.org,2002:bool", _re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
        )
        _LOADER = Loader
    return _LOADER


_LOADER: Optional[type] = None


def _show(value) -> str:
    """A value as JSON for messages (short; never fails on odd YAML)."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _is_flagd(flag: dict) -> bool:
    return "state" in flag or "variants" in flag or "defaultVariant" in flag


def _on(value) -> bool:
    return bool(value)


def _flagd_state(key, flag: dict) -> Tuple[str, str]:
    state = flag.get("state", "ENABLED")
    variants = flag.get("variants", {})
    if not isinstance(variants, dict):
        raise SourceError(f"flag {key!r}: 'variants' must be a mapping")
    if state == "DISABLED":
        return FALLBACK, "its state is DISABLED"
    if state != "ENABLED":
        raise SourceError(f"flag {key!r}: 'state' must be ENABLED or DISABLED, not {state!r}")
    if flag.get("targeting"):
        if any(_on(value) for value in variants.values()):
            return LIVE, "its targeting can serve a variant that is on"
        return OFF, "no variant is on"
    default = flag.get("defaultVariant")
    if not isinstance(default, str) or default not in variants:
        return FALLBACK, f"its default variant {default!r} is not one of its variants"
    if _on(variants[default]):
        return ON, f"its default variant {default!r} is on and it has no targeting"
    return OFF, f"its default variant {default!r} is {_show(variants[default])} and it has no targeting"


def _launchdarkly_state(key, flag: dict) -> Tuple[str, str]:
    variations = flag.get("variations", [])
    if not isinstance(variations, list):
        raise SourceError(f"flag {key!r}: 'variations' must be a list")

    def value(index) -> Tuple[bool, object]:
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(variations):
            return True, variations[index]
        return False, None

    if not flag.get("on", False):
        known, served = value(flag.get("offVariation"))
        if not known:
            return FALLBACK, "it is off and has no off variation"
        return (
            (ON, "it is off, but its off variation is on")
            if _on(served)
            else (OFF, f"it is off and serves {_show(served)}")
        )
    if flag.get("targets") or flag.get("contextTargets") or flag.get("rules") or flag.get("prerequisites"):
        if any(_on(item) for item in variations):
            return LIVE, "its targets or rules can serve a variation that is on"
        return OFF, "no variation is on"
    fallthrough = flag.get("fallthrough", {})
    if not isinstance(fallthrough, dict):
        raise SourceError(f"flag {key!r}: 'fallthrough' must be a mapping")
    if "rollout" in fallthrough:
        rollout = fallthrough.get("rollout") or {}
        weights = rollout.get("variations", []) if isinstance(rollout, dict) else None
        if not isinstance(weights, list):
            raise SourceError(f"flag {key!r}: 'fallthrough.rollout.variations' must be a list")
        served = [
            value(item.get("variation"))[1] for item in weights if isinstance(item, dict) and item.get("weight", 0)
        ]
        if any(_on(item) for item in served):
            return LIVE, "its rollout serves a variation that is on"
        return OFF, "its rollout serves no variation that is on"
    known, served = value(fallthrough.get("variation"))
    if not known:
        return FALLBACK, "it has no fallthrough variation"
    if _on(served):
        return ON, "it is on for everyone"
    return OFF, f"it serves {_show(served)} to everyone"


class _KeyLines:
    """Line of a flag key in the file's text (first mention as a mapping
    key), for findings. One pass over the text, whatever the number of flags."""

    _QUOTED = re.compile(r"""["']([^"'\n]+)["']\s*:""")
    _BARE = re.compile(r"""^\s*([^\s:#'"{}\[\],-][^\s:#'"{}\[\],]*)\s*:""")

    def __init__(self, text: str) -> None:
        self.quoted: Dict[str, int] = {}
        self.bare: Dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), 1):
            for match in self._QUOTED.finditer(line):
                self.quoted.setdefault(match.group(1), number)
            bare = self._BARE.match(line)
            if bare:
                self.bare.setdefault(bare.group(1), number)

    def line(self, key: str) -> int:
        return self.quoted.get(key) or self.bare.get(key) or 1


def load_flag_files(
    paths: List[Tuple[Path, str]],
) -> Tuple[Dict[str, List[FlagDefinition]], List[Tuple[str, str, int]]]:
    """(key -> definitions, problems as (display path, message, line))."""
    definitions: Dict[str, List[FlagDefinition]] = {}
    problems = []
    for path, display in paths:
        found, problem = parse_flag_file(path, display)
        if problem is not None:
            problems.append((display, *problem))
        for definition in found:
            definitions.setdefault(definition.key, []).append(definition)
    return definitions, problems

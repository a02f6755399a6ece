"""Flag definition files of flagd and LaunchDarkly (Unleash's are read in
:mod:`.unleash`; :mod:`.load` reads the file, JSON or YAML, and picks the format).

Each flag becomes a :class:`~.model.FlagDefinition` saying whether the file
can ever turn it on:

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
from typing import Dict, List, Tuple

from .model import FALLBACK, FORMAT_FLAGD, FORMAT_LAUNCHDARKLY, LIVE, OFF, ON, FlagDefinition, SourceError


def is_flag_data(data: dict) -> bool:
    """``flags`` (flagd, LaunchDarkly) or ``flagValues`` (LaunchDarkly) at the top."""
    return "flags" in data or "flagValues" in data


def definitions(data: dict, text: str, display: str) -> List[FlagDefinition]:
    """The flags of a flagd or LaunchDarkly file (``data``, parsed from
    ``text``); :class:`~.model.SourceError` for the wrong shape."""
    flags = data.get("flags", {})
    values = data.get("flagValues", {})
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

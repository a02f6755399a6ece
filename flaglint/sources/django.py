"""django-flags ``FLAGS`` in Django settings, and flags read in templates.

Settings are Python: read with :mod:`ast` and :func:`ast.literal_eval`, never
imported. Settings modules are found by name (``settings.py``, any module of
a ``settings/`` package) or named in ``flag-sources``. A found module counts
only when the project's settings mention the ``flags`` app (``"flags"`` in
``INSTALLED_APPS``, or a ``flags.`` path such as ``FLAG_SOURCES``): a
``FLAGS`` constant of another library is not django-flags'.

What django-flags 5.2 does (``flags/sources.py``): a flag's conditions are
the ``FLAGS`` setting's, *plus* those stored in the database (``FlagState``
rows, edited in the admin), because the default ``FLAG_SOURCES`` is
``SettingsFlagsSource`` and ``DatabaseFlagsSource``. So settings alone decide
a flag only when ``FLAG_SOURCES`` is set to the settings source alone; then:

* a flag without conditions is off;
* a ``boolean`` condition is its value (strings read like django-flags'
  ``strtobool``: ``"true"``, ``"on"``, ``"1"``...); any other condition
  (``parameter``, ``path matches``, ``user``, ``after date``, a custom one)
  depends on the request or the date: live;
* the flag is on when any non-required condition is true (or there is none)
  and every required one is true, exactly as ``Flag.check_state``.

Otherwise every flag in ``FLAGS`` is live (the admin can turn it on), and
the definitions still serve FL005. A ``FLAGS`` that is not a literal, or is
changed in a way we cannot follow (``FLAGS.update(other)``,
``FLAGS |= ...``), makes every flag live.

Which module is the settings module: :func:`named_settings` reads the
``DJANGO_SETTINGS_MODULE`` that test and tox configuration names
(``pytest.ini``, ``setup.cfg``, ``tox.ini``, ``pyproject.toml``); the graph
joins ``settings.X`` to it (:mod:`flaglint.graph.django_settings`).

Templates (``{% flag_enabled "X" %}``, Jinja2 ``flag_enabled("X")``) read
flags outside Python: recorded in ``Sources.outside_reads`` so that FL005 does
not call such a flag unused.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from ..keys import sdk_key
from ..quiet import user_code
from .model import FORMAT_DJANGO_FLAGS, LIVE, OFF, ON, FlagDefinition, Sources
from .reading import LIMITS, read_source_text

SETTINGS_SOURCE = "flags.sources.SettingsFlagsSource"
_TRUE = ("y", "yes", "t", "true", "on", "1")
_FALSE = ("n", "no", "f", "false", "off", "0")
_TEMPLATE_READ = re.compile(
    r"""\bflag_(?:enabled|disabled)\s*(?:\(\s*)?["']([^"'\n]+)["']"""
)  # no \s*\(?\s*: quadratic
#: templates larger than this are not read (1 MB)
MAX_TEMPLATE_BYTES = LIMITS["template"]
#: ``DJANGO_SETTINGS_MODULE = proj.settings`` (pytest-django's ini option, a
#: tox ``setenv`` line, ``"proj.settings"`` quoted in TOML) or pytest-django's
#: ``--ds=proj.settings``: a literal dotted name only (``{env:X}`` is none)
_NAMED_SETTINGS = re.compile(
    # ``--ds=x.y`` / ``--ds x.y`` in addopts; in pyproject also inside a
    # string (``addopts = "--ds=x.y"``) or as list items (``["--ds", "x.y"]``)
    r"""(?:^[ \t]*(?:setenv[ \t]*=[ \t]*)?DJANGO_SETTINGS_MODULE[ \t]*=[ \t]*|--ds(?:[= ]|["'][ \t]*,)[ \t]*)"""
    r"""(["']?)([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\1(?=[ \t]*(?:[#;].*)?$|[ \t]+-|["',\]])""",
    re.MULTILINE,
)
#: read-only methods of a dict: calling them does not change FLAGS
_READS = frozenset({"get", "items", "keys", "values", "copy", "__contains__"})


class ShapeError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class SettingsModule:
    """What one settings module says."""

    display: str
    mentions_app: bool = False
    #: (key, conditions as a Python value, line); conditions None: unknown
    flags: List[Tuple[str, object, int]] = field(default_factory=list)
    #: FLAG_SOURCES values found: a tuple of strings, or None when not a literal
    flag_sources: List[Optional[tuple]] = field(default_factory=list)
    opaque: Optional[int] = None  # line where FLAGS changes in a way we cannot follow
    problem: Optional[Tuple[str, int]] = None


def read_settings(text: str, display: str) -> Optional[SettingsModule]:
    """None when the file is not Python (the Python analysis reports that)."""
    try:
        with user_code():
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    module = SettingsModule(display)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            module.mentions_app |= node.value == "flags" or node.value.startswith("flags.")
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            _assignment(module, node)
        elif isinstance(node, ast.Call) and _is_flags(getattr(node.func, "value", None)):
            _method_call(module, node)
    return module


def _is_flags(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "FLAGS"


def _assignment(module: SettingsModule, node) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        if isinstance(target, ast.Name) and target.id == "FLAG_SOURCES" and node.value is not None:
            module.flag_sources.append(_literal_strings(node.value))
        if isinstance(node, ast.AugAssign) and (_is_flags(target) or _is_flags(getattr(target, "value", None))):
            module.opaque = module.opaque or node.lineno
        elif _is_flags(target) and node.value is not None:
            _flags_value(module, node.value)
        elif isinstance(target, ast.Subscript) and _is_flags(target.value):
            key = _literal(target.slice)
            if isinstance(key, str):
                module.flags.append((key, _literal(node.value, None), target.lineno))
            else:
                module.opaque = module.opaque or node.lineno
        elif isinstance(target, (ast.Tuple, ast.List)) and any(_is_flags(item) for item in ast.walk(target)):
            module.opaque = module.opaque or node.lineno


def _method_call(module: SettingsModule, node: ast.Call) -> None:
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    if method in _READS:
        return
    if method == "update" and len(node.args) == 1 and not node.keywords:
        _flags_value(module, node.args[0])
        return
    module.opaque = module.opaque or node.lineno


def _flags_value(module: SettingsModule, value: ast.expr) -> None:
    """``FLAGS = {...}`` or ``FLAGS.update({...})``: one entry per key, with
    the line of the key."""
    keys = [key for key in value.keys if key is not None] if isinstance(value, ast.Dict) else []
    if not isinstance(value, ast.Dict) or len(keys) != len(value.keys):  # not a dict, or ``**other`` in it
        module.opaque = module.opaque or value.lineno
        return
    for key_node, conditions in zip(keys, value.values):
        key = _literal(key_node)
        if not isinstance(key, str):
            module.opaque = module.opaque or key_node.lineno
            continue
        module.flags.append((key, _literal(conditions, None), key_node.lineno))


_NOT_LITERAL = object()


def _literal(node, default=_NOT_LITERAL):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return default


def _literal_strings(node) -> Optional[tuple]:
    value = _literal(node, None)
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


# ------------------------------------------------------------ conditions


def _conditions(key: str, conditions, line: int) -> List[Tuple[str, object, bool]]:
    """(name, value, required) of each condition, as SettingsFlagsSource reads them."""
    if not isinstance(conditions, (list, tuple)):
        raise ShapeError(f"FLAGS[{key!r}] must be a list of conditions, not {type(conditions).__name__}", line)
    read = []
    for condition in conditions:
        if isinstance(condition, dict) and "condition" in condition and "value" in condition:
            read.append((condition["condition"], condition["value"], bool(condition.get("required", False))))
        elif isinstance(condition, (list, tuple)) and len(condition) in (2, 3):
            read.append((condition[0], condition[1], bool(condition[2]) if len(condition) == 3 else False))
        else:
            raise ShapeError(
                f"FLAGS[{key!r}]: a condition must be a dict with 'condition' and 'value', or a "
                f"(condition, value[, required]) tuple, not {_short(condition)}",
                line,
            )
    return read


def _boolean(value, key: str, line: int) -> bool:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ShapeError(f"FLAGS[{key!r}]: boolean condition value {value!r} is not a truth value", line)
    return bool(value)


def state_of(key: str, conditions, line: int) -> Tuple[str, str]:
    """(state, why) of a flag from its settings conditions alone."""
    read = _conditions(key, conditions, line)
    if not read:
        return OFF, "it has no conditions"
    values = []  # (required, True / False / None for "depends")
    for name, value, required in read:
        values.append((required, _boolean(value, key, line) if name == "boolean" else None))
    optional = [value for required, value in values if not required]
    needed = [value for required, value in values if required]
    state = _and(_any(optional) if optional else True, _all(needed))
    if state is True:
        return ON, "its boolean conditions are true"
    if state is False:
        return OFF, "its conditions are false"
    dynamic = sorted({name for name, _, _ in read if name != "boolean"})
    return LIVE, f"its condition {', '.join(map(repr, dynamic))} depends on the request or the date"


def _any(values):
    return True if True in values else (False if all(value is False for value in values) else None)


def _all(values):
    return False if False in values else (True if all(value is True for value in values) else None)


def _and(left, right):
    if left is False or right is False:
        return False
    return True if left is True and right is True else None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# ------------------------------------------------------------------ load


def named_settings(text: str) -> List[Tuple[str, int]]:
    """(module, line) for each settings module a test or tox configuration
    file names in ``DJANGO_SETTINGS_MODULE`` (or ``--ds``), in file order."""
    return [
        (match.group(2), text.count("\n", 0, match.start(2)) + 1)
        for match in _NAMED_SETTINGS.finditer(text)
        if len(match.group(2)) <= 200
    ]


def load_named_settings(sources: Sources, found: List[Tuple[Path, str]]) -> None:
    """Add the settings modules the configuration files ``found`` (path,
    display) name to ``sources.settings_names``. Such a file is read for
    this alone, not as a flag source: one that cannot be read names
    nothing, and is no problem of the project's flags."""
    for path, display in found:
        try:
            text = read_source_text(path, "settings")
        except (OSError, ValueError):  # ValueError: undecodable, or a NUL byte in the path
            continue
        for module, line in named_settings(text):
            sources.settings_names.append((module, display, line))


def load_django(
    sources: Sources,
    named: List[Tuple[Path, str]],
    found: List[Tuple[Path, str]],
    templates: List[Path],
    show: Callable[[Path], str],
) -> None:
    """Add the django-flags definitions of the settings modules (``named``
    in flag-sources: always read; ``found`` by name: read when the project
    uses the flags app) and the reads in templates to ``sources``. ``show``
    turns a path into its display path."""
    read: List[Tuple[SettingsModule, bool]] = []  # (module, named in flag-sources)
    named_displays = {display for _, display in named}
    for path, display in [*named, *[item for item in found if item[1] not in named_displays]]:
        try:
            text = read_source_text(path, "settings")
        except FileNotFoundError:
            if display in named_displays:
                sources.problems.append((display, "flag source not found", 1))
            continue
        except (OSError, ValueError) as error:  # ValueError: undecodable, or a NUL byte in the path
            if display in named_displays:
                sources.problems.append((display, f"cannot read flag source: {error}", 1))
            continue
        module = read_settings(text, display)
        if module is not None:
            read.append((module, display in named_displays))
    uses_app = any(module.mentions_app for module, _ in read)
    modules = [module for module, is_named in read if is_named or uses_app]
    definitions = _definitions(modules, sources.problems)
    for definition in definitions:
        sources.flags.setdefault(definition.key, []).append(definition)
    if definitions:
        _template_reads(sources, templates, show)


def _definitions(modules: List[SettingsModule], problems: list) -> List[FlagDefinition]:
    opaque = next(((module.display, module.opaque) for module in modules if module.opaque), None)
    values = [value for module in modules for value in module.flag_sources]
    only_settings = bool(values) and all(value == (SETTINGS_SOURCE,) for value in values)
    found = []
    for module in modules:
        for key, conditions, line in module.flags:
            try:
                state, why = (
                    state_of(key, conditions, line)
                    if conditions is not None
                    else (LIVE, "its conditions are not a literal")
                )
            except ShapeError as error:
                problems.append((module.display, str(error), error.line))
                continue
            if opaque is not None:
                state, why = LIVE, f"FLAGS is changed in a way flaglint cannot follow ({opaque[0]}:{opaque[1]})"
            elif not only_settings:
                state, why = (
                    LIVE,
                    "conditions may be added in the database: FLAG_SOURCES includes more than the settings",
                )
            found.append(FlagDefinition(key, state, why, FORMAT_DJANGO_FLAGS, module.display, line))
    return found


def _template_reads(sources: Sources, templates: List[Path], show: Callable[[Path], str]) -> None:
    for path in templates:
        try:
            text = read_source_text(path, "template", MAX_TEMPLATE_BYTES)
        except (OSError, ValueError):
            continue
        if "flag_" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for match in _TEMPLATE_READ.finditer(line):
                sources.outside_reads.setdefault(sdk_key(FORMAT_DJANGO_FLAGS, match.group(1)), []).append(
                    (show(path), number)
                )

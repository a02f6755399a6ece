"""``[tool.flaglint]`` in pyproject.toml, or a flaglint.toml, checked strictly.

An unknown key or a value of the wrong type is a ConfigError naming the key
(the CLI exits 2): a typo in configuration must never silently turn a check
off.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

import pathspec

from .budget import DEFAULT_MAX_TOKENS
from .codes import CODES
from .facts import ArgSlot
from .keys import ENV
from .patterns import compile_patterns
from .quiet import user_code
from .sources.model import PROVIDERS_OF
from .sources.reading import read_source_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CODE_PREFIX = re.compile(r"^FL[0-9]{0,3}$")


class ConfigError(Exception):
    """A configuration or usage problem the user must fix (exit code 2)."""


@dataclass(frozen=True)
class ApiEntry:
    """A ``flag-apis`` configuration entry: a function by dotted ``name``
    (as imported) or a method by ``method`` name on any receiver; ``key``
    is where it takes the flag key (the table's ``key`` and ``keyword``)."""

    name: str = ""
    method: str = ""
    key: ArgSlot = ArgSlot(0, "key")
    provider: str = "app"
    default: Optional[bool] = None
    #: ``pkg/config.py:DEFAULTS``: the registry dict the API decides keys by,
    #: and its entries ((key, value, line), read when the configuration is)
    source: str = ""
    entries: Tuple[Tuple[str, bool, int], ...] = ()
    #: ``pkg.features.add``: the registrar whose calls with a literal first
    #: argument declare the keys this API reads (see flaglint/graph/registrars.py)
    declare: str = ""


@dataclass(frozen=True)
class Config:
    path: Optional[Path] = None
    exclude: Tuple[str, ...] = ()
    select: Tuple[str, ...] = ("FL",)
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    external_flags: Tuple[str, ...] = ()
    #: flag definition files (flagd, LaunchDarkly file data), relative to the
    #: configuration file's directory
    flag_sources: Tuple[str, ...] = ()
    #: only files matching these gitignore-style patterns are analysed
    include: Tuple[str, ...] = ()
    #: the project's own flag functions the analysis cannot see
    flag_apis: Tuple[ApiEntry, ...] = ()
    #: providers (and ``env``) whose local sources list every flag there is
    sources_complete: Tuple[str, ...] = ()
    #: more directories Python imports from (ruff's ``src``), relative to the
    #: configuration file's directory; see :mod:`flaglint.project`
    src: Tuple[str, ...] = ()
    #: a file with more tokens is FL000, never parsed (see :mod:`flaglint.budget`)
    max_file_tokens: int = DEFAULT_MAX_TOKENS
    #: analyse generated files (``*_pb2.py``, ``# @generated``) instead of skipping them
    analyse_generated: bool = False
    #: classes whose module-level objects built with a key are flags
    #: (``pkg.toggles.Toggle``), beside those flaglint infers (see
    #: :mod:`flaglint.graph.flag_objects`)
    flag_classes: Tuple[str, ...] = ()

    def directory(self, cwd: Optional[Path] = None) -> Path:
        """What relative paths in the configuration (``src``, ``include``,
        ``flag-sources``) are relative to: the configuration file's directory,
        else ``cwd`` (the working directory when not given)."""
        return self.path.resolve().parent if self.path is not None else Path(cwd or Path.cwd())

    def source_roots(self) -> Tuple[Path, ...]:
        """``src`` as absolute directories."""
        return tuple(self.directory() / entry for entry in self.src)


_LIST_KEYS = {
    "exclude": "exclude",
    "select": "select",
    "ignore": "ignore",
    "external-flags": "external_flags",
    "flag-sources": "flag_sources",
    "include": "include",
    "src": "src",
    "flag-classes": "flag_classes",
}
_KNOWN_KEYS = set(_LIST_KEYS) | {
    "per-file-ignores",
    "flag-apis",
    "sources-complete",
    "max-file-tokens",
    "analyse-generated",
}
#: the keys of one ``flag-apis`` table, with their types
_API_KEYS = {
    "name": str,
    "method": str,
    "key": int,
    "keyword": str,
    "provider": str,
    "default": bool,
    "source": str,
    "declare": str,
}
#: ``sources-complete`` may name these besides the SDK providers


def find_config(start: Path) -> Optional[Path]:
    """The nearest flaglint.toml, or pyproject.toml with a [tool.flaglint] table."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "flaglint.toml"
        if os.path.isfile(candidate):  # never OSError (pathlib's raises for a name too long)
            return candidate
        candidate = directory / "pyproject.toml"
        if os.path.isfile(candidate) and _has_table(candidate):
            return candidate
    return None


def _has_table(path: Path) -> bool:
    """A pyproject.toml is ours only if it has a [tool.flaglint] table.

    A broken pyproject.toml is still ours to report: skipping it silently
    would drop the configuration its author meant to apply."""
    try:
        return "flaglint" in _tool_table(_read(path))
    except ConfigError:
        return True


def load_config(path: Optional[Path]) -> Config:
    if path is None:
        return Config()
    data = _read(path)
    table = _tool_table(data).get("flaglint", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.flaglint] must be a table")
    return _parse(table, path)


def _tool_table(data: dict) -> dict:
    tool = data.get("tool", {})
    return tool if isinstance(tool, dict) else {}


def _read(path: Path) -> dict:
    try:  # bounded, regular files only: the configuration is the repository's too
        text = read_source_text(path, "config")
    except (OSError, ValueError) as error:  # ValueError: undecodable
        raise ConfigError(f"{path}: cannot read: {error}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _parse(table: dict, path: Path) -> Config:
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    lists: Dict[str, Tuple[str, ...]] = {
        attribute: _string_list(table[key], key, path) for key, attribute in _LIST_KEYS.items() if key in table
    }
    for key in ("select", "ignore"):
        if key in table:
            check_codes(lists[_LIST_KEYS[key]], f"{path}: {key}")
    for key in ("exclude", "include"):
        _check_patterns(lists.get(_LIST_KEYS[key], ()), f"{path}: {key}")
    for name in lists.get("flag_classes", ()):
        if not all(part.isidentifier() for part in name.split(".")) or "." not in name:
            raise ConfigError(f"{path}: flag-classes: {name!r} is not a dotted class name (module.Class)")
    for name in lists.get("flag_sources", ()):
        if "\0" in name:  # no file name can hold one; open() would raise ValueError
            raise ConfigError(f"{path}: flag-sources: {name!r} holds a NUL character, which no file name can")
    for entry in lists.get("src", ()):
        configured_path(path.parent, entry, f"{path}: src:")
        if not os.path.isdir(path.parent / entry):  # False for a name too long, not OSError
            raise ConfigError(
                f"{path}: src: {entry!r} is not a directory (paths are relative to {path.name}'s directory)"
            )
    per_file = _per_file(table["per-file-ignores"], path) if "per-file-ignores" in table else ()
    apis = _flag_apis(table["flag-apis"], path) if "flag-apis" in table else ()
    complete = _complete(table["sources-complete"], path, apis) if "sources-complete" in table else ()
    default = Config()
    max_tokens = _positive(table["max-file-tokens"], "max-file-tokens", path) if "max-file-tokens" in table else None
    generated = table.get("analyse-generated", default.analyse_generated)
    if not isinstance(generated, bool):
        raise ConfigError(f"{path}: analyse-generated must be true or false")
    return Config(
        path,
        exclude=lists.get("exclude", default.exclude),
        select=lists.get("select", default.select),
        ignore=lists.get("ignore", default.ignore),
        per_file_ignores=per_file,
        external_flags=lists.get("external_flags", default.external_flags),
        flag_sources=lists.get("flag_sources", default.flag_sources),
        include=lists.get("include", default.include),
        flag_apis=apis,
        sources_complete=complete,
        src=lists.get("src", default.src),
        max_file_tokens=default.max_file_tokens if max_tokens is None else max_tokens,
        analyse_generated=generated,
        flag_classes=lists.get("flag_classes", default.flag_classes),
    )


def _positive(value, key: str, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{path}: {key} must be a positive integer")
    return value


def _flag_apis(value, path: Path) -> Tuple[ApiEntry, ...]:
    """``"corp.flags.is_on"`` or ``{name = ..., key = 0, provider = "launchdarkly"}``
    / ``{method = "is_feature_on", ...}``."""
    if not isinstance(value, list):
        raise ConfigError(f"{path}: flag-apis must be a list of dotted names or tables")
    entries = []
    for number, item in enumerate(value, 1):
        where = f"{path}: flag-apis entry {number}"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise ConfigError(f"{where} must be a dotted name or a table")
        unknown = sorted(set(item) - set(_API_KEYS))
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_API_KEYS))})")
        for key, kind in _API_KEYS.items():
            if key in item and (not isinstance(item[key], kind) or (kind is int and isinstance(item[key], bool))):
                raise ConfigError(f"{where}: {key} must be {'an integer' if kind is int else 'a ' + kind.__name__}")
        if bool(item.get("name")) == bool(item.get("method")):
            raise ConfigError(f"{where}: give exactly one of name (a dotted function) or method (a method name)")
        if item.get("key", 0) < 0:
            raise ConfigError(f"{where}: key must be a position >= 0")
        if "provider" in item and not item["provider"]:
            raise ConfigError(f"{where}: provider must not be empty")
        if "declare" in item and not _dotted(item["declare"]):
            raise ConfigError(
                f"{where}: declare must be a dotted name such as 'pkg.features.add', got {item['declare']!r}"
            )
        if item.get("source"):
            found = _registry_source(item["source"], where, path.parent)
            item = {**item, "entries": found["entries"], "provider": item.get("provider", found["provider"])}
        fields = {name: value for name, value in item.items() if name not in ("key", "keyword")}
        entries.append(ApiEntry(**fields, key=ArgSlot(item.get("key", 0), item.get("keyword", "key"))))
    return tuple(entries)


def _dotted(name: str) -> bool:
    """``pkg.features.add``: identifiers joined by dots, at least a module and a name."""
    parts = name.split(".")
    return len(parts) >= 2 and all(part.isidentifier() for part in parts)


def _registry_source(source: str, where: str, base: Path) -> dict:
    """``pkg/config.py:DEFAULTS``: the module-level dict literal of string
    keys to bools an in-house registry decides keys by, read (never run)
    relative to the configuration file. Its provider is named after it
    (``pkg.config.DEFAULTS``) unless the entry names one."""
    import ast

    file, _, name = source.rpartition(":")
    if not file or not name.isidentifier():
        raise ConfigError(f"{where}: source must be 'path/to/module.py:NAME', got {source!r}")
    text = read_configured(base, file, f"{where}: source")
    try:
        with user_code():
            tree = ast.parse(text)
    except (SyntaxError, ValueError) as error:
        raise ConfigError(f"{where}: source {file!r} is not valid Python: {error}") from None
    except (MemoryError, RecursionError):  # CPython's parser gives up on deep nesting with these
        raise ConfigError(f"{where}: source {file!r} is too deeply nested to read") from None
    value = _module_binding(tree, name)
    if value is None:
        raise ConfigError(f"{where}: source {file!r} binds no {name} at module level")
    entries = _bool_entries(value)
    if entries is None:
        raise ConfigError(f"{where}: {name} in {file!r} is not a dict literal of string keys to True/False")
    module = file[:-3] if file.endswith(".py") else file
    provider = module.replace("\\", "/").strip("/").replace("/", ".") + f".{name}"
    return {"entries": entries, "provider": provider}


def configured_path(base: Path, entry: str, where: str) -> Path:
    """``entry``, a path the configuration names, relative to ``base`` (its
    directory): refused unless it stays inside that tree, symlinks resolved.

    The configuration is the repository's, so it is as untrusted as the
    code: ``source = "../../../../etc/passwd:X"`` must not make flaglint
    read (and report on) a file the repository does not hold."""
    if "\0" in entry:
        raise ConfigError(f"{where} {entry!r} holds a NUL character, which no file name can")
    root = base.resolve()
    target = (base / entry).resolve()
    if target != root and root not in target.parents:
        raise ConfigError(f"{where} {entry!r} is outside the project ({root})")
    return target


def read_configured(base: Path, entry: str, where: str, kind: str = "python") -> str:
    """The text of a file the configuration names (see :func:`configured_path`),
    read as every flag source is (:func:`flaglint.sources.reading.read_source_text`):
    a regular file only (a FIFO would block, ``/dev/zero`` never ends) and
    never more than the cap of ``kind``; anything else is a ConfigError."""
    target = configured_path(base, entry, where)
    try:
        return read_source_text(target, kind)
    except (OSError, ValueError) as error:  # ValueError: undecodable
        raise ConfigError(f"{where} {entry!r} cannot be read: {error}") from None


def _module_binding(tree, name: str):
    import ast

    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(target, ast.Name) and target.id == name for target in targets) and node.value is not None:
            return node.value
    return None


def _bool_entries(value) -> Optional[Tuple[Tuple[str, bool, int], ...]]:
    import ast

    if not isinstance(value, ast.Dict):
        return None
    entries = []
    for key, item in zip(value.keys, value.values):
        if not (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and isinstance(item, ast.Constant)
            and isinstance(item.value, bool)
        ):
            return None
        entries.append((key.value, item.value, key.lineno))
    return tuple(entries)


def _complete(value, path: Path, apis: Sequence[ApiEntry] = ()) -> Tuple[str, ...]:
    """``true`` (every provider a flag source can define, and the
    environment) or a list of them. A provider no source format describes
    (``app``, a ``flag-apis`` provider of its own) cannot be complete: every
    read through it would be undeclared. An in-house registry can: one
    named in ``flag-apis`` with a ``source``, or one found in the code, by
    its dotted name (``pkg.config.DEFAULTS``)."""
    registries = {api.provider for api in apis if api.source}
    known = sorted({provider for providers in PROVIDERS_OF.values() for provider in providers} | {ENV} | registries)
    if value is True:
        return tuple(known)
    if value is False:
        return ()
    names = _string_list(value, "sources-complete", path) if isinstance(value, list) else None
    if names is None:
        raise ConfigError(f"{path}: sources-complete must be true, false or a list of providers")
    for name in names:
        if name not in known and not _registry_name(name):
            raise ConfigError(
                f"{path}: sources-complete: no flag source defines flags for {name!r} "
                f"(known: {', '.join(known)}, or an in-house registry's dotted name)"
            )
    return names


def _registry_name(name: str) -> bool:
    """``pkg.config.DEFAULTS``: a module's dict, the name of a registry flaglint finds."""
    parts = name.split(".")
    return len(parts) >= 2 and all(part.isidentifier() for part in parts)


def _string_list(value, key: str, path: Path) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def _per_file(value, path: Path):
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: per-file-ignores must be a table of pattern = [codes]")
    result = []
    for pattern, codes in sorted(value.items()):
        codes = _string_list(codes, f"per-file-ignores.{pattern!r}", path)
        check_codes(codes, f"{path}: per-file-ignores.{pattern!r}")
        _check_pattern(pattern, f"{path}: per-file-ignores")
        result.append((pattern, codes))
    return tuple(result)


def _check_pattern(pattern: str, where: str) -> None:
    _check_patterns((pattern,), where)


def _check_patterns(patterns: Sequence[str], where: str) -> None:
    """Compiled as one list, the list discovery applies (and, through
    :mod:`flaglint.patterns`, compiled only once a run)."""
    try:
        _spec, bad = compile_patterns(patterns)
    except TypeError as error:
        raise ConfigError(f"{where}: invalid pattern: {error}") from None
    if bad:
        raise ConfigError(f"{where}: invalid pattern {bad[0]!r}: {_pattern_error(bad[0])}")


def _pattern_error(pattern: str) -> str:
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except Exception as error:
        return str(error)
    return "not a valid pattern"  # pragma: no cover - it failed when compiled alone


def check_codes(codes: Sequence[str], where: str) -> None:
    """Rule codes and prefixes must exist: ``--select FL01`` is a typo, not a wish."""
    for code in codes:
        if not CODE_PREFIX.match(code) or not any(rule.startswith(code) for rule in CODES):
            raise ConfigError(f"{where}: unknown rule code {code!r} (known: {', '.join(sorted(CODES))})")

"""A project's own flag dicts, resolved across files.

Extraction records each binding and update of a dict of flag keys to bools
(:class:`~flaglint.facts.FlagDict`) as written. Here a dict is followed
through imports, copies and merges (``dict(DEFAULTS)``, ``{**A, **B}``,
``FLAGS.update(OVERRIDES)``, ``self._flags = app.config["DEFAULTS"]``) to
the entries it holds: a :class:`Registry`. The graph uses one two ways:

- an in-house registry: a function that decides a key by the dict is a flag
  API whose provider is the dict (named after the literal its entries come
  from, ``superset.config.DEFAULT_FEATURE_FLAGS``), and its entries are that
  provider's flag definitions;
- a hard-wired override: an SDK wrapper that answers from the dict first
  (``if key in STALE: return STALE[key]``) reads those keys as the dict says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..facts import FileFacts, FlagDict
from ..sources.model import LIVE, OFF, ON
from .symbols import Symbol, SymbolTable, display_name

CONFIG_PREFIX = "config:"
FORMAT_REGISTRY = "registry"
#: keys of a string-to-bool parser's table (``{"yes": True, "no": False}``), not flags
_TRUTH_WORDS = frozenset(
    {
        "1",
        "0",
        "true",
        "false",
        "yes",
        "no",
        "y",
        "n",
        "t",
        "f",
        "on",
        "off",
        "enable",
        "disable",
        "enabled",
        "disabled",
    }
)


@dataclass(frozen=True)
class Entry:
    """One key of a registry: its value and where it is written."""

    value: bool
    path: str
    line: int


@dataclass
class Registry:
    """What a flag dict holds: ``entries`` by key (a later merge wins),
    ``open`` when it also takes entries computed at run time or from a
    dict flaglint cannot see. ``name`` is the dotted name of the literal its
    first entries come from."""

    name: str
    entries: Dict[str, Entry] = field(default_factory=dict)
    open: bool = False
    path: str = ""
    line: int = 0
    #: configuration names it is merged from (``app.config["FEATURE_FLAGS"]``):
    #: a literal key looked up in such a mapping is a read of the registry
    configs: Set[str] = field(default_factory=set)
    #: the deployment's configuration merged over the defaults, in order:
    #: (name, its bindings in the tree; None for one flaglint cannot see)
    deployments: List[Tuple[str, List[Optional["Registry"]]]] = field(default_factory=list)
    #: something flaglint cannot follow is merged after the deployment's
    #: configuration: no deployment value is final
    reopened: bool = False
    #: its keys are declared by a registrar's calls (:mod:`.registrars`)
    declared: bool = False
    #: every key a registrar declares, settings (no bool default) included
    registered: Set[str] = field(default_factory=set)
    #: declared keys other code names (a list of keys, another call): key ->
    #: [(path, line)]; read by code flaglint cannot follow, so never FL005
    mentions: Dict[str, List[Tuple[str, int]]] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.name} ({self.path}:{self.line})"

    def decided(self, key: str) -> Optional[Entry]:
        """The deployment's value of ``key``, where the deployment sources in
        the tree decide it: every binding of every deployment name (every
        module-level ``FEATURE_FLAGS = {...}``) names the key, all with the
        same value, none takes entries flaglint cannot see, and nothing
        merged after them may change it. None otherwise: then the default
        stands, and a deployment elsewhere may override it."""
        if not self.deployments or self.reopened:
            return None
        found: List[Entry] = []
        for _, bindings in self.deployments:
            if not bindings or any(binding is None or binding.open for binding in bindings):
                return None
            for binding in bindings:
                entry = binding.entries.get(key)  # type: ignore[union-attr]
                if entry is None:
                    return None
                found.append(entry)
        return found[-1] if len({entry.value for entry in found}) == 1 else None


@dataclass(frozen=True)
class RegistryDefinition:
    """A registry entry as a flag definition (the shape of
    :class:`~flaglint.sources.model.FlagDefinition`), so FL004, FL005
    and the audit read registries like flag files."""

    key: str
    state: str
    why: str
    format: str
    path: str
    line: int
    providers: Tuple[str, ...]


class FlagDicts:
    """Every flag dict of the project, by symbol."""

    def __init__(self, files: Sequence[FileFacts], symbols: SymbolTable) -> None:
        self.symbols = symbols
        self._steps: Dict[Symbol, List[Tuple[FileFacts, FlagDict]]] = {}
        self._by_name: Dict[str, List[Symbol]] = {}
        self._cache: Dict[Symbol, Optional[Registry]] = {}
        #: per module, the lines of ``from elsewhere import *`` of a module not in
        #: the tree: it may rebind any name (``from superset_config import *``)
        self._outside_stars: Dict[str, List[int]] = {}
        for facts in files:
            if facts.problem is not None:
                continue
            self._outside_stars[facts.module or facts.path] = [
                imp.span.line if imp.span is not None else 0
                for imp in facts.imports
                if imp.local == "*" and imp.module not in symbols.modules
            ]
            for step in facts.flag_dicts:
                symbol = (facts.module or facts.path, step.name)
                self._steps.setdefault(symbol, []).append((facts, step))
                if step.base and "." not in step.name and symbol not in self._by_name.get(step.name, []):
                    self._by_name.setdefault(step.name, []).append(symbol)

    def registry(self, facts: FileFacts, ref: str) -> Optional[Registry]:
        """The flag dict ``ref`` (as written in ``facts``) names, if it holds
        at least one entry."""
        if ref.startswith(CONFIG_PREFIX):
            found = self._config_registry(ref[len(CONFIG_PREFIX) :])
        else:
            symbol = self._resolve(facts, ref)
            found = self._collect(symbol, set()) if symbol is not None else None
        if found is None or not found.entries or all(key.lower() in _TRUTH_WORDS for key in found.entries):
            return None
        return found

    def _config_registry(self, name: str) -> Optional[Registry]:
        """What ``app.config["NAME"]`` looked up by a key stands for: the one
        registry merged from that configuration name, else the module-level
        ``NAME`` dicts of the tree themselves, as one registry whose
        deployment they are. Two registries merged from it: None (never guessed)."""
        ref = CONFIG_PREFIX + name
        merging = {symbol for symbol, steps in self._steps.items() for _, step in steps if ref in step.merged}
        found = [self._collect(symbol, set()) for symbol in sorted(merging)]
        named = {registry.name: registry for registry in found if registry is not None and registry.entries}
        if len(named) == 1:
            return next(iter(named.values()))
        if named:
            return None
        bindings = [self._collect(symbol, set()) for symbol in self._by_name.get(name, [])]
        seen = [registry for registry in bindings if registry is not None and registry.entries]
        if not seen:
            return None
        registry = Registry(seen[0].name, path=seen[0].path, line=seen[0].line, configs={name})
        for binding in bindings:
            if binding is None:
                registry.open = True
                continue
            registry.entries.update(binding.entries)
            registry.open = registry.open or binding.open
        registry.deployments.append((name, list(bindings)))
        return registry

    def _resolve(self, facts: FileFacts, ref: str) -> Optional[Symbol]:
        if not facts.module:
            return (facts.path, ref)
        return self.symbols.resolve(facts.module, ref)

    def _collect(self, symbol: Symbol, seen: Set[Symbol]) -> Optional[Registry]:
        if symbol in self._cache:
            return self._cache[symbol]
        steps = self._steps.get(symbol, ())
        if symbol in seen or not any(step.base for _, step in steps):
            return None
        seen.add(symbol)
        facts, first = next((facts, step) for facts, step in steps if step.base)
        registry = Registry(display_name(symbol) if facts.module else symbol[1], path=facts.path, line=first.line)
        named = False
        for facts, step in steps:
            deployed = bool(registry.deployments)
            for ref in step.merged:
                merged_in = list(self._merged(facts, ref, seen))
                if ref.startswith(CONFIG_PREFIX):
                    registry.configs.add(ref[len(CONFIG_PREFIX) :])
                    if named:  # merged over the defaults: the deployment's configuration
                        registry.deployments.append((ref[len(CONFIG_PREFIX) :], merged_in))
                        deployed = False
                for merged in merged_in:
                    if merged is None:
                        registry.open = True
                        continue
                    if not named and merged.entries:
                        registry.name, registry.path, registry.line, named = merged.name, merged.path, merged.line, True
                    registry.entries.update(merged.entries)
                    registry.open = registry.open or merged.open
                    registry.configs |= merged.configs
                    registry.deployments += merged.deployments
                    registry.reopened = registry.reopened or merged.reopened
            if step.entries and not named:
                named = True
                registry.name, registry.path, registry.line = (
                    display_name(symbol) if facts.module else symbol[1],
                    facts.path,
                    first.line,
                )
            for key, value, line in step.entries:
                registry.entries[key] = Entry(value, facts.path, line)
            registry.open = registry.open or step.open
            if deployed and (step.entries or step.open or step.merged):
                registry.reopened = True  # changed again after the deployment's configuration
        if "." not in symbol[1] and any(line > first.line for line in self._outside_stars.get(symbol[0], ())):
            registry.open = True  # a module outside the tree may bind it again
        self._cache[symbol] = registry
        return registry

    def _merged(self, facts: FileFacts, ref: str, seen: Set[Symbol]) -> Iterable[Optional[Registry]]:
        """The registries a merged reference stands for (None: one flaglint cannot see)."""
        if ref.startswith(CONFIG_PREFIX):
            symbols = self._by_name.get(ref[len(CONFIG_PREFIX) :], [])
        else:
            symbol = self._resolve(facts, ref)
            symbols = [symbol] if symbol is not None else []
        found = [self._collect(symbol, seen) for symbol in symbols]
        return found or [None]


def definitions(registry: Registry, complete: bool) -> List[RegistryDefinition]:
    """A registry's entries as flag definitions. A default a deployment may
    override is live, unless ``sources-complete`` names the registry or the
    deployment sources in the tree decide the key (:meth:`Registry.decided`)."""
    found = []
    for key, entry in sorted(registry.entries.items()):
        value = "on" if entry.value else "off"
        decided = None if complete else registry.decided(key)
        if complete:
            state, why = (ON if entry.value else OFF), f"{registry.name} sets it {value}"
        elif decided is not None:
            value = "on" if decided.value else "off"
            names = ", ".join(dict.fromkeys(name for name, _ in registry.deployments))
            state = ON if decided.value else OFF
            why = f"the deployment configuration {names} sets it {value}"
            if registry.name.rsplit(".", 1)[-1] not in names.split(", "):
                why += f" (over the default of {registry.name})"
            entry = decided
        else:
            state, why = LIVE, f"{registry.name} sets it {value} by default, and a deployment may override it"
        found.append(RegistryDefinition(key, state, why, FORMAT_REGISTRY, entry.path, entry.line, (registry.name,)))
    return found

"""A project's own flag APIs: wrappers around an SDK, found from the graph.

Extraction sees, per file, functions that return an SDK call with one of
their parameters as the key (:class:`~flaglint.facts.Wrapper`), functions
that forward a parameter to another call (``return is_on(name)``), and every
call that passes a key-like string (``is_on("new-ui")``, kept as a read of
``call:is_on``). Only the graph can tell which callee is a wrapper: it
resolves each callee through imports, module-level instances
(``flags = Flags()`` then ``flags.enabled(...)``) and ``self``, follows
forwarders to a fixpoint, and rewrites each wrapper call into the keyed read
it stands for (``sdk:launchdarkly:new-ui``), at the same index, so gates and
guards stay consistent. ``flag-apis`` in the configuration names wrappers
the analysis cannot see (in a package outside the tree).

A wrapper that calls the SDK only under a condition (``return ENABLED and
client.variation(key, ...)``, ``... if client else False``) is conditional:
its reads count for "never on" (FL001, FL002) but not for "always on"
(FL006). A key may be a member of a ``str`` Enum of the analysed code
(``is_on(Flags.NEW_UI)``): extraction records its value like a module-level
string constant.

A wrapper called with a key built at run time (``is_on(f"beta-{team}")``)
is recorded as a dynamic key of its provider, never guessed.

A function that decides its key by a dict of flag keys to bools
(``return FLAGS.get(key, False)``) is the API of an in-house registry: its
provider is the dict (:mod:`.registries`). An SDK wrapper that answers from
such a dict first (``if key in STALE: return STALE[key]``) has a hard-wired
override, and one that lets an environment variable named after the key
decide first (``get_bool_env(key)``) a back door: each read through it
says so (``Read.override``, ``Read.back_door``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..config import ApiEntry
from ..facts import (
    ARG_KEYS,
    ARG_LITERAL,
    ARG_ONE_OF,
    ARG_PREFIX,
    ARG_REF,
    ARG_STRING,
    CALL_PREFIX,
    ENV_NAMES,
    ArgSlot,
    CallArg,
    DynamicKey,
    FileFacts,
    Wrapper,
)
from ..keys import sdk_key
from ..quiet import user_code
from . import registrars
from .registries import CONFIG_PREFIX, Entry, FlagDicts, Registry
from .symbols import Symbol, SymbolTable, display_name

_MAX_ROUNDS = 16


@dataclass(frozen=True)
class FlagApi:
    """How a call passes a flag key: ``key`` is where, ``default`` where the
    value the code falls back to is (``ArgSlot()``: nowhere), and
    ``default_on`` that value when the call passes none."""

    provider: str
    key: ArgSlot
    default_on: bool = True
    default: ArgSlot = ArgSlot()
    where: str = ""  # where it was found, for the audit and messages
    #: calls the SDK only when something else holds (see ``Wrapper.conditional``)
    conditional: bool = False
    #: a hard-wired dict answered before the SDK call
    override: Optional[Registry] = None
    #: an environment variable named after the key decides first (``Wrapper.env_override``)
    env_override: str = ""
    #: the dict it answers from first is not one flaglint can read (as written): any key may be decided there
    override_unknown: str = ""
    #: the in-house registry this API reads (its ``provider`` is the registry's name)
    registry: Optional[Registry] = None
    #: takes a list of keys and reads each (``Wrapper.each``)
    each: bool = False


class Wrappers:
    """Every flag API of the project, and the rewriting of calls to them."""

    def __init__(self, files: Sequence[FileFacts], symbols: SymbolTable, entries: Iterable[ApiEntry] = ()) -> None:
        self.symbols = symbols
        self.by_symbol: Dict[Symbol, FlagApi] = {}
        self.by_name: Dict[str, FlagApi] = {}
        self.by_method: Dict[str, FlagApi] = {}
        self._instances: Dict[str, Dict[str, str]] = {
            facts.module: dict(facts.instances) for facts in files if facts.module
        }
        self.dicts = FlagDicts(files, symbols)
        #: in-house registries by provider name
        self.registries: Dict[str, Registry] = {}
        for entry in entries:
            registry = _configured_registry(entry) if entry.source else None
            if registry is not None:
                self._add_registry(registry)
            default = (registry is None) if entry.default is None else entry.default
            api = FlagApi(entry.provider, entry.key, default, where="flag-apis", registry=registry)
            if entry.name:
                self.by_name[entry.name] = api
            if entry.method:
                self.by_method[entry.method] = api
        #: providers some wrapper call reads with a key built at run time
        self.dynamic_providers: Set[str] = set()
        self._called: Set[object] = set()
        self._by_config: Optional[Dict[str, FlagApi]] = None
        #: per provider, reads with a key flaglint cannot bound: (the call as written, path, line)
        self.unbounded: Dict[str, Set[Tuple[str, str, int]]] = {}
        self._find(files)
        if self._find_registrars(files, entries):
            self._find(files)  # forwarders to a registry's read API (``return features.has(name, org)``)

    # ------------------------------------------------------------- discovery
    def _find(self, files: Sequence[FileFacts]) -> None:
        forwarders: List[Tuple[FileFacts, Wrapper]] = []
        for facts in files:
            if facts.problem is not None:
                continue
            for wrapper in facts.wrappers:
                if wrapper.provider:
                    override = self.dicts.registry(facts, wrapper.lookup) if wrapper.lookup else None
                    self.by_symbol[_owner(facts, wrapper.function)] = FlagApi(
                        wrapper.provider,
                        wrapper.key,
                        wrapper.default_on,
                        wrapper.default,
                        f"{facts.path}:{wrapper.span.line}",
                        wrapper.conditional,
                        override,
                        wrapper.env_override,
                        "" if override or not wrapper.lookup else wrapper.lookup,
                    )
                elif wrapper.lookup:
                    self._registry_api(facts, wrapper)
                else:
                    forwarders.append((facts, wrapper))
        passed: Dict[Tuple[str, str, str], List[Wrapper]] = {}  # what each forwarding call passes on
        for facts, wrapper in forwarders:
            passed.setdefault((facts.path, wrapper.function, wrapper.callee), []).append(wrapper)
        for _ in range(_MAX_ROUNDS):  # ``return is_on(name)`` chains, to a fixpoint
            grown = False
            for facts, wrapper in forwarders:
                symbol = _owner(facts, wrapper.function)
                if symbol in self.by_symbol:
                    continue
                found = self._lookup(facts, wrapper.callee)
                if found is None or not _passes(found[1].key, wrapper):
                    continue
                target = found[1]
                self._called.add(found[0])  # forwarding to it is calling it
                default = next(
                    (
                        other
                        for other in passed[(facts.path, wrapper.function, wrapper.callee)]
                        if _passes(target.default, other)
                    ),
                    None,
                )
                self.by_symbol[symbol] = replace(
                    target,
                    key=wrapper.key,
                    # ``return is_on(name, default=default)``: the forwarder's own parameter is the default
                    default_on=default.default_on if default else _default_on(wrapper.callee_args, target),
                    default=default.default if default else ArgSlot(),
                    where=f"{facts.path}:{wrapper.span.line}",
                    conditional=wrapper.conditional or target.conditional or wrapper.each,
                    each=wrapper.each or target.each,
                )
                grown = True
            if not grown:
                break

    def _find_registrars(self, files: Sequence[FileFacts], entries: Iterable[ApiEntry]) -> bool:
        """Registries whose keys a registrar's calls declare (:mod:`.registrars`):
        found by their shape, or named by ``flag-apis`` ``declare``. A read
        API that ``flag-apis`` also names with a ``source`` reads one registry:
        the configured dict, with the declared keys added."""
        calls = registrars.Calls(files, self._target, is_test_path)
        found: List[Tuple[registrars.Found, str]] = [(item, "") for item in registrars.find(calls, self._is_defined)]
        for entry in entries:
            registrar = self._defined(entry.declare) if entry.declare else None
            if registrar is None:
                continue
            reader = self._defined(entry.name) if entry.name else None
            item = registrars.Found(
                registrars.home_of(registrar),
                registrar,
                calls.declarations(registrar),
                [reader] if reader is not None else [],
                registrar in calls.computed,
            )
            found = [(other, name) for other, name in found if other.registrar != registrar]
            found.append((item, entry.name or entry.method))
        configured = {self._defined(name): name for name in self.by_name}
        for item, named in found:
            if any(reader in self.by_symbol for reader in item.readers):
                continue  # a flag API of its own already (an SDK wrapper, a dict's lookup)
            name = named or next((configured[reader] for reader in item.readers if reader in configured), None)
            known = (self.by_name.get(name) or self.by_method.get(name)) if name else None
            registry = registrars.registry_of(item, calls, known.registry if known is not None else None)
            if known is None or known.registry is None:
                self._add_registry(registry)
            where = f"{registry.path}:{registry.line}"
            api = FlagApi(registry.name, ArgSlot(0), False, where=where, registry=registry)
            if known is not None:
                api = replace(known, provider=registry.name, registry=registry)
                (self.by_name if name in self.by_name else self.by_method)[name] = api  # type: ignore[index]
            for reader in item.readers:
                self.by_symbol[reader] = api
                self._called.add(reader)
        return bool(found)

    def _target(self, facts: FileFacts, callee: str) -> Optional[Symbol]:
        """The function or method a call as written in ``facts`` reaches."""
        if not facts.module:
            return None
        symbol = self.symbols.resolve(facts.module, callee)
        if symbol is None:
            return None
        return self._star_imported(self._instance_method(symbol) or symbol)

    def _star_imported(self, symbol: Symbol) -> Symbol:
        """Where a function or method is defined: the symbol table leaves a
        class imported by ``from .manager import *`` in the module that
        imports it (``sentry.features``' ``FeatureManager.has``)."""
        if symbol in self._functions:
            return symbol
        for module in self.symbols.star_imports.get(symbol[0], ()):
            if (module, symbol[1]) in self._functions:
                return (module, symbol[1])
        return symbol

    @cached_property
    def _functions(self) -> Set[Symbol]:
        return {
            (module, function.qualname)
            for module, facts in self.symbols.modules.items()
            for function in facts.functions
        }

    def _is_defined(self, symbol: Symbol) -> bool:
        return symbol in self._functions

    def _registry_api(self, facts: FileFacts, wrapper: Wrapper) -> None:
        """``return FLAGS.get(key, False)``: an API of the registry FLAGS,
        when FLAGS is a flag dict (a function with a first-class wrapper
        fact of its own keeps that)."""
        symbol = _owner(facts, wrapper.function)
        registry = self.dicts.registry(facts, wrapper.lookup)
        if registry is None or symbol in self.by_symbol:
            return
        self._add_registry(registry)
        self.by_symbol[symbol] = FlagApi(
            registry.name,
            wrapper.key,
            False,
            where=f"{facts.path}:{wrapper.span.line}",
            registry=registry,
        )

    def _add_registry(self, registry: Registry) -> None:
        """Dicts built from the same literal (``ALL = {**BASE, **LOCAL}``,
        ``MORE = BASE | {...}``) are one provider: its keys are all of theirs."""
        known = self.registries.get(registry.name)
        if known is None:
            self.registries[registry.name] = registry
        elif known is not registry:
            merged = Registry(
                known.name,
                {**registry.entries, **known.entries},
                known.open or registry.open,
                known.path,
                known.line,
                known.configs | registry.configs,
                known.deployments + registry.deployments,
                known.reopened or registry.reopened,
                known.declared or registry.declared,
                known.registered | registry.registered,
            )
            self.registries[registry.name] = merged

    def api_for(self, facts: FileFacts, callee: str) -> Optional[FlagApi]:
        """The flag API ``callee`` (as written in ``facts``) calls, if any."""
        found = self._lookup(facts, callee)
        if found is None:
            return None
        self._called.add(found[0])
        return found[1]

    def _lookup(self, facts: FileFacts, callee: str) -> Optional[Tuple[object, FlagApi]]:
        if callee.startswith(CONFIG_PREFIX):
            api = self._config_apis().get(callee[len(CONFIG_PREFIX) :])
            return (callee, api) if api is not None else None
        if not facts.module:  # a script: only its own functions resolve
            own = (facts.path, callee)
            return (own, self.by_symbol[own]) if own in self.by_symbol else self._configured(facts, callee)
        symbol = self.symbols.resolve(facts.module, callee)
        if symbol is not None:
            if symbol in self.by_symbol:
                return symbol, self.by_symbol[symbol]
            method = self._instance_method(symbol)
            if method in self.by_symbol:
                return method, self.by_symbol[method]
            if self.registries:
                defined = self._star_imported(method or symbol)
                if defined in self.by_symbol:
                    return defined, self.by_symbol[defined]
        return self._configured(facts, callee)

    def _config_apis(self) -> Dict[str, FlagApi]:
        """``app.config["FEATURE_FLAGS"]["X"]``: a key looked up in a
        configuration mapping a registry is merged from reads that registry's
        key. The lookup sees that one mapping, not the merge, so it is
        conditional (it may say off where the registry says on). A name two
        registries are merged from reads neither."""
        if self._by_config is None:
            owners: Dict[str, List[Registry]] = {}
            for registry in self.registries.values():
                for name in registry.configs:
                    owners.setdefault(name, []).append(registry)
            self._by_config = {
                name: FlagApi(
                    found[0].name,
                    ArgSlot(0),
                    False,
                    ArgSlot(1),
                    f"{found[0].path}:{found[0].line}",
                    True,
                    registry=found[0],
                )
                for name, found in owners.items()
                if len(found) == 1
            }
        return self._by_config

    def _instance_method(self, symbol: Symbol) -> Optional[Symbol]:
        """``(m, "flags.enabled")`` with ``flags = Flags()`` in m -> ``Flags.enabled``."""
        module, name = symbol
        head, _, method = name.partition(".")
        cls = self._instances.get(module, {}).get(head)
        if cls is None or not method or "." in method:
            return None
        owner = self.symbols.resolve(module, cls)
        return (owner[0], f"{owner[1]}.{method}") if owner else None

    def _configured(self, facts: FileFacts, callee: str) -> Optional[Tuple[object, FlagApi]]:
        if self.by_name:
            full = _imported_name(facts, callee)
            if full in self.by_name:
                return full, self.by_name[full]
        method = callee.rsplit(".", 1)[-1]
        if "." in callee and method in self.by_method:
            return method, self.by_method[method]
        return None

    # ------------------------------------------------------------- rewriting
    def rewrite_all(self, files: Sequence[FileFacts]) -> List[FileFacts]:
        """Every file with its wrapper calls turned into keyed reads.

        A wrapper found in the tree that nothing in the tree calls is called
        from outside (a web framework routing to a view, another service):
        its keys are unknown, so its provider's flags may all be read."""
        rewritten = [self.rewrite(facts) for facts in files]
        for symbol, api in self.by_symbol.items():
            if symbol not in self._called and not is_test_path(api.where.rpartition(":")[0]):
                self.dynamic_providers.add(api.provider)
                path, _, line = api.where.rpartition(":")
                text = f"{display_name(symbol)}(...) called from outside the analysed code"
                self._unbounded(api.provider, text, path, int(line) if line.isdigit() else 0)
        return rewritten

    def _unbounded(self, provider: str, text: str, path: str, line: int) -> None:
        """A read of ``provider`` whose key flaglint cannot bound, kept to be named."""
        self.unbounded.setdefault(provider, set()).add((text, path, line))

    def rewrite(self, facts: FileFacts) -> FileFacts:
        """``facts`` with each wrapper call turned into the keyed read it is."""
        if facts.problem is not None or not (self.by_symbol or self.by_name or self.by_method or self.registries):
            return facts
        reads = list(facts.reads)
        dynamic = list(facts.dynamic_keys)
        extra: List = []  # the other keys of a list passed to an API that reads each
        changed = False
        for index, read in enumerate(reads):
            if not read.ref.startswith(CALL_PREFIX):
                continue
            callee = read.ref[len(CALL_PREFIX) :]
            api = self.api_for(facts, callee)
            if api is None:
                continue
            key = api.key.find(read.call_args)
            if key is None or key.kind == ARG_LITERAL:
                continue
            changed = True
            one_of = key.kind == ARG_ONE_OF  # ``for f in ["a", "b"]: has(f)``: a read of each, gating nothing for sure
            if one_of or (api.each and key.kind == ARG_KEYS):  # ``@require_flags(["A", "B"])``: reads of A and B
                first, *rest = key.value.split("\n")
                read = replace(read, gate=None)
                key = CallArg(key.position, key.keyword, ARG_STRING, first)
                extra += [
                    replace(
                        read,
                        ref=sdk_key(api.provider, other),
                        call_args=(),
                        conditional=True,
                        **self._overrides(api, other),
                    )
                    for other in rest
                ]
                if one_of:
                    reads[index] = read = replace(read, conditional=True)
            if key.kind not in (ARG_STRING, ARG_REF):
                if self._own_lookup(facts, read.scope):
                    continue  # the API's own generic lookup: its callers pass the keys
                if key.kind == ARG_PREFIX:  # ``has("projects:" + name)``: only keys with that start
                    dynamic.append(DynamicKey(api.provider, callee, key.value, read.span, read.scope, key.value))
                    continue
                dynamic.append(DynamicKey(api.provider, callee, "<computed>", read.span, read.scope))
                self._unbounded(api.provider, f"{callee}(...)", facts.path, read.span.line)
                continue
            literal = key.kind == ARG_STRING  # else a constant of another module: the graph looks it up
            reads[index] = replace(
                read,
                ref=sdk_key(api.provider, key.value if literal else ""),
                key_ref=None if literal else key.value,
                default_on=_default_on(read.call_args, api),
                call_args=(),
                conditional=api.conditional or read.conditional,
                **self._overrides(api, key.value if literal else self._constant(facts, key.value)),
            )
        sites = {site[0]: site for site in facts.dynamic_callee_sites}
        for callee in facts.dynamic_callees:
            api = self.api_for(facts, callee)
            if api is not None and self._own_call(facts, callee):
                continue  # ``self.has(name)`` inside the API's own class: its callers pass the keys
            if api is not None and not is_test_path(facts.path):  # a test double forwarding ``*args``
                self.dynamic_providers.add(api.provider)
                _, line, text = sites.get(callee, (callee, 0, f"{callee}(...)"))
                self._unbounded(api.provider, text, facts.path, line)
        if not changed:
            return facts
        return replace(facts, reads=tuple(reads + extra), dynamic_keys=tuple(dynamic))

    def _own_call(self, facts: FileFacts, callee: str) -> bool:
        """``self.has(name)`` (``Manager.has`` as written) in the class of a
        flag API, calling an API of that class: how the API answers its
        callers' keys (``batch_has`` asking ``has`` for each), like
        :meth:`_own_lookup`."""
        head, dot, _ = callee.rpartition(".")
        return bool(dot) and (facts.module or facts.path, head) in self._api_owners

    def _own_lookup(self, facts: FileFacts, scope: str) -> bool:
        """A lookup made inside a flag API's own function or class
        (``settings.FEATURES.get(feature.name, False)`` in ``FeatureManager``,
        whose ``has`` is the API): how the API answers its callers' keys, not
        a read by a computed key. Only callers passing one make it unsure."""
        if not scope:
            return False
        module = facts.module or facts.path
        return any(
            owner_module == module and (scope == owner or scope.startswith(owner + "."))
            for owner_module, owner in self._api_owners
        )

    @cached_property
    def _api_owners(self) -> Set[Symbol]:
        """The functions that are flag APIs, and the classes of those that
        are methods (``flag-apis`` names resolved where the tree defines them)."""
        symbols: Set[Symbol] = set(self.by_symbol)
        for name in self.by_name:
            found = self._defined(name)
            if found is not None:
                symbols.add(found)
        owners: Set[Symbol] = set()
        for module, qualname in symbols:
            owners.add((module, qualname))
            head, dot, _ = qualname.rpartition(".")
            if dot:
                owners.add((module, head))
        return owners

    def _defined(self, full: str) -> Optional[Symbol]:
        """Where the tree defines the dotted name ``full`` (``pkg.features.has``
        with ``has = manager.has`` and ``manager = FeatureManager()`` ->
        ``FeatureManager.has``), or None."""
        parts = full.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module not in self.symbols.modules:
                continue
            symbol = self.symbols.resolve(module, ".".join(parts[cut:]))
            if symbol is None:
                return None
            return self._star_imported(self._instance_method(symbol) or symbol)
        return None

    def _overrides(self, api: FlagApi, key: Optional[str]) -> dict:
        """What a wrapper's hard-wired dict and environment back door say of ``key``."""
        found: dict = {}
        if key is None:
            return found
        if api.override_unknown:
            found["override_where"] = api.override_unknown
        entry: Optional[Entry] = api.override.entries.get(key) if api.override is not None else None
        if api.override is not None and entry is not None:
            found.update(override=entry.value, override_where=f"{api.override.name} ({entry.path}:{entry.line})")
        if api.env_override in ENV_NAMES:
            found["back_door"] = ENV_NAMES[api.env_override](key)
        return found

    def _constant(self, facts: FileFacts, ref: str) -> Optional[str]:
        """The value of another module's string constant (as the graph
        completes such keys), or None."""
        symbol = self.symbols.resolve(facts.module, ref) if facts.module else None
        if symbol is None:
            return None
        target = self.symbols.modules.get(symbol[0])
        return dict(target.string_constants).get(symbol[1]) if target is not None else None


def is_test_path(path: str) -> bool:
    """Test code (``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``):
    a wrapper there that nothing calls is a test double handed to
    ``monkeypatch.setattr`` or ``mock.patch``, not an API called from outside,
    and a call there with a key built at run time (``return flag_set(*args)``
    in such a double) reads nothing the shipped code would."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return (
        any(part in ("tests", "test") for part in parts[:-1])
        or name == "conftest.py"
        or name.startswith("test_")
        or name.endswith("_test.py")
    )


def _configured_registry(entry: ApiEntry) -> Optional[Registry]:
    """The registry a ``flag-apis`` entry's ``source`` names."""
    path, _, name = entry.source.rpartition(":")
    registry = Registry(entry.provider, path=path, line=min((line for _, _, line in entry.entries), default=1))
    for key, value, line in entry.entries:
        registry.entries[key] = Entry(value, path, line)
    return registry


def _owner(facts: FileFacts, qualname: str) -> Symbol:
    return (facts.module or facts.path, qualname)


def _passes(slot: ArgSlot, wrapper: Wrapper) -> bool:
    """A forwarder passes its parameter (at ``wrapper.callee_key``) in
    ``slot`` of its callee: where it takes the key, or the default."""
    return slot.find((wrapper.callee_key,)) is not None


def _default_on(args: Sequence[CallArg], api: FlagApi) -> bool:
    """The caller's default (``is_on("x", True)``, ``is_on("x",
    default=True)``), else the wrapper's."""
    given = api.default.find(args)
    if given is None:
        return api.default_on
    if given.kind == ARG_LITERAL:
        try:
            with user_code():
                return bool(ast.literal_eval(given.value))
        except (ValueError, SyntaxError):
            return True
    return True  # computed: possibly on


def _imported_name(facts: FileFacts, ref: str) -> str:
    """``is_on`` imported ``from corp.flags import is_on`` -> ``corp.flags.is_on``."""
    head, dot, rest = ref.partition(".")
    for imp in facts.imports:
        if imp.local == head:
            base = f"{imp.module}.{imp.name}" if imp.name else imp.module
            return f"{base}{dot}{rest}"
    return ref

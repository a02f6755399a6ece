"""Registrars: calls that declare the keys of a registry, found from the graph.

Many projects declare their flags by calling a function once per key at
import time, and read them through a sibling of that function::

    default_manager.add("organizations:new-ui", OrganizationFeature)   # declares
    features.has("organizations:new-ui", org)                         # reads

    _create_option("global.unitTest", default_val=False)              # declares
    get_option("global.unitTest")                                     # reads

No configuration names either. The shape decides, as a mechanism:

- the *registry* is the home of a callable: the class of a method
  (``FeatureManager`` of ``default_manager.add``, wherever the instance is
  bound or re-exported) or the module of a function (``streamlit.config``);
- a *registrar* of it is a callable of that home called, outside tests,
  with a literal key as its first argument, for at least two keys, most of
  the calls made at import time or passing a default; each such call
  declares its key. A literal default (``default=``, ``default_val=``,
  ``default_value=``, or a bool as the second argument) gives the key's
  value; a default that is not a bool (a number, a string, something
  computed) makes the key a setting: declared (never FL004), not a flag;
- a *read API* is another callable of the same home called with literal
  keys most of which (a strict majority) the registrar declares; at least
  one read API must test a key in a condition (``if features.has(...)``),
  or the registry is not one of flags.

A registrar also called with a key built at run time outside its own class
declares keys flaglint cannot list: the registry is ``open`` (no FL004).
``flag-apis`` can name a registrar by hand (``declare = "pkg.features.add"``
beside ``name = "pkg.features.has"``); then no threshold applies. When a
read API is also a ``flag-apis`` name with a ``source`` (a deployment dict
such as ``SENTRY_FEATURES``), the declared keys join that registry.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..facts import ARG_KEYS, ARG_LITERAL, ARG_ONE_OF, ARG_STRING, CALL_PREFIX, ArgSlot, CallArg, FileFacts
from ..quiet import user_code
from .registries import Entry, Registry
from .symbols import Symbol, display_name

#: keywords that pass a declared key's default
DEFAULT_KEYWORDS = ("default", "default_val", "default_value")
_KEY = ArgSlot(0)
_MIN_KEYS = 2

#: a declared key: (key, its default: True/False, None when not given, or
#: "setting" for a default that is no bool), path, line
Declared = Tuple[str, object, str, int]
SETTING = "setting"


@dataclass
class Found:
    """One registry found from its registrar's calls: its declarations, the
    callables that read it (symbols), and whether its keys are open."""

    home: Symbol
    registrar: Symbol
    declared: List[Declared]
    readers: List[Symbol]
    open: bool


def declared_default(args: Sequence[CallArg]) -> object:
    """The default a declaring call passes (see :data:`Declared`)."""
    given = next((arg for arg in args if arg.keyword in DEFAULT_KEYWORDS), None)
    if given is None:
        second = next((arg for arg in args if arg.position == 1 and not arg.keyword), None)
        if second is None or second.kind != ARG_LITERAL or second.value not in ("True", "False"):
            return None
        given = second
    if given.kind != ARG_LITERAL:
        return SETTING
    try:
        with user_code():
            value = ast.literal_eval(given.value)
    except (ValueError, SyntaxError):
        return SETTING
    return value if isinstance(value, bool) else SETTING


def home_of(symbol: Symbol) -> Symbol:
    """The class of a method, or the module of a function."""
    module, qualname = symbol
    head, dot, _ = qualname.rpartition(".")
    return (module, head if dot else "")


class Calls:
    """Every call with a literal first argument (or a computed one), by the
    callable it resolves to."""

    def __init__(
        self,
        files: Sequence[FileFacts],
        target: Callable[[FileFacts, str], Optional[Symbol]],
        is_test: Callable[[str], bool],
    ) -> None:
        #: callable -> (key, arguments, path, line, gates code)
        self.literal: Dict[Symbol, List[Tuple[str, Tuple[CallArg, ...], str, int, bool]]] = {}
        #: callable -> how many of its literal calls are made at import time (outside any function)
        self.at_import: Dict[Symbol, int] = {}
        #: callable -> files that call it with a key built at run time
        self.computed: Dict[Symbol, Set[str]] = {}
        #: key-like strings other code lists (:attr:`FileFacts.listed_keys`): key -> [(path, line)]
        self.listed: Dict[str, List[Tuple[str, int]]] = {}
        #: key-like strings passed to any call: key -> [(the callable or None, path, line)]
        self.passed: Dict[str, List[Tuple[Optional[Symbol], str, int]]] = {}
        for facts in files:
            if facts.problem is not None or not facts.module or is_test(facts.path):
                continue
            for text, line in facts.listed_keys:
                self.listed.setdefault(text, []).append((facts.path, line))
            for read in facts.reads:
                if not read.ref.startswith(CALL_PREFIX):
                    continue
                symbol = target(facts, read.ref[len(CALL_PREFIX) :])
                for arg in read.call_args:  # ``Config(option_name="x")``, ``options.get("x")`` on a parameter
                    if arg.kind in (ARG_STRING, ARG_KEYS, ARG_ONE_OF):
                        for value in arg.value.split("\n"):
                            self.passed.setdefault(value, []).append((symbol, facts.path, read.span.line))
                if symbol is None:
                    continue
                key = _KEY.find(read.call_args)
                if key is not None and key.kind in (ARG_STRING, ARG_ONE_OF):  # a key, or one of a literal list
                    if not read.scope:
                        self.at_import[symbol] = self.at_import.get(symbol, 0) + 1
                    for value in key.value.split("\n"):
                        entry = (value, read.call_args, facts.path, read.span.line, read.gate is not None)
                        self.literal.setdefault(symbol, []).append(entry)
                elif key is not None and key.kind != ARG_LITERAL and not _inside(symbol, facts, read.scope):
                    self.computed.setdefault(symbol, set()).add(facts.path)
            for callee in facts.dynamic_callees:
                symbol = target(facts, callee)
                if symbol is not None:
                    self.computed.setdefault(symbol, set()).add(facts.path)

    def declarations(self, registrar: Symbol) -> List[Declared]:
        """What the calls of ``registrar`` declare. Where most defaults
        given are not bools (a registry of settings, some of them switches),
        a call that passes none declares a setting whose value must come
        from elsewhere (``register("system.url-prefix", flags=...)``)."""
        found = [
            (key, declared_default(args), path, line) for key, args, path, line, _ in self.literal.get(registrar, [])
        ]
        settings = sum(1 for _, default, _, _ in found if default == SETTING)
        switches = sum(1 for _, default, _, _ in found if isinstance(default, bool))
        if settings > switches:
            found = [(key, SETTING if default is None else default, path, line) for key, default, path, line in found]
        return found

    def mentions(self, found: "Found") -> Dict[str, List[Tuple[str, int]]]:
        """Where other code names each key ``found`` declares: in a list of
        keys, or as an argument of another call (not the registrar's, not a
        read API's: ``Config(option_name="x")``, ``options.get("x")`` on an
        object flaglint cannot resolve). Code flaglint cannot follow may read
        it there."""
        declared = {key for key, _, _, _ in found.declared}
        sites: Dict[str, List[Tuple[str, int]]] = {}
        for key in declared & set(self.passed):
            for symbol, path, line in self.passed[key]:
                if symbol != found.registrar and symbol not in found.readers:
                    sites.setdefault(key, []).append((path, line))
        for key in declared & set(self.listed):
            sites.setdefault(key, []).extend(self.listed[key])
        return sites

    def stored(self, found: "Found") -> Set[str]:
        """Keys two callables of the registry's home are called with (a read
        and a write: ``options.get("k")`` and ``options.set("k", v)``): the
        code keeps them in the registry itself, declared or not."""
        seen: Dict[str, Set[Symbol]] = {}
        for symbol, calls in self.literal.items():
            if home_of(symbol) == found.home and symbol != found.registrar:
                for key, *_ in calls:
                    seen.setdefault(key, set()).add(symbol)
        return {key for key, symbols in seen.items() if len(symbols) > 1}


def _inside(symbol: Symbol, facts: FileFacts, scope: str) -> bool:
    """A call made inside the callable's own class (``self.add(name)``)."""
    home = home_of(symbol)
    return bool(home[1]) and facts.module == home[0] and (scope == home[1] or scope.startswith(home[1] + "."))


def find(calls: Calls, defined: Callable[[Symbol], bool]) -> List[Found]:
    """Every registry a registrar declares without configuration."""
    by_home: Dict[Symbol, List[Symbol]] = {}
    for symbol in calls.literal:
        if defined(symbol):
            by_home.setdefault(home_of(symbol), []).append(symbol)
    found = []
    for home, members in sorted(by_home.items()):
        best: Optional[Found] = None
        for registrar in sorted(members):
            declared = calls.declarations(registrar)
            keys = {key for key, _, _, _ in declared}
            if len(keys) < _MIN_KEYS or not _declares(calls, registrar, declared):
                continue
            readers = [other for other in sorted(members) if other != registrar and _reads(calls, other, keys)]
            if not readers or not any(gated for other in readers for *_, gated in calls.literal[other]):
                continue
            candidate = Found(home, registrar, declared, readers, registrar in calls.computed)
            if best is None or len(candidate.declared) > len(best.declared):
                best = candidate
        if best is not None:
            found.append(best)
    return found


def _declares(calls: Calls, registrar: Symbol, declared: List[Declared]) -> bool:
    """Most calls of a registrar are made at import time, or pass a default:
    ``get_option("k")`` inside functions reads, ``_create_option("k",
    default_val=False)`` at module level declares."""
    with_default = sum(1 for _, default, _, _ in declared if default is not None)
    return 2 * max(calls.at_import.get(registrar, 0), with_default) >= len(declared)


def _reads(calls: Calls, symbol: Symbol, declared: Set[str]) -> bool:
    """Most of the keys ``symbol`` is called with are declared ones."""
    keys = {key for key, *_ in calls.literal.get(symbol, [])}
    return 2 * len(keys & declared) > len(keys)


def registry_of(found: Found, calls: Calls, into: Optional[Registry] = None) -> Registry:
    """The registry a registrar declares (or ``into``, a configured one,
    with the declared keys added where it has none)."""
    first = found.declared[0] if found.declared else ("", None, "", 0)
    registry = into if into is not None else Registry(display_name(found.home), path=first[2], line=first[3])
    registry.declared = True
    registry.open = registry.open or found.open
    registry.registered |= calls.stored(found)
    for key, sites in calls.mentions(found).items():
        registry.mentions.setdefault(key, []).extend(sites)
    for key, default, path, line in found.declared:
        registry.registered.add(key)
        if default != SETTING and key not in registry.entries:
            registry.entries[key] = Entry(bool(default), path, line)
    return registry


def merged_names(found: Iterable[Found]) -> Dict[Symbol, Found]:
    """Each read API's registry, by the API's symbol."""
    return {reader: item for item in found for reader in item.readers}

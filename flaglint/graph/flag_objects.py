"""Flag objects across files: which module-level objects are flags, and
which of them no code reads.

``NEW_UI = WaffleFlag("ns.new_ui", __name__)`` is a flag object when its
class is a flag class:

- a class of the analysed tree (or one of its bases there) that defines a
  read method (:data:`READ_METHODS`, ``is_enabled``), since its constructor
  takes the key (:mod:`flaglint.extract.flag_objects`);
- a class of a known toggles package (:data:`KNOWN_CLASSES`: edx-toggles'
  ``WaffleFlag``, ``WaffleSwitch``, ``SettingToggle``, ``SettingDictToggle``,
  ``NonNamespacedWaffleFlag``/``Switch``, and Open edX's ``CourseWaffleFlag``),
  found through the module's imports;
- a class named in the configuration's ``flag-classes``.

It is read when any code references it (``NEW_UI.is_enabled()``, passed on,
imported and used elsewhere). A module whose names are fetched by a computed
name (``getattr(module, name)``) may read any of them: none is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ..facts import UNKNOWN_RECEIVER, FileFacts, FlagObject
from .symbols import Symbol, SymbolTable

#: methods that read a flag object's state
READ_METHODS = frozenset({"is_enabled"})
#: toggles packages outside the tree: module prefix -> their flag classes
KNOWN_CLASSES: Dict[str, frozenset] = {
    "edx_toggles": frozenset(
        {
            "WaffleFlag",
            "WaffleSwitch",
            "SettingToggle",
            "SettingDictToggle",
            "NonNamespacedWaffleFlag",
            "NonNamespacedWaffleSwitch",
        }
    ),
    "openedx.core.djangoapps.waffle_utils": frozenset({"CourseWaffleFlag"}),
}


@dataclass(frozen=True)
class FlagObjectSite:
    symbol: Symbol
    fact: FlagObject
    path: str
    #: the flag class, as its module names it
    cls: str


class FlagObjects:
    """Every flag object of the tree and whether something reads it."""

    def __init__(self, files: Iterable[FileFacts], symbols: SymbolTable, configured: Iterable[str] = ()) -> None:
        self.symbols = symbols
        self.files = [facts for facts in files if facts.problem is None and facts.module]
        self.configured = frozenset(configured)
        self.bases: Dict[Symbol, Tuple[str, ...]] = {
            (facts.module, qualname): bases for facts in self.files for qualname, bases in facts.class_bases
        }
        self.methods: Set[Tuple[str, str]] = {
            (facts.module, function.qualname) for facts in self.files for function in facts.functions
        }

    @cached_property
    def objects(self) -> List[FlagObjectSite]:
        found = []
        for facts in self.files:
            for fact in facts.flag_objects:
                cls = self._flag_class(facts, fact.callee)
                if cls:
                    found.append(FlagObjectSite((facts.module, fact.name), fact, facts.path, cls))
        return found

    def _flag_class(self, facts: FileFacts, callee: str) -> str:
        """The flag class ``callee`` names in ``facts``' module ("" when it is none)."""
        full = _external_name(facts, callee)
        if full is not None and (full in self.configured or _known(full)):
            return full
        symbol = self.symbols.resolve(facts.module, callee)
        if symbol is not None and self._reads_itself(symbol, set()):
            name = f"{symbol[0]}.{symbol[1]}"
            return name
        if symbol is not None and f"{symbol[0]}.{symbol[1]}" in self.configured:
            return f"{symbol[0]}.{symbol[1]}"
        return ""

    def _reads_itself(self, symbol: Symbol, seen: Set[Symbol]) -> bool:
        """A class of the tree with a read method, its own or a base's."""
        if symbol not in self.bases or symbol in seen:
            return False
        seen.add(symbol)
        if any((symbol[0], f"{symbol[1]}.{method}") in self.methods for method in READ_METHODS):
            return True
        facts = self.symbols.modules.get(symbol[0])
        for base in self.bases[symbol]:
            if facts is not None and base:
                full = _external_name(facts, base)
                if full is not None and (full in self.configured or _known(full)):
                    return True
            resolved = self.symbols.resolve(symbol[0], base) if base else None
            if resolved is not None and self._reads_itself(resolved, seen):
                return True
        return False

    @cached_property
    def _referenced(self) -> Set[Tuple[str, str]]:
        """(module, first name) of every module-level name some code references."""
        found: Set[Tuple[str, str]] = set()
        for facts in self.files:
            refs = [name for _, names in facts.scope_refs for name in names]
            refs += [guarded.name for guarded in facts.guarded_refs]
            refs += [use.ref for use in facts.uses] + [read.ref for read in facts.reads]
            refs += [chain.root.partition(":")[2] for chain in facts.attr_chains if chain.root.startswith("name:")]
            for ref in refs:
                if not ref or ref.startswith((UNKNOWN_RECEIVER, "'")) or ":" in ref:
                    continue
                symbol = self.symbols.resolve(facts.module, ref)
                if symbol is not None:
                    found.add((symbol[0], symbol[1].split(".")[0]))
        return found

    @cached_property
    def _open_modules(self) -> Set[str]:
        """Modules whose names some code fetches by a computed name."""
        found: Set[str] = set()
        for facts in self.files:
            for written in facts.dynamic_lookups:
                if not written:
                    found.add(facts.module)
                    continue
                symbol = self.symbols.resolve(facts.module, written)
                if symbol is not None:
                    found.add(symbol[0] if not symbol[1] else f"{symbol[0]}.{symbol[1]}")
        return found

    def unused(self, site: FlagObjectSite) -> bool:
        return site.symbol not in self._referenced and site.symbol[0] not in self._open_modules

    @cached_property
    def unread(self) -> List[FlagObjectSite]:
        return [site for site in self.objects if self.unused(site)]


def _external_name(facts: FileFacts, written: str) -> Optional[str]:
    """``WaffleFlag`` imported ``from edx_toggles.toggles import WaffleFlag``:
    ``edx_toggles.toggles.WaffleFlag`` (None when no import binds its head)."""
    head, _, rest = written.partition(".")
    for imp in facts.imports:
        if imp.local == head:
            base = f"{imp.module}.{imp.name}" if imp.name else imp.module
            return f"{base}.{rest}" if rest else base
    return None


def _known(full: str) -> bool:
    module, _, name = full.rpartition(".")
    return any(
        (module == prefix or module.startswith(prefix + ".")) and name in names
        for prefix, names in KNOWN_CLASSES.items()
    )

"""Resolve a reference written in one module to the symbol it names.

This is the only place that follows imports across files: ``from a import B``,
``import a as x; x.B``, ``from . import b``, star imports, packages that
re-export names, and module-level aliases (``B = A``). A reference that leaves
the analysed tree resolves to nothing, which the rules read as "unknown".

A module may have other names (``FileFacts.aliases``: its names under the
other source roots, see :mod:`flaglint.project`); an import under any of them
finds it. A name two files could answer to resolves to nothing: never guessed.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from ..facts import ORIGIN_ALIAS, Definition, FileFacts, Import

#: (module, qualified name inside the module); name "" is the module itself.
Symbol = Tuple[str, str]

_MAX_DEPTH = 32


class SymbolTable:
    """Module-level bindings of every analysed file, and reference resolution."""

    def __init__(self, files: Iterable[FileFacts]) -> None:
        self.modules: Dict[str, FileFacts] = {}
        self.definitions: Dict[Symbol, List[Definition]] = {}
        self.imports: Dict[str, Dict[str, Import]] = {}
        self.star_imports: Dict[str, List[str]] = {}
        self.bound: Dict[str, set] = {}  # first component of every definition
        #: every other name of a module -> its primary name ("" when two files claim it)
        self.names: Dict[str, str] = {}
        #: primary names another file also answers to (through an alias)
        self.ambiguous: set = set()
        #: resolve()'s answers: the table never changes once built, and the
        #: same names are resolved from the same modules again and again
        self._resolved: Dict[Tuple[str, str], Optional[Symbol]] = {}
        files = list(files)
        for facts in files:
            if facts.problem is None and facts.module:
                if facts.module not in self.modules:
                    self._add(facts)
                else:  # two files, one name: an import of it is a guess
                    self.ambiguous.add(facts.module)
        self._add_aliases(files)

    def _add_aliases(self, files: List[FileFacts]) -> None:
        """Map each alias to its module; a name two files claim maps to "",
        and so does one claimed by a file whose own name another file has."""
        for facts in files:
            if facts.problem is not None or not facts.module:
                continue
            owner = facts.module if self.modules.get(facts.module) is facts else ""
            for alias in getattr(facts, "aliases", ()):
                if alias != facts.module:
                    claimed = alias in self.modules or alias in self.names
                    self.names[alias] = "" if claimed else owner
        for alias, module in self.names.items():
            if not module and alias in self.modules:
                self.ambiguous.add(alias)

    def primary(self, module: str) -> Optional[str]:
        """The analysed module ``module`` names (an alias followed), or None."""
        if module in self.modules:
            return None if module in self.ambiguous else module
        return self.names.get(module) or None

    def _add(self, facts: FileFacts) -> None:
        module = facts.module
        self.modules[module] = facts
        for definition in facts.definitions:
            self.definitions.setdefault((module, definition.name), []).append(definition)
            self.bound.setdefault(module, set()).add(definition.name.split(".")[0])
        table = self.imports.setdefault(module, {})
        for imp in facts.imports:
            if imp.local == "*":
                self.star_imports.setdefault(module, []).append(imp.module)
            else:
                table.setdefault(imp.local, imp)

    # ------------------------------------------------------------- resolution
    def resolve(self, module: str, ref: str) -> Optional[Symbol]:
        """The symbol ``ref`` names when written in ``module``, aliases followed."""
        try:
            return self._resolved[module, ref]
        except KeyError:
            pass
        if module not in self.modules:
            return None
        symbol = self._lookup(module, ref.split("."), 0, imported=False)
        found = self.canonical(symbol) if symbol else None
        self._resolved[module, ref] = found
        return found

    def canonical(self, symbol: Symbol, depth: int = 0) -> Symbol:
        """Follow ``B = A`` aliases to the symbol that carries the value."""
        definitions = self.definitions.get(symbol, ())
        if (
            depth < _MAX_DEPTH
            and len(definitions) == 1
            and definitions[0].origin == ORIGIN_ALIAS
            and definitions[0].alias_of is not None
            and not self._rebound(symbol)
        ):
            target = self._lookup(symbol[0], definitions[0].alias_of.split("."), depth + 1, imported=False)
            if target and target != symbol:
                return self.canonical(target, depth + 1)
        return symbol

    def _rebound(self, symbol: Symbol) -> bool:
        """``_LOG = DEBUG_NONE`` then ``global _LOG; _LOG = x``: a variable, not an alias."""
        return symbol[1] in self.modules[symbol[0]].global_sets

    def _lookup(self, wanted: str, parts: List[str], depth: int, imported: bool = True) -> Optional[Symbol]:
        """``parts`` inside module ``wanted``: a name imported (an alias is
        followed, an ambiguous name resolves to nothing) or the file's own."""
        if depth > _MAX_DEPTH:
            return None
        module = self.primary(wanted) if imported else wanted
        if module is None:
            return None
        if not parts:
            return (module, "")
        for size in range(len(parts), 0, -1):
            name = ".".join(parts[:size])
            if (module, name) in self.definitions:
                return (module, ".".join(parts))  # C.X where C.X is defined, or deeper
        imp = self.imports.get(module, {}).get(parts[0])
        if imp is not None:
            return self._through_import(imp, parts[1:], depth)
        submodule = f"{module}.{parts[0]}"
        if self.modules[module].is_package and self.primary(submodule):
            return self._lookup(submodule, parts[1:], depth + 1)
        for target in self.star_imports.get(module, ()):
            if self._binds(target, parts[0]):
                return self._lookup(target, parts, depth + 1)
        return (module, ".".join(parts))  # a class or function: known place, no value

    def _binds(self, module: str, name: str) -> bool:
        """Whether ``module`` binds ``name`` (a star import only passes those)."""
        module = self.primary(module) or module
        return name in self.imports.get(module, {}) or name in self.bound.get(module, ())

    def _through_import(self, imp: Import, rest: List[str], depth: int) -> Optional[Symbol]:
        if imp.name is None:
            return self._into_module(imp.module, rest, depth)
        submodule = f"{imp.module}.{imp.name}"
        if self.primary(submodule):
            return self._into_module(submodule, rest, depth)
        return self._lookup(imp.module, [*imp.name.split("."), *rest], depth + 1)

    def _into_module(self, module: str, rest: List[str], depth: int) -> Optional[Symbol]:
        while rest and self.primary(f"{module}.{rest[0]}"):
            module, rest = f"{module}.{rest[0]}", rest[1:]
        return self._lookup(module, rest, depth + 1)


def display_name(symbol: Symbol) -> str:
    """``smars.legacy.POWER_PEG``: how findings and JSON name a flag."""
    module, name = symbol
    return f"{module}.{name}" if module and name else module or name


def short_name(symbol: Symbol) -> str:
    """``POWER_PEG`` / ``OrderFlags.RLP``: the name as the code spells it."""
    return symbol[1] or symbol[0]

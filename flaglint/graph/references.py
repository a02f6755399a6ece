"""Dead code across modules: functions and classes whose every use is dead.

A use is any mention of the name outside an import statement: a call, an
attribute (``legacy.export()``, ``self.helper``), an alias's name
(``from m import export as run``, then ``run()``), a string naming a dotted
path or an entry point (``"app.legacy.export"``: Django settings, a
``mock.patch`` target, ``setup.py``), ``getattr(m, "export")``, ``__all__``.
Mentions are matched by name across the whole tree, so any live mention of
the same name anywhere keeps every definition of it alive: the search can
miss dead code, never call live code dead. An import line alone is not a
use: it only serves the uses in its module, which are judged themselves.

A function or class is dead when it has a use and every use is inside a
dead block or inside another dead function or class; the search repeats to
a fixpoint, across modules (a helper of a helper in a third module).

Roots, never dead (frameworks call them by name, or code outside the tree
may): decorated functions and classes (a route, a task, a fixture, a
command; ``@dataclass`` aside), dunder methods, every method and nested
class of a class (a dead class takes its methods with it), names the
packaging metadata declares as entry points, names imported by a package's
``__init__.py`` (its public API; a private ``_name`` is not), and every function and class of a module
whose names are fetched by a computed name (``globals()[name]``,
``getattr(module, name)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Dict, Iterable, List, Mapping, Optional, Set, Tuple

from ..facts import ORIGIN_ALIAS, ORIGIN_COMPOSITE, ORIGIN_LITERAL, FileFacts, Function, Span
from .build import Flag, FlagGraph

#: callers kept per dead function: the finding shows this many
MAX_CALLERS = 9

FUNCTION = "function"
CLASS = "class"
#: a module-level constant with a value that has no side effects
#: (``X = 3``, ``X = "path"``, ``X = A | B``); removed by ``fix``, not reported
CONSTANT = "constant"
_PURE_ORIGINS = frozenset({ORIGIN_LITERAL, ORIGIN_ALIAS, ORIGIN_COMPOSITE})

#: (path, scope, flag if inside a dead block, that block's span)
Reference = Tuple[str, str, Optional[Flag], Optional[Span]]


@dataclass(frozen=True)
class DeadFunction:
    """A function or class (``kind``) only used from code that never runs."""

    flag: Flag  # the flag whose dead block holds a use
    path: str
    function: Function
    callers: Tuple[Tuple[str, Span], ...]  # (path, span of a dead block or dead function holding a use)
    kind: str = FUNCTION
    #: (path, span) of import statements that only serve its dead uses
    imports: Tuple[Tuple[str, Span], ...] = ()


class DeadCodeSearch:
    """Functions and classes whose every use is inside dead code, to a fixpoint."""

    def __init__(self, graph: FlagGraph, dead_reads: Mapping[str, Mapping[int, Flag]]) -> None:
        self.graph = graph
        self.files: Dict[str, FileFacts] = graph.files
        self.dead_reads = dead_reads
        self._aliases = {path: _aliases(facts) for path, facts in self.files.items()}
        self._roots = self._root_names()
        self._open_modules = self._dynamically_read_modules()

    # ------------------------------------------------------------- search
    def run(self) -> List[DeadFunction]:
        dead: Dict[Tuple[str, str], DeadFunction] = {}
        references: Dict[str, Tuple[List[Reference], List[Reference]]] = {}  # name -> (all, outside dead blocks)
        looked_up: Set[str] = set()
        names = self._names_in_dead_blocks()
        while names - looked_up:
            found = self._references(names - looked_up)
            for name in names - looked_up:
                refs = found.get(name, [])
                references[name] = (refs, [ref for ref in refs if ref[2] is None])
            looked_up |= names
            self._fixpoint(self._candidates(looked_up), references, dead)
            names = looked_up | self._names_in_dead(dead)
        return self._reported(dead)

    def _fixpoint(self, candidates, references, dead) -> None:
        changed = True
        while changed:
            changed = False
            for path, function, kind in candidates:
                key = (path, function.qualname)
                if key not in dead:
                    every, unflagged = references.get(function.name, ([], []))
                    verdict = self._judge(path, function, kind, every, unflagged, dead)
                    if verdict is not None:
                        dead[key] = verdict
                        changed = True

    def _names_in_dead_blocks(self) -> Set[str]:
        return {
            ref.name
            for path, reads in self.dead_reads.items()
            for ref in self.files[path].guarded_refs
            if any(guard in reads for guard in ref.guards)
        }

    def _names_in_dead(self, dead) -> Set[str]:
        """Names used inside dead functions and classes: their helpers may be dead too."""
        names: Set[str] = set()
        for path, qualname in dead:
            for scope, identifiers in self.files[path].scope_refs:
                if _within(scope, qualname):
                    names.update(identifiers)
            for ref in self.files[path].guarded_refs:
                if _within(ref.scope, qualname):
                    names.add(ref.name)
        return names

    # --------------------------------------------------------- candidates
    def _candidates(self, names: Set[str]) -> List[Tuple[str, Function, str]]:
        found = []
        for facts in self.files.values():
            if facts.path in self._open_modules:
                continue
            classes = {item.qualname for item in facts.classes} | {qualname for qualname, _ in facts.class_bases}
            for kind, items in (
                (FUNCTION, facts.functions),
                (CLASS, facts.classes),
                (CONSTANT, self._constants(facts)),
            ):
                for item in items:
                    if item.name in names and not self._root(item, classes):
                        found.append((facts.path, item, kind))
        return found

    def _constants(self, facts: FileFacts) -> List[Function]:
        cache = self.__dict__.setdefault("_constants_by_path", {})
        if facts.path not in cache:
            cache[facts.path] = _constants(facts)
        return cache[facts.path]

    def _root(self, item: Function, classes: Set[str]) -> bool:
        parent = item.qualname.rpartition(".")[0]
        return item.decorated or _is_dunder(item.name) or item.name in self._roots or parent in classes

    def _root_names(self) -> Set[str]:
        """Entry points, and what packages re-export (``__init__.py`` imports)."""
        names = set(getattr(self.graph.sources, "entry_points", ()) or ())
        for facts in self.files.values():
            if not facts.is_package:
                continue
            for imported in facts.imports:
                if imported.local == "*":
                    names.update(self._public_names(imported.module))
                elif imported.name is not None and not (
                    _private(imported.local) and _private(imported.name.rsplit(".", 1)[-1])
                ):
                    names.add(imported.local)
                    names.add(imported.name.rsplit(".", 1)[-1])
        return names

    def _public_names(self, module: str) -> Set[str]:
        facts = self.graph.symbols.modules.get(module)
        if facts is None:
            return set()
        items = [*facts.functions, *facts.classes]
        return {item.name for item in items if not item.name.startswith("_") and "." not in item.qualname}

    def _dynamically_read_modules(self) -> Set[str]:
        """Paths of modules whose names are fetched by a computed name."""
        paths = set()
        for facts in self.files.values():
            for target in facts.dynamic_lookups:
                if target == "":
                    paths.add(facts.path)
                    continue
                module = self._module_named(facts, target)
                if module is not None:
                    paths.add(module.path)
        return paths

    def _module_named(self, facts: FileFacts, ref: str) -> Optional[FileFacts]:
        """The analysed module ``ref`` names in ``facts``' module, if it is one."""
        symbol = self.graph.symbols.resolve(facts.module, ref) if facts.module else None
        if symbol is not None and symbol[1] == "":
            return self.graph.symbols.modules.get(symbol[0])
        return None

    # --------------------------------------------------------- references
    def _references(self, names: Set[str]) -> Dict[str, List[Reference]]:
        found: Dict[str, List[Reference]] = {}
        for facts in self.files.values():
            aliases = {local: original for local, original in self._aliases[facts.path].items() if original in names}
            reads = self.dead_reads.get(facts.path, {})
            for scope, identifiers in facts.scope_refs:
                for name in _used(names, aliases, identifiers):
                    found.setdefault(name, []).append((facts.path, scope, None, None))
            for ref in facts.guarded_refs:
                for name in _used(names, aliases, (ref.name,)):
                    guard = next((g for g in ref.guards if g in reads), None)
                    flag = reads.get(guard) if guard is not None else None
                    gate = facts.reads[guard].gate if guard is not None else None
                    found.setdefault(name, []).append((facts.path, ref.scope, flag, gate))
        return found

    # ------------------------------------------------------------ verdict
    def _judge(self, path, function, kind, references, unflagged, dead) -> Optional[DeadFunction]:
        # Only a reference outside every dead block can keep it alive, so
        # those are checked first; after that the verdict is certain and
        # only the first callers are collected.
        for ref_path, scope, _, _ in unflagged:
            if not (ref_path == path and _within(scope, function.qualname)) and not _in_dead(dead, ref_path, scope):
                return None
        flag, callers = None, []
        for ref_path, scope, ref_flag, gate in references:
            if ref_path == path and _within(scope, function.qualname):
                continue  # recursion or its own body
            if ref_flag is not None:
                flag = flag or ref_flag
                callers.append((ref_path, gate))
            else:  # in a dead function or class: the check above saw no other kind
                holder = _in_dead(dead, ref_path, scope)
                assert holder is not None  # every unflagged reference is in a dead definition (checked above)
                flag = flag or holder.flag
                callers.append((ref_path, holder.function.span))
            if len(callers) >= MAX_CALLERS:
                break
        if flag is None:
            return None
        return DeadFunction(flag, path, function, tuple(dict.fromkeys(callers)), kind)

    def _reported(self, dead: Dict[Tuple[str, str], DeadFunction]) -> List[DeadFunction]:
        """One finding per outermost dead definition: a def inside a dead
        block is reported with the block, a method with its dead class."""
        reported = []
        for (path, qualname), verdict in dead.items():
            reads = self.dead_reads.get(path, {})
            if any(guard in reads for guard in verdict.function.guards):
                continue
            if _in_dead(dead, path, qualname.rpartition(".")[0]):
                continue
            reported.append(_with_imports(verdict, self._importers(path, verdict.function)))
        return reported

    def _importers(self, path: str, function: Function) -> Tuple[Tuple[str, Span], ...]:
        """Import statements elsewhere that name this definition."""
        module = self.files[path].module
        if not module or "." in function.qualname:
            return ()
        found = []
        for facts, local, span in self._imports_by_name.get(function.name, ()):
            if self.graph.symbols.resolve(facts.module, local) == (module, function.qualname):
                found.append((facts.path, span))
        return tuple(sorted(found, key=lambda item: (item[0], item[1].line)))

    @cached_property
    def _imports_by_name(self) -> Dict[str, List[Tuple[FileFacts, str, Span]]]:
        """Imported name -> (importing file, local name, the import's span):
        one pass, not one per finding."""
        index: Dict[str, List[Tuple[FileFacts, str, Span]]] = {}
        for facts in self.files.values():
            for imported in facts.imports:
                name = imported.name
                if imported.span is not None and name is not None and name != "*":
                    index.setdefault(name.rsplit(".", 1)[-1], []).append((facts, imported.local, imported.span))
        return index


def _constants(facts: FileFacts) -> List[Function]:
    """Module-level names bound once, to a value without side effects, as
    definitions the search can judge like functions."""
    strings = {name for name, _ in facts.string_constants}
    bound: Dict[str, list] = {}
    for definition in facts.definitions:
        if definition.owner_class is None and "." not in definition.name:
            bound.setdefault(definition.name, []).append(definition)
    return [
        Function(name, name, found[0].span)
        for name, found in bound.items()
        if len(found) == 1 and not _is_dunder(name) and (found[0].origin in _PURE_ORIGINS or name in strings)
    ]


def _with_imports(verdict: DeadFunction, imports) -> DeadFunction:
    return DeadFunction(verdict.flag, verdict.path, verdict.function, verdict.callers, verdict.kind, imports)


def _used(names: Set[str], aliases: Dict[str, str], mentions: Iterable[str]) -> List[str]:
    """The looked-up names these mentions use: the name itself, or the name
    a local alias stands for (``import f as g``: ``g`` uses ``f``)."""
    used = [name for name in mentions if name in names]
    if aliases:
        used += [aliases[local] for local in mentions if local in aliases]
    return used


def _aliases(facts: FileFacts) -> Dict[str, str]:
    """``from m import f as g``: local name -> the name it imports."""
    aliases = {}
    for imported in facts.imports:
        if imported.name and imported.name != "*":
            original = imported.name.rsplit(".", 1)[-1]
            if original != imported.local:
                aliases[imported.local] = original
    return aliases


def _in_dead(dead: Dict[Tuple[str, str], DeadFunction], path: str, scope: str) -> Optional[DeadFunction]:
    """The dead definition ``scope`` (a qualname) lies in, if any."""
    while scope:
        if (path, scope) in dead:
            return dead[(path, scope)]
        scope = scope.rpartition(".")[0]
    return None


def _within(scope: str, qualname: str) -> bool:
    return scope == qualname or scope.startswith(qualname + ".")


def _private(name: str) -> bool:
    """``_helper``: an ``__init__.py`` that imports it does not publish it
    (dunders such as ``__version__`` are public)."""
    return name.startswith("_") and not _is_dunder(name)


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def dead_lines(spans: Iterable[Tuple[str, Span]]) -> Dict[str, int]:
    """path -> number of distinct lines the spans cover."""
    lines: Dict[str, Set[int]] = {}
    for path, span in spans:
        lines.setdefault(path, set()).update(range(span.line, span.end_line + 1))
    return {path: len(numbers) for path, numbers in lines.items()}

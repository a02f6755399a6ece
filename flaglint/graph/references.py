"""Dead code across modules: functions and classes whose every use is dead.

A reference is what Python would bind (the extraction records each one
after the module's own scoping, see :class:`~flaglint.facts.GuardedRef`):
a name resolves through the module's definitions and imports
(``from m import export as run``, then ``run()``), an attribute through a
module or class it is resolved to (``legacy.export()``, ``Jobs.process``,
``self.send()`` in a method of a class that defines ``send``),
``getattr(legacy, "export")`` like ``legacy.export``, across modules as
:class:`~flaglint.graph.symbols.SymbolTable` resolves them. Each resolves
to one definition, or to nothing in the tree (``json.loads``, a builtin).
An attribute of an object flaglint cannot name (``msg.send()``,
``job.process()``, a parameter, a local), an identifier in a string
(``"app.legacy.export"``, ``__all__``, a ``mock.patch`` target) and a name
nothing binds do not resolve: outside dead code they keep every
definition of that name alive (a miss, never a false delete), inside dead
code they count for nothing. An import line alone is not a use: it only
serves the uses in its module, which are judged themselves.

A function or class is dead when at least one reference resolves to it and
every reference to it (and every unresolved one of its name) is inside a
dead block or inside another dead function or class; the search repeats to
a fixpoint, across modules (a helper of a helper in a third module). A
definition nothing resolves to is not flag-gated code: never dead here.

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
from typing import Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Set, Tuple

from ..facts import (
    ORIGIN_ALIAS,
    ORIGIN_COMPOSITE,
    ORIGIN_LITERAL,
    STRING_REF,
    UNKNOWN_RECEIVER,
    FileFacts,
    Function,
    Span,
)
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
        self._roots = self._root_names()
        self._open_modules = self._dynamically_read_modules()

    # ------------------------------------------------------------- search
    def run(self) -> List[DeadFunction]:
        dead: Dict[Tuple[str, str], DeadFunction] = {}
        index = _Index()
        looked_up: Set[str] = set()
        names = self._names_in_dead_blocks()
        while names - looked_up:
            self._index(names - looked_up, looked_up, index)
            looked_up |= names
            self._fixpoint(self._candidates(looked_up), index, dead)
            names = looked_up | self._names_in_dead(dead)
        return self._reported(dead)

    def _fixpoint(self, candidates, index: "_Index", dead) -> None:
        changed = True
        while changed:
            changed = False
            for path, function, kind in candidates:
                key = (path, function.qualname)
                if key not in dead:
                    verdict = self._judge(path, function, kind, index, dead)
                    if verdict is not None:
                        dead[key] = verdict
                        changed = True

    def _names_in_dead_blocks(self) -> Set[str]:
        return {
            name
            for path, reads in self.dead_reads.items()
            for ref in self.files[path].guarded_refs
            if any(guard in reads for guard in ref.guards)
            for name in identifiers(ref.name)
        }

    def _names_in_dead(self, dead) -> Set[str]:
        """Names used inside dead functions and classes: their helpers may be dead too."""
        names: Set[str] = set()
        for path, qualname in dead:
            for scope, refs in self.files[path].scope_refs:
                if _within(scope, qualname):
                    for ref in refs:
                        names.update(identifiers(ref))
            for guarded in self.files[path].guarded_refs:
                if _within(guarded.scope, qualname):
                    names.update(identifiers(guarded.name))
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

    @cached_property
    def _constants(self) -> Callable[[FileFacts], List[Function]]:
        """A module's constants (:func:`_constants`), worked out once per
        module. A function of its own, not a method: the resolver keeps it,
        and a bound method would tie the search, its graph and every fact
        into a cycle that outlives the run until a full collection (1.1
        million objects and 1.4 s of CPU at exit on the stdlib)."""
        found: Dict[str, List[Function]] = {}

        def constants(facts: FileFacts) -> List[Function]:
            if facts.path not in found:
                found[facts.path] = _constants(facts)
            return found[facts.path]

        return constants

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
    def _index(self, names: Set[str], done: Set[str], index: "_Index") -> None:
        """Resolve every reference that mentions one of ``names`` (and none
        of ``done``, already indexed), or a local alias of one."""
        # the identifiers of each reference text, split once per search: the
        # same texts (``self.x``, ``os.path.join``) recur throughout the tree,
        # and each round tests every reference again (on the stdlib, splitting
        # them was most of FL002's time)
        spelled: Dict[str, FrozenSet[str]] = self.__dict__.setdefault("_spelled", {})
        for facts in self.files.values():
            aliases = {local for local, original in self._aliases(facts).items() if original in names}
            wanted = names | aliases if aliases else names
            reads = self.dead_reads.get(facts.path, {})
            for scope, refs in facts.scope_refs:
                for ref in refs:
                    parts = spelled.get(ref)
                    if parts is None:
                        parts = spelled[ref] = frozenset(identifiers(ref))
                    if not wanted.isdisjoint(parts) and done.isdisjoint(parts):
                        index.add(self._resolver.targets(facts, ref), (facts.path, scope, None, None))
            for guarded in facts.guarded_refs:
                parts = spelled.get(guarded.name)
                if parts is None:
                    parts = spelled[guarded.name] = frozenset(identifiers(guarded.name))
                if not wanted.isdisjoint(parts) and done.isdisjoint(parts):
                    guard = next((g for g in guarded.guards if g in reads), None)
                    flag = reads.get(guard) if guard is not None else None
                    gate = facts.reads[guard].gate if guard is not None else None
                    index.add(self._resolver.targets(facts, guarded.name), (facts.path, guarded.scope, flag, gate))

    def _aliases(self, facts: FileFacts) -> Dict[str, str]:
        """A name an import binds -> the name of the definition it ends at,
        where the two differ: ``from m import f as g``, and ``from m2 import
        g`` where m2 did ``from m import f as g`` (a reference to ``g`` is
        one to ``f``)."""
        cache = self.__dict__.setdefault("_aliases_by_path", {})
        if facts.path not in cache:
            aliases = _aliases(facts)
            if facts.module and self.graph.symbols.modules.get(facts.module) is facts:
                for imported in facts.imports:
                    if imported.name and imported.name != "*" and imported.local not in aliases:
                        symbol = self.graph.symbols.resolve(facts.module, imported.local)
                        original = symbol[1].rsplit(".", 1)[-1] if symbol and symbol[1] else None
                        if original and original != imported.local:
                            aliases[imported.local] = original
            cache[facts.path] = aliases
        return cache[facts.path]

    @cached_property
    def _resolver(self) -> "Resolver":
        return Resolver(self.graph, self._constants)

    # ------------------------------------------------------------ verdict
    def _judge(self, path, function, kind, index: "_Index", dead) -> Optional[DeadFunction]:
        """Dead: something resolves to it, and every reference that does
        (and every unresolved one of its name) is in dead code. Only a
        reference outside every dead block can keep it alive, so those are
        checked first; after that the verdict is certain and only the first
        callers are collected."""
        references = [
            ref
            for ref in index.resolved.get((path, function.qualname), ())
            if not (ref[0] == path and _within(ref[1], function.qualname))  # recursion or its own body
        ]
        if not references:
            return None  # nothing names it: not flag-gated code
        for ref_path, scope, ref_flag, _ in (*references, *index.unresolved.get(function.name, ())):
            if ref_flag is None and not (ref_path == path and _within(scope, function.qualname)):
                if not _in_dead(dead, ref_path, scope):
                    return None
        flag: Optional[Flag] = None
        callers: list = []
        for ref_path, scope, ref_flag, gate in references:
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


def resolved_definitions(graph: FlagGraph) -> Set[Tuple[str, str]]:
    """(path, qualname) of every function, class and constant that at least
    one reference outside its own body resolves to: what a fix that bakes a
    flag in as on may consider orphaned once the references it removed are
    gone. A definition nothing refers to is never the fix's to remove."""
    resolver = Resolver(graph, _constants)
    found: Set[Tuple[str, str]] = set()
    for facts in graph.files.values():
        mentions = [(scope, ref) for scope, refs in facts.scope_refs for ref in refs]
        mentions += [(guarded.scope, guarded.name) for guarded in facts.guarded_refs]
        for scope, ref in mentions:
            for key in resolver.targets(facts, ref)[0]:
                if not (key[0] == facts.path and _within(scope, key[1])):
                    found.add(key)
    return found


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


def identifiers(ref: str) -> List[str]:
    """The names a recorded reference is spelled with (``legacy.export``:
    ``legacy`` and ``export``; ``.send``: ``send``; ``'send``: ``send``)."""
    return [part for part in ref.lstrip(STRING_REF).split(".") if part]


class _Index:
    """References found so far: by the definition they resolve to, and
    (outside dead blocks only: nothing else can keep code alive) by the name
    of those that resolve to nothing known."""

    def __init__(self) -> None:
        self.resolved: Dict[Tuple[str, str], List[Reference]] = {}
        self.unresolved: Dict[str, List[Reference]] = {}

    def add(self, targets: "Targets", reference: Reference) -> None:
        definitions, names = targets
        for key in definitions:
            self.resolved.setdefault(key, []).append(reference)
        if reference[2] is None:
            for name in names:
                self.unresolved.setdefault(name, []).append(reference)


#: (definitions a reference resolves to as (path, qualname), names it leaves unresolved)
Targets = Tuple[Tuple[Tuple[str, str], ...], Tuple[str, ...]]


class Resolver:
    """What one recorded reference names: the definitions it resolves to
    (``legacy.export`` names module ``legacy`` and its function ``export``:
    only the function is a definition), and the names it leaves unresolved
    (an attribute of an unknown object, a string's identifier, a name
    nothing binds). A reference into a module outside the tree resolves to
    nothing at all (``json.loads``, ``email.message.Message``)."""

    def __init__(self, graph: FlagGraph, constants) -> None:
        self.symbols = graph.symbols
        self.files = graph.files
        self._constants = constants
        self._cache: Dict[Tuple[str, str], Targets] = {}
        self._defined: Dict[str, Set[str]] = {}

    def targets(self, facts: FileFacts, ref: str) -> Targets:
        key = (facts.path, ref)
        if key not in self._cache:
            self._cache[key] = self._targets(facts, ref)
        return self._cache[key]

    def _targets(self, facts: FileFacts, ref: str) -> Targets:
        if ref.startswith((STRING_REF, UNKNOWN_RECEIVER)):
            return (), tuple(identifiers(ref))
        parts = ref.split(".")
        if parts[0] in self._defined_in(facts):  # the module's own def or class (or one nested in a function)
            return self._inside(facts, parts)
        if not facts.module or self.symbols.modules.get(facts.module) is not facts:
            return (), tuple(parts)  # a script, or a name two files share: its imports are not known
        symbol = self.symbols.resolve(facts.module, ref)
        if symbol is None:
            return (), ()  # leaves the tree: names nothing here
        module, qualname = symbol
        target = self.symbols.modules.get(module)
        if target is None:
            return (), ()
        return self._inside(target, qualname.split(".") if qualname else [])

    def _inside(self, facts: FileFacts, parts: List[str]) -> Targets:
        """``parts`` inside module ``facts``: every leading run of them that
        is a definition there (``C``, ``C.send``), and the names past the
        longest one, which nothing resolves (``C.inherited``, ``x.send``)."""
        defined = self._defined_in(facts)
        found = []
        covered = 0
        for size in range(1, len(parts) + 1):
            qualname = ".".join(parts[:size])
            if qualname not in defined:
                break
            found.append((facts.path, qualname))
            covered = size
        return tuple(found), tuple(parts[covered:])

    def _defined_in(self, facts: FileFacts) -> Set[str]:
        if facts.path not in self._defined:
            self._defined[facts.path] = {
                *(item.qualname for item in facts.functions),
                *(item.qualname for item in facts.classes),
                *(item.qualname for item in self._constants(facts)),
            }
        return self._defined[facts.path]


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

"""What the graph proves: flags nothing turns on, bits given two meanings,
and code (blocks and whole functions) that can therefore never run.

Computed once per graph and shared by the rules, so FL001, FL002 and FL003
always agree on which flags are dead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Dict, List, Optional, Set, Tuple

from ..facts import Function, Read, Span
from ..history.compare import HistoricReuse, historic_reuses
from .build import Flag, FlagGraph, Site

#: callers kept per dead function: the finding shows this many
MAX_CALLERS = 9


@dataclass(frozen=True)
class Collision:
    """``old`` is read but never set; ``new`` has the same bit and is set."""

    old: Flag
    new: Flag
    value: int
    link: str  # why they are one family: "enum" or "field .flags"


@dataclass(frozen=True)
class DeadRegion:
    flag: Flag
    site: Site  # the read; site.fact.gate is the dead block


@dataclass(frozen=True)
class DeadFunction:
    flag: Flag
    path: str
    function: Function
    callers: Tuple[Tuple[str, Span], ...]  # (path, span of the dead block holding a call)


class FlagAnalysis:
    def __init__(self, graph: FlagGraph, reference=None) -> None:
        self.graph = graph
        self.reference = reference  # history.compare.Reference, for --against / the ledger

    @cached_property
    def historic_reuses(self) -> List[HistoricReuse]:
        """Bits given a new name since the reference (a revision or the ledger)."""
        return historic_reuses(self.graph, self.reference)

    # ------------------------------------------------------------ never set
    @cached_property
    def never_set(self) -> List[Flag]:
        """Flags read somewhere whose value nothing in the tree can turn on."""
        owned = self.graph.owned_fields()
        reused = {collision.old.symbol for collision in self.collisions}
        flags = [
            flag
            for flag in self.graph.iter_flags()
            if self._bool_never_set(flag) or (flag.symbol not in reused and self._bit_never_set(flag, owned))
        ]
        return flags + [flag for flag in self.graph.iter_keyed() if flag.truth_reads and not flag.set_by]

    def _bool_never_set(self, flag: Flag) -> bool:
        off = flag.is_off or flag.from_key
        return bool(flag.truth_reads) and off and not flag.set_by and not flag.overridden_somewhere

    def _bit_never_set(self, flag: Flag, owned: Set[str]) -> bool:
        """A bit nobody sets, tested only on fields the code itself fills.

        A field the code never stores a constant into (``co_flags``, a value
        read off the wire) is filled from outside: its bits are unknown.
        """
        if flag.bit is None or not flag.bit_reads or flag.uses or self.graph.built_dynamically(flag):
            return False
        if flag.overridden_somewhere or flag.name in self.graph.external:
            return False
        if self._same_bit_set_elsewhere(flag):
            return False
        fields = [site.fact.field for site in flag.bit_reads]
        return all(field in owned for field in fields)

    def _same_bit_set_elsewhere(self, flag: Flag) -> bool:
        return any(other.uses for other in self._by_bit.get((flag.family, flag.bit), ()) if other is not flag)

    # ---------------------------------------------------------- collisions
    @cached_property
    def _by_bit(self) -> Dict[Tuple[str, int], List[Flag]]:
        index: Dict[Tuple[str, int], List[Flag]] = {}
        for flag in self.graph.iter_flags():
            if flag.bit is not None:
                index.setdefault((flag.family, flag.bit), []).append(flag)
        return index

    @cached_property
    def collisions(self) -> List[Collision]:
        """Pairs where a read-only name shares its bit with a name that is set."""
        by_value: Dict[int, List[Flag]] = {}
        for flag in self.graph.iter_flags():
            if flag.bit is not None and (flag.uses or flag.bit_reads):
                by_value.setdefault(flag.bit, []).append(flag)
        found = []
        for value, flags in sorted(by_value.items()):
            olds = [flag for flag in flags if flag.bit_reads and not flag.uses]
            news = [flag for flag in flags if flag.uses]
            for old in olds:
                for new in news:
                    link = self._link(old, new)
                    if link and old.symbol != new.symbol:
                        found.append(Collision(old, new, value, link))
        return found

    def _link(self, old: Flag, new: Flag) -> Optional[str]:
        """Why two constants with one bit belong to one family, if they do."""
        if old.enum_class and old.family == new.family:
            return "enum"
        shared = self.graph.read_fields(old) & (self.graph.set_fields(new) | self.graph.read_fields(new))
        if shared:
            return f"field {sorted(shared)[0]}"
        return None

    @cached_property
    def silent_aliases(self) -> List[Tuple[Flag, Flag]]:
        """(first, second) enum members with one literal bit: Python makes the
        second an alias of the first without a word."""
        pairs = []
        for (_family, _value), flags in sorted(self._by_bit.items()):
            members = sorted(
                (flag for flag in flags if flag.enum_class),
                key=lambda flag: (flag.definitions[0].span.line, flag.definitions[0].span.column),
            )
            pairs.extend((members[0], later) for later in members[1:])
        return pairs

    # ------------------------------------------------------------ dead code
    @cached_property
    def dead_reads(self) -> Dict[str, Dict[int, Flag]]:
        """path -> {read index -> never-set flag} for reads that gate code."""
        dead: Dict[str, Dict[int, Flag]] = {}
        for flag in self.never_set:
            for site in flag.reads:
                read: Read = site.fact
                if read.gate is not None:
                    index = self._read_index(site.path)[read]
                    dead.setdefault(site.path, {})[index] = flag
        return dead

    def _read_index(self, path: str) -> Dict[Read, int]:
        cache = self.__dict__.setdefault("_read_indices", {})
        if path not in cache:
            cache[path] = {read: index for index, read in enumerate(self.graph.files[path].reads)}
        return cache[path]

    @cached_property
    def dead_regions(self) -> List[DeadRegion]:
        """Outermost dead blocks: a block inside another dead block is not
        reported again."""
        regions = []
        for path, reads in sorted(self.dead_reads.items()):
            facts = self.graph.files[path]
            for index, flag in sorted(reads.items()):
                read = facts.reads[index]
                if not any(guard in reads for guard in read.guards):
                    regions.append(DeadRegion(flag, Site(path, read.span, read)))
        return regions

    @cached_property
    def dead_functions(self) -> List[DeadFunction]:
        return _DeadFunctionSearch(self.graph, self.dead_reads).run()


class _DeadFunctionSearch:
    """Functions whose every reference is inside dead code, to a fixpoint.

    References are matched by identifier, across the whole tree: any mention
    of a function's name outside dead code keeps every function of that name
    alive. That over-approximates calls, so a function is only called dead
    when nothing anywhere could reach it.
    """

    def __init__(self, graph: FlagGraph, dead_reads: Dict[str, Dict[int, Flag]]) -> None:
        self.graph = graph
        self.dead_reads = dead_reads

    def run(self) -> List[DeadFunction]:
        dead: Dict[Tuple[str, str], DeadFunction] = {}
        references: Dict[str, Tuple[list, list]] = {}  # name -> (all, outside dead blocks)
        looked_up: Set[str] = set()
        names = self._names_in_dead_blocks()
        while names - looked_up:
            found = self._references(names - looked_up)
            references.update({name: (refs, [ref for ref in refs if ref[2] is None]) for name, refs in found.items()})
            looked_up |= names
            self._fixpoint(self._candidates(looked_up), references, dead)
            names = looked_up | self._names_in_dead_functions(dead)
        return [verdict for verdict in dead.values() if not self._inside_dead_code(verdict)]

    def _fixpoint(self, candidates, references, dead) -> None:
        changed = True
        while changed:
            changed = False
            for path, function in candidates:
                key = (path, function.qualname)
                if key not in dead:
                    verdict = self._judge(path, function, *references.get(function.name, ([], [])), dead)
                    if verdict is not None:
                        dead[key] = verdict
                        changed = True

    def _names_in_dead_blocks(self) -> Set[str]:
        return {
            ref.name
            for path, reads in self.dead_reads.items()
            for ref in self.graph.files[path].guarded_refs
            if any(guard in reads for guard in ref.guards)
        }

    def _names_in_dead_functions(self, dead) -> Set[str]:
        """Identifiers mentioned inside dead functions: their helpers may be dead too."""
        names: Set[str] = set()
        for path, qualname in dead:
            for scope, identifiers in self.graph.files[path].scope_refs:
                if _within(scope, qualname):
                    names.update(identifiers)
        return names

    def _candidates(self, names: Set[str]) -> List[Tuple[str, Function]]:
        return [
            (facts.path, function)
            for facts in self.graph.files.values()
            for function in facts.functions
            if function.name in names and not function.decorated and not _is_dunder(function.name)
        ]

    def _references(self, names: Set[str]) -> Dict[str, List[Tuple[str, str, Optional[Flag], Optional[Span]]]]:
        """name -> [(path, scope, flag if inside dead code, dead block span)]."""
        found: Dict[str, list] = {}
        for facts in self.graph.files.values():
            reads = self.dead_reads.get(facts.path, {})
            for scope, identifiers in facts.scope_refs:
                for name in names.intersection(identifiers):
                    found.setdefault(name, []).append((facts.path, scope, None, None))
            for ref in facts.guarded_refs:
                if ref.name in names:
                    guard = next((g for g in ref.guards if g in reads), None)
                    flag = reads.get(guard) if guard is not None else None
                    gate = facts.reads[guard].gate if guard is not None else None
                    found.setdefault(ref.name, []).append((facts.path, ref.scope, flag, gate))
        return found

    def _judge(self, path, function, references, unflagged, dead) -> Optional[DeadFunction]:
        # A reference outside dead code settles it. Only references outside
        # any dead block can be one, so those are checked first (a name
        # defined in many modules must not cost a scan of every dead
        # reference per definition); after that the verdict is certain and
        # only the first callers are collected.
        for ref_path, scope, _, _ in unflagged:
            if (ref_path, scope) not in dead and not (ref_path == path and _within(scope, function.qualname)):
                return None
        flag, callers = None, []
        for ref_path, scope, ref_flag, gate in references:
            if ref_path == path and _within(scope, function.qualname):
                continue  # recursion or its own body
            if ref_flag is not None:
                flag = flag or ref_flag
                callers.append((ref_path, gate))
            else:  # in a dead function: the check above saw no other kind
                flag = flag or dead[(ref_path, scope)].flag
                callers.append((ref_path, dead[(ref_path, scope)].function.span))
            if len(callers) >= MAX_CALLERS:
                break
        if flag is None:
            return None
        return DeadFunction(flag, path, function, tuple(callers))

    def _inside_dead_code(self, verdict: DeadFunction) -> bool:
        """A def inside a dead block is already reported with that block."""
        reads = self.dead_reads.get(verdict.path, {})
        return any(guard in reads for guard in verdict.function.guards)


def _within(scope: str, qualname: str) -> bool:
    return scope == qualname or scope.startswith(qualname + ".")


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")

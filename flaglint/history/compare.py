"""Compare today's bit tables with a reference (a git revision or the ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from ..graph.bits import BitTable, bit_table, flags_named
from ..graph.build import Flag, FlagGraph


@dataclass(frozen=True)
class Reference:
    """What bits meant before: the table, where it came from, declared renames."""

    table: BitTable
    origin: str  # "revision 1a2b3c4" or "flaglint.lock"
    declared: Callable[[Tuple[str, int], str, str], bool] = lambda key, old, new: False


@dataclass(frozen=True, eq=False)
class HistoricReuse:
    """``new`` took ``bit`` of ``family``, which meant ``olds`` in the reference."""

    family: str
    bit: int
    new: Flag
    olds: Tuple[str, ...]
    old_flags: Tuple[Flag, ...]  # old names still defined today (their reads are reported)
    origin: str


def historic_reuses(graph: FlagGraph, reference: Optional[Reference]) -> List[HistoricReuse]:
    if reference is None:
        return []
    found: Dict[Tuple, HistoricReuse] = {}
    table = bit_table(graph)
    moved = moved_families({family for family, _ in table}, {family for family, _ in reference.table})
    for key, names in sorted(table.items()):
        before = reference.table.get((moved.get(key[0], key[0]), key[1]))
        if not before:
            continue
        for name in sorted(names - before):
            olds = tuple(sorted(old for old in before - names if not reference.declared(key, old, name)))
            olds = olds or tuple(sorted(old for old in before if not reference.declared(key, old, name)))
            if not olds:
                continue
            old_flags = tuple(flag for old in olds for flag in flags_named(graph, key, old))
            for flag in flags_named(graph, key, name):
                found.setdefault((flag.symbol,), HistoricReuse(key[0], key[1], flag, olds, old_flags, reference.origin))
    return list(found.values())


def moved_families(today: Iterable[str], before: Iterable[str]) -> Dict[str, str]:
    """today's family -> the reference's, for a class or module that moved.

    A scope family is named after its module (``scope svc.proto.OrderFlag``),
    so moving the class to another module, or naming modules from another
    root, gives it a new key and nothing to compare with. A scope family
    found only today is matched with one found only in the reference when
    they end in the same name and no other family on either side does: an
    ambiguous match is no match, never a guess."""
    today, before = set(today), set(before)
    new = _by_last_name(today - before)
    gone = _by_last_name(before - today)
    return {found[0]: gone[name][0] for name, found in new.items() if len(found) == 1 and len(gone.get(name, ())) == 1}


def _by_last_name(families: Iterable[str]) -> Dict[str, List[str]]:
    grouped: Dict[str, List[str]] = {}
    for family in sorted(families):
        if family.startswith("scope "):
            grouped.setdefault(family.rsplit(".", 1)[-1].split(" ", 1)[-1], []).append(family)
    return grouped

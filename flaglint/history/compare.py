"""Compare today's bit tables with a reference (a git revision or the ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

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
    for key, names in sorted(bit_table(graph).items()):
        before = reference.table.get(key)
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

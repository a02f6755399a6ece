"""Bit tables: which names each family gives each bit.

A family is the scope that defines a constant (a module, a class, a
``Flag`` enum) and also every attribute it is tested or stored on
(``field .flags``): that is what ties Knight's legacy ``POWER_PEG`` and the
protocol's ``RLP``. Names are short (``RLP``), so moving a constant between
modules is not a new meaning. Tables from two revisions (or from the ledger)
are compared to catch a bit given a new name.
"""

from __future__ import annotations

import weakref
from typing import Dict, List, Set, Tuple

from .build import Flag, FlagGraph

#: (family key, bit) -> short names
BitTable = Dict[Tuple[str, int], Set[str]]


def short(flag: Flag) -> str:
    return flag.symbol[1].rsplit(".", 1)[-1]


def family_keys(graph: FlagGraph, flag: Flag) -> List[str]:
    keys = [f"scope {flag.family}"]
    fields = graph.read_fields(flag) | graph.set_fields(flag)
    keys.extend(f"field {field}" for field in sorted(fields) if field.startswith("."))
    return keys


def used_as_bit(flag: Flag) -> bool:
    """Only constants used as bits belong in a table (not ``MAX_RETRIES = 32``)."""
    if flag.bit is None:
        return False
    return (
        bool(flag.bit_reads)
        or flag.enum_class is not None
        or any(site.fact.bitwise or site.fact.field for site in flag.uses)
    )


def in_table(flag: Flag, bit_scopes: Set[str]) -> bool:
    """Used as a bit, or a single bit defined beside constants that are:
    a retired ``POWER_PEG = 0x20`` nobody reads any more still holds its bit."""
    return used_as_bit(flag) or (flag.bit is not None and flag.family in bit_scopes)


def bit_table(graph: FlagGraph) -> BitTable:
    bit_scopes = {flag.family for flag in graph.iter_flags() if used_as_bit(flag)}
    table: BitTable = {}
    for flag in graph.iter_flags():
        bit = flag.bit
        if bit is not None and in_table(flag, bit_scopes):  # in_table holds only for a bit
            for key in family_keys(graph, flag):
                table.setdefault((key, bit), set()).add(short(flag))
    return table


def flags_named(graph: FlagGraph, key: Tuple[str, int], name: str) -> List[Flag]:
    """The current flags behind one name of one table entry."""
    return [flag for flag in _by_bit_and_name(graph).get((key[1], name), ()) if key[0] in family_keys(graph, flag)]


#: graph -> (bit, short name) -> its flags, in iter_flags order. Callers ask
#: once per table entry; scanning every flag each time made the audit of the
#: standard library spend 20 s here.
_INDEXES: "weakref.WeakKeyDictionary[FlagGraph, Dict[Tuple[int, str], List[Flag]]]" = weakref.WeakKeyDictionary()


def _by_bit_and_name(graph: FlagGraph) -> Dict[Tuple[int, str], List[Flag]]:
    index = _INDEXES.get(graph)
    if index is None:
        index = {}
        for flag in graph.iter_flags():
            if flag.bit is not None:
                index.setdefault((flag.bit, short(flag)), []).append(flag)
        _INDEXES[graph] = index
    return index

"""Conflicts between builds that run side by side (a rollout is a fleet).

Each pair of build summaries is compared; what one build does with a bit
or key must not mean something else to another build that runs at the same
time. Only differences between builds count: a conflict inside one build is
FL003's, and two identical builds never conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
from typing import Dict, FrozenSet, List, Sequence, Set, Tuple, Union

from .snapshot import BuildSummary, KeyRead, Place


@dataclass(frozen=True)
class BitConflict:
    """Build ``setter`` sets ``bit`` of ``family`` as ``set_name``; build
    ``reader`` reads that bit as ``read_name`` and runs ``reads`` when it is set."""

    family: str
    bit: int
    setter: str
    set_name: str
    sets: Tuple[Place, ...]
    reader: str
    read_name: str
    reads: Tuple[Place, ...]


@dataclass(frozen=True)
class KeyDefaultConflict:
    """Two builds read ``key`` with different in-code defaults: where the key
    is missing, one build takes it as on and the other as off."""

    key: str
    first: str
    first_reads: Tuple[KeyRead, ...]
    second: str
    second_reads: Tuple[KeyRead, ...]


@dataclass(frozen=True)
class KeyGoneConflict:
    """Build ``reader`` reads ``key`` and its flag source defines it
    (``defined``); build ``other`` has that same source file, and nothing
    in its sources defines the key any more."""

    key: str
    reader: str
    reads: Tuple[KeyRead, ...]
    defined: Tuple[Place, ...]
    other: str


Conflict = Union[BitConflict, KeyDefaultConflict, KeyGoneConflict]


def conflicts(builds: Sequence[BuildSummary]) -> List[Conflict]:
    """Every conflict between any two of ``builds``, in a stable order."""
    found: List[Conflict] = []
    found.extend(bit_conflicts(builds))
    found.extend(key_default_conflicts(builds))
    found.extend(key_gone_conflicts(builds))
    return found


# --------------------------------------------------------------------------- bits


def bit_conflicts(builds: Sequence[BuildSummary]) -> List[BitConflict]:
    indexes = [build.bit_index() for build in builds]
    renames = frozenset().union(*(build.renames for build in builds))
    found: Dict[Tuple, BitConflict] = {}
    for a, b in permutations(range(len(builds)), 2):
        for key in sorted(indexes[a].keys() & indexes[b].keys(), key=_field_first):
            for conflict in _pair(builds[a], indexes[a][key], builds[b], indexes[b][key], indexes, renames):
                identity = (conflict.bit, conflict.setter, conflict.set_name, conflict.reader, conflict.read_name)
                found.setdefault(identity, conflict)  # a field and a Flag enum can tie the same names twice
    return list(found.values())


def _field_first(key: Tuple[str, int]) -> Tuple[bool, str, int]:
    """Field families before enum scopes, so a message names the field."""
    return (not key[0].startswith("field "), key[0], key[1])


def _pair(setter: BuildSummary, set_names, reader: BuildSummary, read_names, indexes, renames) -> List[BitConflict]:
    found = []
    for set_name, set_entry in sorted(set_names.items()):
        if not set_entry.sets:
            continue
        for read_name, read_entry in sorted(read_names.items()):
            if read_name == set_name or not read_entry.reads:
                continue
            if set_name in read_names and read_name in set_names:
                continue  # both builds give the bit both names: not a difference between them
            if _renamed(set_entry.family, set_entry.bit, set_name, read_name, indexes, renames):
                continue
            found.append(
                BitConflict(
                    set_entry.family,
                    set_entry.bit,
                    setter.label,
                    set_name,
                    set_entry.sets,
                    reader.label,
                    read_name,
                    read_entry.reads,
                )
            )
    return found


def _renamed(family: str, bit: int, one: str, other: str, indexes, renames: FrozenSet) -> bool:
    """A declared rename between the two names, whose old name no build
    still reads: then the setter's name and the reader's are one meaning.
    While some build reads the old name, its old code still runs there."""
    for old, new in ((one, other), (other, one)):
        if (family, bit, old, new) in renames and not _read_anywhere(family, bit, old, indexes):
            return True
    return False


def _read_anywhere(family: str, bit: int, name: str, indexes) -> bool:
    return any(index.get((family, bit), {}).get(name) and index[(family, bit)][name].reads for index in indexes)


# --------------------------------------------------------------------------- keys


def key_default_conflicts(builds: Sequence[BuildSummary]) -> List[KeyDefaultConflict]:
    indexes = [build.key_index() for build in builds]
    found = []
    for a in range(len(builds)):
        for b in range(a + 1, len(builds)):
            for key in sorted(indexes[a].keys() & indexes[b].keys()):
                first, second = indexes[a][key], indexes[b][key]
                if first.reads and second.reads and first.defaults != second.defaults:
                    found.append(KeyDefaultConflict(key, builds[a].label, first.reads, builds[b].label, second.reads))
    return found


def key_gone_conflicts(builds: Sequence[BuildSummary]) -> List[KeyGoneConflict]:
    indexes = [build.key_index() for build in builds]
    found = []
    for a, b in permutations(range(len(builds)), 2):
        has: Set[str] = set(builds[b].sourced)
        for key, entry in sorted(indexes[a].items()):
            if not entry.reads or not any(place.path in has for place in entry.defined):
                continue
            other = indexes[b].get(key)
            if other is None or not other.defined:
                found.append(KeyGoneConflict(key, builds[a].label, entry.reads, entry.defined, builds[b].label))
    return found

"""What one build says about its flag bits and keys: the unit ``drift`` compares.

A build is a git revision (analysed like ``--against`` analyses one) or a
``flaglint.lock`` ledger taken from a build artifact, where ``flaglint lock``
stored the same snapshot. Either way it becomes a :class:`BuildSummary`, so
comparing builds never depends on where they came from. Everything here is
plain data, sorted, with paths relative and POSIX, so a snapshot written on
one machine reads the same on another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, Optional, Tuple

from ..facts import Span
from ..graph.bits import family_keys, in_table, short, used_as_bit
from ..graph.build import Flag, FlagGraph, Site
from ..keys import env_key, sdk_key
from . import fields

#: the lines of a place: ``8`` or ``8-9``
_LINES = re.compile(r"([0-9]+)(?:-([0-9]+))?")


@dataclass(frozen=True, order=True)
class Place:
    """A line range of a file (``end_line`` equal to ``line`` for one line)."""

    path: str
    line: int
    end_line: int

    def __str__(self) -> str:
        lines = f"{self.line}-{self.end_line}" if self.end_line > self.line else f"{self.line}"
        return f"{self.path}:{lines}"

    @classmethod
    def parse(cls, text: str) -> "Place":
        """The inverse of ``str()``: ``a/b.py:8-9`` or ``a/b.py:3``."""
        path, sep, lines = str(text).rpartition(":")
        match = _LINES.fullmatch(lines)
        if not sep or not path or match is None:  # int() would take " 3", "+3" and other digits
            raise ValueError(f"not a place: {text!r}")
        return cls(path, int(match[1]), int(match[2] or match[1]))

    @property
    def span(self) -> Span:
        return Span(self.line, 1, self.end_line, 1)


@dataclass(frozen=True)
class BitName:
    """One name a build gives one bit of one family, with where the build
    reads it (the code each read gates) and where it sets it."""

    family: str  # "field .flags", or "scope pkg.mod.Class" for a Flag enum
    bit: int
    name: str
    reads: Tuple[Place, ...] = ()
    sets: Tuple[Place, ...] = ()


@dataclass(frozen=True)
class KeyRead:
    """A read of an environment/SDK key and the code's default there:
    whether the test is true when nothing sets the key."""

    place: Place
    default_on: bool


@dataclass(frozen=True)
class KeyEntry:
    """One key (``env:X``, ``sdk:provider:key``): its reads in the build,
    and where the build's own flag sources define it."""

    key: str
    reads: Tuple[KeyRead, ...] = ()
    defined: Tuple[Place, ...] = ()

    @property
    def defaults(self) -> FrozenSet[bool]:
        return frozenset(read.default_on for read in self.reads)


@dataclass(frozen=True)
class BuildSummary:
    """A build's bits and keys. ``sourced`` lists the flag source files it
    has (environment files, compose files, Dockerfiles, flag files): a
    build that has the file another build defines a key in, without the
    key, no longer defines it. ``renames`` are declared renames
    (family, bit, old, new)."""

    label: str
    bits: Tuple[BitName, ...] = ()
    keys: Tuple[KeyEntry, ...] = ()
    sourced: Tuple[str, ...] = ()
    renames: FrozenSet[Tuple[str, int, str, str]] = field(default_factory=frozenset)

    def bit_index(self) -> Dict[Tuple[str, int], Dict[str, BitName]]:
        index: Dict[Tuple[str, int], Dict[str, BitName]] = {}
        for entry in self.bits:
            index.setdefault((entry.family, entry.bit), {})[entry.name] = entry
        return index

    def key_index(self) -> Dict[str, KeyEntry]:
        return {entry.key: entry for entry in self.keys}


Relocate = Callable[[str], str]


def _same(path: str) -> str:
    return path


def summarise(graph: FlagGraph, label: str, relocate: Relocate = _same, renames=frozenset()) -> BuildSummary:
    """The summary of an analysed build. ``relocate`` maps a display path
    (relative to the working directory) to the path to record."""
    return BuildSummary(
        label, _bits(graph, relocate), _keys(graph, relocate), _sourced(graph, relocate), frozenset(renames)
    )


def _place(site: Site, span: Optional[Span], relocate: Relocate) -> Place:
    span = span or site.span
    return Place(relocate(site.path), span.line, span.end_line)


def _bits(graph: FlagGraph, relocate: Relocate) -> Tuple[BitName, ...]:
    bit_scopes = {flag.family for flag in graph.iter_flags() if used_as_bit(flag)}
    found: Dict[Tuple[str, int, str], Tuple[set, set]] = {}
    for flag in graph.iter_flags():
        if flag.bit is None or not in_table(flag, bit_scopes):  # in the table: it has a bit
            continue
        for family in family_keys(graph, flag):
            sites = _sites_on(flag, family)
            if sites is None:
                continue
            reads, sets = found.setdefault((family, flag.bit, short(flag)), (set(), set()))
            reads.update(_place(site, site.fact.gate, relocate) for site in sites[0])
            sets.update(_place(site, None, relocate) for site in sites[1])
    return tuple(
        BitName(family, bit, name, tuple(sorted(reads)), tuple(sorted(sets)))
        for (family, bit, name), (reads, sets) in sorted(found.items())
    )


def _sites_on(flag: Flag, family: str) -> Optional[Tuple[List[Site], List[Site]]]:
    """(reads, sets) of ``flag`` in one family: on that field, or anywhere
    for a Flag enum. A plain module is not a family across builds: two
    modules' constants meet only on a field (see FL003)."""
    if family.startswith("field "):
        name = family[len("field ") :]
        return (
            [site for site in flag.bit_reads if site.fact.field == name],
            [site for site in flag.uses if site.fact.field == name],
        )
    if flag.enum_class is not None:
        return list(flag.bit_reads), list(flag.uses)
    return None


def _keys(graph: FlagGraph, relocate: Relocate) -> Tuple[KeyEntry, ...]:
    reads: Dict[str, set] = {}
    for flag in graph.iter_keyed():
        if flag.key is None:  # a keyed flag always has its key
            continue
        for site in flag.reads:
            reads.setdefault(flag.key, set()).add(KeyRead(_place(site, None, relocate), site.fact.default_on))
    for flag in graph.iter_flags():  # ENABLE_X = os.getenv("X", "1") == "1": the default is in the definition
        for definition in flag.definitions:
            if definition.fact.key:
                reads.setdefault(definition.fact.key, set()).add(
                    KeyRead(_place(definition, None, relocate), definition.fact.key_default_on)
                )
    defined = _defined(graph, relocate)
    return tuple(
        KeyEntry(
            key,
            tuple(sorted(reads.get(key, ()), key=lambda read: (read.place, read.default_on))),
            tuple(sorted(defined.get(key, ()))),
        )
        for key in sorted(set(reads) | set(defined))
    )


def _defined(graph: FlagGraph, relocate: Relocate) -> Dict[str, set]:
    """Where the build's flag sources define each key."""
    sources = graph.sources
    defined: Dict[str, set] = {}
    for name, assignments in sources.env.items():
        for assignment in assignments:
            defined.setdefault(env_key(name), set()).add(
                Place(relocate(assignment.path), assignment.line, assignment.line)
            )
    for name, definitions in sources.flags.items():
        for definition in definitions:
            for provider in definition.providers:
                place = Place(relocate(definition.path), definition.line, definition.line)
                defined.setdefault(sdk_key(provider, name), set()).add(place)
    return defined


def _sourced(graph: FlagGraph, relocate: Relocate) -> Tuple[str, ...]:
    sources = graph.sources
    return tuple(sorted({relocate(path) for path in (*sources.env_files, *sources.build_files, *sources.flag_files)}))


# ----------------------------------------------------------------- the ledger's "build" section


def to_json(summary: BuildSummary) -> dict:
    return {
        "bits": [
            {
                "family": entry.family,
                "bit": f"{entry.bit:#x}",
                "name": entry.name,
                "read": [str(place) for place in entry.reads],
                "set": [str(place) for place in entry.sets],
            }
            for entry in summary.bits
        ],
        "keys": [
            {
                "key": entry.key,
                "read": [{"at": str(read.place), "default": read.default_on} for read in entry.reads],
                "defined": [str(place) for place in entry.defined],
            }
            for entry in summary.keys
        ],
        "sources": list(summary.sourced),
    }


def from_json(data: dict, label: str, renames=frozenset()) -> BuildSummary:
    """Raises KeyError, TypeError or ValueError (naming the field, see
    :mod:`.fields`) on a malformed section."""
    data = fields.table(data, "build")
    bits = tuple(
        BitName(
            fields.text(item["family"], "build.bits[].family"),
            fields.bit(item["bit"], "build.bits[].bit"),
            fields.text(item["name"], "build.bits[].name"),
            _places(item["read"], "build.bits[].read"),
            _places(item["set"], "build.bits[].set"),
        )
        for item in (fields.table(entry, "build.bits[]") for entry in fields.array(data["bits"], "build.bits"))
    )
    keys = tuple(
        KeyEntry(
            fields.text(item["key"], "build.keys[].key"),
            tuple(
                KeyRead(
                    Place.parse(fields.text(read["at"], "build.keys[].read[].at")),
                    fields.flag(read["default"], "build.keys[].read[].default"),
                )
                for read in (
                    fields.table(entry, "build.keys[].read[]")
                    for entry in fields.array(item["read"], "build.keys[].read")
                )
            ),
            _places(item["defined"], "build.keys[].defined"),
        )
        for item in (fields.table(entry, "build.keys[]") for entry in fields.array(data["keys"], "build.keys"))
    )
    sources = tuple(fields.text(name, "build.sources[]") for name in fields.array(data["sources"], "build.sources"))
    return BuildSummary(label, bits, keys, sources, frozenset(renames))


def _places(value, field: str) -> Tuple[Place, ...]:
    return tuple(Place.parse(fields.text(text, f"{field}[]")) for text in fields.array(value, field))

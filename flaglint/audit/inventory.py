"""The audit inventory: every flag, where it is defined, set and read, what
it gates, how it stands and how old it is; and each family's bit table.

Built from the same :class:`FlagGraph` and :class:`FlagAnalysis` the rules
use, so the audit and ``flaglint check`` never disagree. The renderers
(text, json, markdown, html) only format an :class:`Inventory`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .. import __version__
from ..facts import Span
from ..graph.analysis import FlagAnalysis
from ..graph.bits import bit_table, flags_named, short
from ..graph.build import KIND_BOOL, Flag, FlagGraph
from ..graph.flagness import NotAFlag
from ..graph.reasons import SetBy, has_code
from ..graph.references import dead_lines
from ..graph.symbols import Symbol, display_name
from ..keys import is_sdk_key, key_parts
from .ages import Commit, FileAges
from .setters import find_set_sites, names_to_find
from .status import (
    DEAD,
    KINDS,
    NEVER_SET,
    NOT_A_FLAG,
    OUTSIDE_PYTHON,
    STATUSES,
    all_flags,
    display_value,
    family_name,
    flag_statuses,
    gated_lines,
    kind_of,
    short_name,
)


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    column: int = 1
    end_line: Optional[int] = None
    note: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict:
        data = {"path": self.path, "line": self.line, "column": self.column, "end_line": self.end_line or self.line}
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class ReadEntry:
    """One read: where, how (truth/bit/member/value) and the block it gates."""

    location: Location
    kind: str
    gate: Optional[Tuple[int, int]] = None  # (first line, last line)

    @property
    def gated_lines(self) -> int:
        return self.gate[1] - self.gate[0] + 1 if self.gate else 0

    def __str__(self) -> str:
        return str(self.location)

    def to_dict(self) -> dict:
        data = self.location.to_dict()
        data["kind"] = self.kind
        data["gate"] = {"line": self.gate[0], "end_line": self.gate[1]} if self.gate else None
        data["gated_lines"] = self.gated_lines
        return data


@dataclass
class FlagEntry:
    name: str  # canonical ``module.Name``
    short: str
    kind: str  # bool / bit / member
    status: str
    family: str
    value: str  # as written: False, 0x20, ? (computed)
    bit: Optional[int]
    definitions: List[Location]
    set_by: List[str]  # why it can be on (empty: nothing sets it)
    setters: List[Location]
    reads: List[ReadEntry]
    gated_lines: int
    notes: List[str] = field(default_factory=list)  # why this status
    #: mentions of its key outside Python (front end, bundles, templates)
    references: List[Location] = field(default_factory=list)
    related: List[str] = field(default_factory=list)  # other flags in the story (the colliding name)
    dead_code: List[Location] = field(default_factory=list)  # functions that die with it
    #: a dead flag's prize: distinct lines of its dead blocks and of the
    #: functions and classes only they use, over every file, and the files
    dead_lines: int = 0
    dead_files: int = 0
    first_commit: Optional[Commit] = None  # introduced the definition line
    last_commit: Optional[Commit] = None  # last touched a read or set line
    #: why it is not a flag (status ``not-a-flag``, listed by ``audit --all`` only)
    not_a_flag: Optional[NotAFlag] = None

    @property
    def defined_at(self) -> str:
        return str(self.definitions[0]) if self.definitions else ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "short": self.short,
            "kind": self.kind,
            "status": self.status,
            "family": self.family,
            "value": self.value,
            "bit": self.bit,
            "definitions": [location.to_dict() for location in self.definitions],
            "set_by": list(self.set_by),
            "setters": [location.to_dict() for location in self.setters],
            "reads": [read.to_dict() for read in self.reads],
            "gated_lines": self.gated_lines,
            "notes": list(self.notes),
            "related": list(self.related),
            "dead_code": [location.to_dict() for location in self.dead_code],
            "references": [location.to_dict() for location in self.references],
            "dead_lines": self.dead_lines,
            "dead_files": self.dead_files,
            "first_commit": self.first_commit.to_dict() if self.first_commit else None,
            "last_commit": self.last_commit.to_dict() if self.last_commit else None,
            "not_a_flag": self.not_a_flag.to_dict() if self.not_a_flag else None,
        }


@dataclass(frozen=True)
class BitRow:
    bit: int
    names: Tuple[str, ...]  # short names, sorted
    flags: Tuple[str, ...]  # canonical names behind them
    collision: bool  # two or more names for one bit
    note: str = ""

    @property
    def hex(self) -> str:
        return hex(self.bit)

    def to_dict(self) -> dict:
        return {
            "bit": self.bit,
            "hex": self.hex,
            "names": list(self.names),
            "flags": list(self.flags),
            "collision": self.collision,
            "note": self.note,
        }


@dataclass(frozen=True)
class FamilyTable:
    """One family's bits: ``scope <module or class>`` or ``field <.attribute>``."""

    family: str
    bits: Tuple[BitRow, ...]

    @property
    def collisions(self) -> int:
        return sum(row.collision for row in self.bits)

    def to_dict(self) -> dict:
        return {"family": self.family, "collisions": self.collisions, "bits": [row.to_dict() for row in self.bits]}


@dataclass
class Inventory:
    flags: List[FlagEntry]
    families: List[FamilyTable]
    files: int = 0
    ages: bool = False  # whether git history was asked for
    skipped: Tuple[str, ...] = ()

    @property
    def summary(self) -> dict:
        by_status = {status: 0 for status in STATUSES}
        by_kind = {kind: 0 for kind in KINDS}
        for entry in self.flags:
            by_status[entry.status] += 1
            by_kind[entry.kind] += 1
        return {
            "flags": len(self.flags) - by_status[NOT_A_FLAG],
            "files": self.files,
            "by_status": by_status,
            "by_kind": by_kind,
            "gated_lines": sum(entry.gated_lines for entry in self.flags),
            "dead_lines": sum(entry.dead_lines for entry in self.flags if entry.status == DEAD),
            "families": len(self.families),
            "collisions": sum(table.collisions for table in self.families),
            "aged": sum(1 for entry in self.flags if entry.first_commit or entry.last_commit),
        }

    def to_dict(self) -> dict:
        return {
            "version": __version__,
            "flags": [entry.to_dict() for entry in self.flags],
            "families": [table.to_dict() for table in self.families],
            # Skipped paths ride in the document: JSON on stdout is silent on stderr.
            "summary": {**self.summary, "skipped": list(self.skipped)},
        }


# --------------------------------------------------------------------------- building


def build_inventory(
    graph: FlagGraph,
    analysis: FlagAnalysis,
    cwd: Path,
    wanted: Optional[Callable[[str], bool]] = None,
    blame: Optional[Callable[[Sequence[str]], Dict[str, FileAges]]] = None,
    everything: bool = False,
) -> Inventory:
    """Every flag (see :mod:`flaglint.graph.flagness`) with a site ``wanted``
    accepts (default: all), and the bit tables of their families; with
    ``everything`` also each constant weighed and found not to be a flag,
    with the reason (status ``not-a-flag``).

    ``blame`` maps display paths to line ages (:func:`ages.blame_files`);
    without it ages stay blank."""
    statuses = flag_statuses(graph, analysis, everything)
    flags = [flag for flag in all_flags(graph) if flag.symbol in statuses]
    set_sites = _set_sites(graph, analysis, flags, cwd)
    entries = [_entry(graph, analysis, flag, statuses[flag.symbol], set_sites.get(flag.symbol, [])) for flag in flags]
    entries += _declared_unused(analysis)
    if wanted is not None:
        entries = [entry for entry in entries if any(wanted(location.path) for location in _locations(entry))]
    if blame is not None:
        ages = blame(sorted({location.path for entry in entries for location in _locations(entry)}))
        for entry in entries:
            _date(entry, ages)
    entries.sort(key=lambda entry: (STATUSES.index(entry.status), entry.name))
    names = {entry.name for entry in entries if entry.status != NOT_A_FLAG}
    families = _families(graph, analysis, names)
    return Inventory(entries, families, files=len(graph.files), ages=blame is not None)


def _declared_unused(analysis: FlagAnalysis) -> List[FlagEntry]:
    """Settings fields and flag objects FL005 reports, as ``unused`` entries
    (the audit and FL005 ask the same verdicts of the analysis)."""
    entries = []
    for setting in analysis.unused_settings:
        owner = display_name(setting.owner)
        where = _location(setting.path, setting.field.span)
        entries.append(
            FlagEntry(
                f"{owner}.{setting.field.name}",
                f"{setting.owner[1]}.{setting.field.name}",
                KIND_BOOL,
                "unused",
                owner,
                str(setting.field.default),
                None,
                [where],
                [],
                [],
                [],
                0,
                notes=[f"declared in settings class {owner}, never read"],
            )
        )
    for site in analysis.unread_flag_objects:
        name = display_name(site.symbol)
        entries.append(
            FlagEntry(
                name,
                site.symbol[1],
                KIND_BOOL,
                "unused",
                site.symbol[0],
                repr(site.fact.key),
                None,
                [_location(site.path, site.fact.span)],
                [],
                [],
                [],
                0,
                notes=[f"flag object of {site.cls}, built but never read"],
            )
        )
    return entries


def _locations(entry: FlagEntry) -> List[Location]:
    return [*entry.definitions, *(read.location for read in entry.reads), *entry.setters]


def _location(path: str, span: Span, note: str = "") -> Location:
    return Location(path, span.line, span.column, span.end_line, note)


def _set_sites(graph: FlagGraph, analysis: FlagAnalysis, flags: List[Flag], cwd: Path) -> Dict[Symbol, List[Location]]:
    """symbol -> the assignments that can turn a boolean flag on."""
    wanted = [
        (flag.definitions[0].path, short(flag), analysis.set_by(flag))
        for flag in flags
        if kind_of(flag) == KIND_BOOL and flag.definitions
    ]
    attributes, globals_ = names_to_find(wanted)
    if not attributes and not globals_:
        return {}
    sites = find_set_sites(graph.files.values(), attributes, globals_, cwd)
    found: Dict[Symbol, List[Location]] = {}
    for flag in flags:
        if kind_of(flag) != KIND_BOOL or not flag.definitions:
            continue
        name, path = short(flag), flag.definitions[0].path
        for site in sites:
            if site.name != name:
                continue
            if site.how == "global assignment" and site.path != path:
                continue
            if site.how != "global assignment" and not has_code(analysis.set_by(flag), SetBy.ATTRIBUTE_ASSIGNMENT):
                continue
            if site.how == "class attribute" and any(
                d.path == site.path and d.span.line == site.line for d in flag.definitions
            ):
                continue  # its own definition
            found.setdefault(flag.symbol, []).append(
                Location(site.path, site.line, site.column, site.end_line, site.how)
            )
    return found


def _entry(graph: FlagGraph, analysis: FlagAnalysis, flag: Flag, status: str, assignments: List[Location]) -> FlagEntry:
    kind = kind_of(flag)
    reads = [
        ReadEntry(
            _location(site.path, site.span),
            site.fact.kind,
            (site.fact.gate.line, site.fact.gate.end_line) if site.fact.gate else None,
        )
        for site in flag.reads
    ]
    reads += [ReadEntry(Location(path, line), "template") for path, line in analysis.outside_reads(flag)]
    if kind == KIND_BOOL:
        reads += [ReadEntry(_location(site.path, site.span), "value") for site in flag.uses]
        set_by = analysis.set_reasons(flag)  # with what wrappers' overrides do to a keyed flag
        setters = [
            _location(site.path, site.span, "defined true" if site.fact.value is not None else "computed")
            for site in flag.definitions
            if (site.fact.value is None and not site.fact.key) or site.fact.value
        ] + assignments
    else:
        set_by, setters = _bit_setters(analysis, flag)
    reads.sort(key=lambda read: (read.location.path, read.location.line, read.location.column))
    setters.sort(key=lambda location: (location.path, location.line, location.column))
    entry = FlagEntry(
        not_a_flag=analysis.not_a_flag(flag) if status == NOT_A_FLAG else None,
        name=flag.name,
        short=short_name(flag),
        kind=kind,
        status=status,
        family=family_name(flag),
        value=display_value(flag),
        bit=flag.bit,
        definitions=[_location(site.path, site.span) for site in flag.definitions] + _source_definitions(graph, flag),
        set_by=set_by,
        setters=setters,
        reads=reads,
        gated_lines=gated_lines(flag),
        references=_references(graph, flag, reads) + _named_mentions(analysis, flag, status),
    )
    _explain(entry, graph, analysis, flag)
    return entry


def _source_definitions(graph: FlagGraph, flag: Flag) -> List[Location]:
    """Where a flag source (flagd, LaunchDarkly, Unleash...) defines an SDK key."""
    if not flag.key or not is_sdk_key(flag.key):
        return []
    provider, key = key_parts(flag.key)
    return [
        _location(definition.path, Span(definition.line, 1, definition.line, 1), definition.format)
        for definition in graph.sources.definitions(provider, key)
    ]


def _bit_setters(analysis: FlagAnalysis, flag: Flag) -> Tuple[List[str], List[Location]]:
    """Reasons and sites for a bit or member: its uses (see :meth:`FlagAnalysis.set_reasons`)."""
    reasons = analysis.set_reasons(flag)
    setters = [
        _location(site.path, site.span, f"set on {site.fact.field}" if site.fact.field else "used")
        for site in flag.uses
    ]
    return reasons, setters


def _explain(entry: FlagEntry, graph: FlagGraph, analysis: FlagAnalysis, flag: Flag) -> None:
    """Notes: why the flag has its status, and which other names are involved."""
    related: List[str] = []
    for collision in analysis.collisions:
        if collision.old is flag:
            setter = collision.new.uses[0] if collision.new.uses else collision.new.definitions[0]
            entry.notes.append(
                f"never set, but {short(collision.new)} shares bit {collision.value:#x} ({collision.link}) and is set at "
                f"{setter.path}:{setter.span.line}: the code it gates runs whenever {short(collision.new)} is set"
            )
            related.append(collision.new.name)
        elif collision.new is flag:
            reads = ", ".join(f"{site.path}:{site.span.line}" for site in collision.old.bit_reads)
            entry.notes.append(
                f"reuses bit {collision.value:#x} of {short(collision.old)} ({collision.link}), still read at {reads}"
            )
            related.append(collision.old.name)
    for reuse in analysis.historic_reuses:
        if reuse.new is flag:
            entry.notes.append(f"bit {reuse.bit:#x} of {reuse.family} was {', '.join(reuse.olds)} in {reuse.origin}")
            related.extend(old.name for old in reuse.old_flags)
        elif any(old is flag for old in reuse.old_flags):
            entry.notes.append(
                f"bit {reuse.bit:#x} of {reuse.family} is now also {short(reuse.new)} ({reuse.origin} had only {', '.join(reuse.olds)})"
            )
            related.append(reuse.new.name)
    for first, later in analysis.silent_aliases:
        if flag is later:
            entry.notes.append(f"same value as {short(first)}: Python makes {entry.short} an alias of {short(first)}")
            related.append(first.name)
        elif flag is first:
            entry.notes.append(f"{short(later)} has the same value and silently becomes its alias")
            related.append(later.name)
    if entry.status == DEAD:
        entry.notes.append(
            f"nothing sets it: {entry.gated_lines} gated line{'s' if entry.gated_lines != 1 else ''} can never run"
        )
        spans = [(site.path, site.fact.gate) for site in flag.reads if site.fact.gate is not None]
        for dead in analysis.dead_functions:
            if dead.flag is flag:
                span = dead.function.span
                label = f"class {dead.function.qualname}" if dead.kind == "class" else f"{dead.function.qualname}()"
                entry.dead_code.append(Location(dead.path, span.line, span.column, span.end_line, label))
                spans.append((dead.path, span))
        if entry.dead_code:
            entry.notes.append(
                "only reached from that code: " + ", ".join(f"{loc.note} at {loc}" for loc in entry.dead_code)
            )
        per_file = dead_lines(spans)
        entry.dead_lines, entry.dead_files = sum(per_file.values()), len(per_file)
        entry.notes.append(
            f"dead in all: {entry.dead_lines} line{'s' if entry.dead_lines != 1 else ''} "
            f"in {entry.dead_files} file{'s' if entry.dead_files != 1 else ''}"
        )
    elif entry.status == NEVER_SET:
        if analysis.is_never_set(flag):
            unless = analysis.open_env_writes(flag)
            entry.notes.append("read, but nothing sets it" + (f", unless {unless[0]} sets it" if unless else ""))
        elif analysis.outside_reads(flag):
            entry.notes.append("read only outside the Python code (a template), and nothing sets it: it is always off")
        else:
            entry.notes.append(
                "read only as a value and nothing sets it: it is always false (check reports flags tested in conditions)"
            )
    inherited = graph.base_reads(flag) if not getattr(flag, "key", None) else []
    if inherited:
        where = ", ".join(f"{site.path}:{site.span.line}" for site in inherited[:3])
        entry.notes.append(f"overrides a class attribute its base class reads through self/cls ({where})")
    named = analysis.name_reads(flag) if not inherited and not flag.reads else []
    through = [read for read in named if read.through]
    if through:
        entry.notes.append(f"read by name through self/cls (or getattr): {_first(through)}")
    elif named:
        entry.notes.append(f"an attribute of this name is read on objects flaglint cannot type: {_first(named)}")
    in_python = analysis.named_in_python(flag) if entry.status != OUTSIDE_PYTHON else []
    if in_python and analysis.unresolved(flag):
        entry.notes.append(
            f"named in Python text ({_first([f'{path}:{line}' for path, line in in_python])}): "
            "a key built at run time from it may read it"
        )
    if analysis.stored_bit(flag):
        entry.notes.append(
            "stored or combined into a mask, never tested by name here: "
            "a mask, a container or code outside the tree reads it"
        )
    in_module = analysis.flagness.module_refs(flag)
    if in_module:
        entry.notes.append(f"used by name in its module: {_first(in_module)}")
    settings = analysis.settings_reads(flag)
    if settings:
        where = _first([f"{path}:{line}" for path, line in settings])
        entry.notes.append(
            f"read as django.conf.settings.{short(flag)} ({where}): this module may be the one DJANGO_SETTINGS_MODULE names"
        )
    if entry.not_a_flag is not None:
        entry.notes.insert(0, f"not a flag [{entry.not_a_flag.code}]: {entry.not_a_flag.reason}")
    if entry.references:
        entry.notes.append(_referenced(entry.references))
    entry.related = sorted(set(related))


def _named_mentions(analysis: FlagAnalysis, flag: Flag, status: str) -> List[Location]:
    """An ``outside-python`` key's mentions by its bare name, noted ``as NAME``."""
    if status != OUTSIDE_PYTHON or not flag.key:
        return []
    name = key_parts(flag.key)[1].rsplit(":", 1)[-1]
    return [Location(path, line, note=f"as {name}") for path, line in analysis.named_mentions(flag)]


def _first(items, shown: int = 3) -> str:
    """The first few items, and how many more."""
    more = len(items) - shown
    return ", ".join(str(item) for item in items[:shown]) + (f" (and {more} more)" if more > 0 else "")


def _references(graph: FlagGraph, flag: Flag, reads) -> List[Location]:
    """Mentions outside Python, but for the lines already listed as reads (a
    django-flags template tag is both)."""
    listed = {str(read) for read in reads}
    return [Location(path, line) for path, line in graph.references(flag) if str(Location(path, line)) not in listed]


#: how many references a note names before "and N more"
_SHOWN_REFERENCES = 5


def _referenced(references: List[Location]) -> str:
    """``referenced outside Python: web/src/App.tsx:4, ... (and 3 more)``."""
    shown = ", ".join(
        f"{location} ({location.note})" if location.note else str(location)
        for location in references[:_SHOWN_REFERENCES]
    )
    more = len(references) - _SHOWN_REFERENCES
    return f"referenced outside Python: {shown}" + (f" (and {more} more)" if more > 0 else "")


def _date(entry: FlagEntry, ages: Dict[str, FileAges]) -> None:
    def commits(locations) -> List[Commit]:
        found = []
        for location in locations:
            lines = ages.get(location.path, {})
            for line in range(location.line, (location.end_line or location.line) + 1):
                if line in lines:
                    found.append(lines[line])
        return found

    # a keyed flag (env:X) has no definition: its first read introduced it
    defined = commits(entry.definitions or [read.location for read in entry.reads])
    touched = commits([*(read.location for read in entry.reads), *entry.setters])
    entry.first_commit = min(defined, key=lambda commit: (commit.time, commit.commit)) if defined else None
    entry.last_commit = max(touched, key=lambda commit: (commit.time, commit.commit)) if touched else None


def _families(graph: FlagGraph, analysis: FlagAnalysis, names: set) -> List[FamilyTable]:
    """Bit tables of the families that hold an inventoried flag."""
    historic = {(reuse.family, reuse.bit): reuse for reuse in analysis.historic_reuses}
    by_family: Dict[str, List[BitRow]] = {}
    for (family, bit), short_names in sorted(bit_table(graph).items()):
        flags = sorted({flag.name for name in short_names for flag in flags_named(graph, (family, bit), name)})
        if not set(flags) & names:
            continue
        reuse = historic.get((family, bit))
        note = f"was {', '.join(reuse.olds)} in {reuse.origin}" if reuse else ""
        row = BitRow(bit, tuple(sorted(short_names)), tuple(flags), len(short_names) > 1 or reuse is not None, note)
        by_family.setdefault(family, []).append(row)
    return [
        FamilyTable(family, tuple(sorted(rows, key=lambda row: row.bit))) for family, rows in sorted(by_family.items())
    ]

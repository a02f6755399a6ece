"""``flaglint audit --format text``: a table for the terminal, then each
flag's sites and notes, then the bit tables. Every name, path, note and
commit summary goes through :mod:`flaglint.printable`: a hostile key cannot
start a line or send a terminal escape."""

from __future__ import annotations

from typing import List, Optional, Sequence

from ..printable import printable, safe_lines
from .ages import Commit
from .inventory import FlagEntry, Inventory
from .status import NOT_A_FLAG, STATUSES, TO_ACT_ON


def summary_line(inventory: Inventory) -> str:
    """``909 flags in 3108 files: act on 1 dead, 9 undeclared; 351 live``:
    what to act on first, then the flags that are fine, then (``--all``) the
    constants that are not flags."""
    summary = inventory.summary
    by_status = summary["by_status"]

    def counts(statuses) -> str:
        return ", ".join(f"{by_status[status]} {status}" for status in statuses if by_status[status])

    total = summary["flags"]
    head = f"{total} flag{'s' if total != 1 else ''} in {summary['files']} file{'s' if summary['files'] != 1 else ''}"
    parts = []
    if counts(TO_ACT_ON):
        parts.append(f"act on {counts(TO_ACT_ON)}")
    fine = counts(status for status in STATUSES if status not in TO_ACT_ON and status != NOT_A_FLAG)
    if fine:
        parts.append(fine)
    if by_status[NOT_A_FLAG]:
        parts.append(f"{by_status[NOT_A_FLAG]} not flags")
    return f"{head}: {'; '.join(parts)}" if parts else head


def _age(commit: Optional[Commit]) -> str:
    return f"{commit.short[:8]} {commit.date}" if commit else "-"


def _lines(gate) -> str:
    first, last = gate
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> List[str]:
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]

    def line(row) -> str:
        cells = [
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths))
        ]
        return "  ".join(cells).rstrip()

    return [line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)]


def _details(entry: FlagEntry, aged: bool) -> List[str]:
    lines = [f"{printable(entry.name)}  [{entry.status}, {entry.kind} = {printable(entry.value)}]"]

    def add(label: str, value: str) -> None:
        lines.append(f"  {label:<8} {printable(value)}")

    for location in entry.definitions:
        add("defined", str(location))
    add("set by", "; ".join(entry.set_by) if entry.set_by else "nothing")
    for location in entry.setters:
        add("set at", f"{location} ({location.note})" if location.note else str(location))
    for read in entry.reads:
        how = {"value": " (as a value)", "template": " (in a template)"}.get(read.kind, "")
        gate = f" (gates {_lines(read.gate)})" if read.gate else how
        add("read", f"{read}{gate}")
    if not entry.reads:
        add("read", "never")
    for note in entry.notes:
        add("note", note)
    if aged:
        if entry.first_commit:
            add("first", f"{entry.first_commit.short} {entry.first_commit.date} {entry.first_commit.summary}")
        if entry.last_commit:
            add("last", f"{entry.last_commit.short} {entry.last_commit.date} {entry.last_commit.summary}")
    return lines


def render(inventory: Inventory) -> str:
    out = [f"flaglint audit: {summary_line(inventory)}", ""]
    if not inventory.flags:
        out.append("No flags found.")
        return safe_lines("\n".join(out) + "\n")
    header = ["STATUS", "KIND", "FLAG", "VALUE", "DEFINED", "READS", "GATED", "FIRST", "LAST"]
    rows = [
        [
            entry.status,
            entry.kind,
            entry.name,
            entry.value,
            entry.defined_at,
            str(len(entry.reads)),
            str(entry.gated_lines),
            _age(entry.first_commit),
            _age(entry.last_commit),
        ]
        for entry in inventory.flags
    ]
    if not inventory.ages:
        header, rows = header[:-2], [row[:-2] for row in rows]
    out.extend(_table(header, rows, right=(5, 6)))
    out.append("")
    for entry in inventory.flags:
        out.extend(_details(entry, inventory.ages))
        out.append("")
    if inventory.families:
        out.append("Bit tables")
        for table in inventory.families:
            out.append("")
            out.append(f"  {printable(table.family)}")
            width = max(len(row.hex) for row in table.bits)
            names = [printable(", ".join(row.names)) for row in table.bits]
            names_width = max(len(name) for name in names)
            for row, name in zip(table.bits, names):
                mark = "  << COLLISION: one bit, two meanings" if row.collision else ""
                note = f" ({printable(row.note)})" if row.note else ""
                out.append(f"    {row.hex:<{width}}  {name:<{names_width}}{mark}{note}".rstrip())
        out.append("")
    return safe_lines("\n".join(out))

"""``flaglint audit --format markdown``: for a wiki page or a pull request.

Every name, path and note goes through :func:`flaglint.printable.printable`
before Markdown's own escapes, so a control character shows as its escape
(``\\n``, ``\\x1b``) and never breaks a line or reaches a terminal."""

from __future__ import annotations

from typing import Iterable, List, Optional

from ..printable import printable, safe_lines
from .ages import Commit
from .inventory import FlagEntry, Inventory
from .status import LIVE, NOT_A_FLAG, STATUS_HELP, STATUSES, UNUSED


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipes, no line breaks."""
    return printable(text).replace("\\", "\\\\").replace("|", "\\|")


def _code(text: str) -> str:
    """An inline code span that survives backticks in ``text``."""
    if not text:
        return ""
    text = printable(text)
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # inside a code span backslashes are literal; only the pipe needs escaping in a table
    body = text.replace("|", "\\|")
    return f"{fence}{pad}{body}{pad}{fence}"


def _lines(items: Iterable[str]) -> str:
    return "<br>".join(items)


def _status(status: str) -> str:
    return status if status in (LIVE, UNUSED) else f"**{status}**"


def _age(commit: Optional[Commit]) -> str:
    return f"{_code(commit.short)} {commit.date}" if commit else ""


def _row(entry: FlagEntry, aged: bool) -> str:
    set_by = [_cell(reason) for reason in entry.set_by] or ["*nothing*"]
    set_by += [_code(str(location)) for location in entry.setters]
    reads = [_code(str(read)) for read in entry.reads] or ["*never*"]
    cells = [
        _status(entry.status),
        _code(entry.name),
        entry.kind,
        _code(entry.value),
        _code(entry.defined_at),
        _lines(set_by),
        _lines(reads),
        str(entry.gated_lines),
    ]
    if aged:
        cells += [_age(entry.first_commit), _age(entry.last_commit)]
    return "| " + " | ".join(cells) + " |"


def render(inventory: Inventory) -> str:
    summary = inventory.summary
    out: List[str] = ["# Flag audit", ""]
    counts = " · ".join(
        f"{status}: {summary['by_status'][status]}"
        for status in STATUSES
        if status != NOT_A_FLAG or summary["by_status"][status]
    )
    out.append(
        f"**{summary['flags']} flags** in {summary['files']} files ({counts}). "
        f"{summary['gated_lines']} lines are gated by flags, {summary['dead_lines']} of them can never run."
    )
    out.append("")
    if inventory.flags:
        header = ["Status", "Flag", "Kind", "Value", "Defined", "Set by", "Reads", "Gated lines"]
        if inventory.ages:
            header += ["First commit", "Last commit"]
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "|".join("---:" if name == "Gated lines" else "---" for name in header) + "|")
        out.extend(_row(entry, inventory.ages) for entry in inventory.flags)
        out.append("")
    else:
        out.extend(["No flags found.", ""])
    noted = [entry for entry in inventory.flags if entry.notes]
    if noted:
        out.extend(["## Why", ""])
        for entry in noted:
            out.append(f"- {_code(entry.short)} ({entry.status}): " + "; ".join(_cell(note) for note in entry.notes))
        out.append("")
    if inventory.families:
        out.extend(["## Bit tables", "", "One row per bit of each family; a bit with two names is a collision.", ""])
        for table in inventory.families:
            out.extend([f"### {_cell(table.family)}", "", "| Bit | Names | Flags | |", "|---|---|---|---|"])
            for row in table.bits:
                mark = "**collision**" if row.collision else ""
                if row.note:
                    mark = f"{mark} ({_cell(row.note)})".strip()
                names = _cell(", ".join(row.names))
                names = f"**{names}**" if row.collision else names
                out.append(f"| {_code(row.hex)} | {names} | {', '.join(_code(flag) for flag in row.flags)} | {mark} |")
            out.append("")
    out.extend(["## Statuses", ""])
    out.extend(f"- **{status}**: {STATUS_HELP[status]}" for status in STATUSES)
    out.append("")
    return safe_lines("\n".join(out))

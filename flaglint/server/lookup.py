"""Which flag is under the cursor, what the audit says of it, and where it is declared.

The hover and go-to-definition of the language server, without the
protocol: positions are 1-based lines and columns, as in the facts. The
flag under the cursor is found among the graph's sites (its reads, uses
and definitions, a keyed flag's key string included), and what is shown is
the flag's entry of ``flaglint audit`` (:mod:`flaglint.audit.inventory`), so
the hover and the audit cannot disagree.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

from ..api import Project
from ..audit.ages import FileAges, blame_files
from ..audit.inventory import FlagEntry, Location, build_inventory
from ..audit.status import all_flags
from ..facts import Span
from ..graph.build import Flag, Site
from ..printable import printable

#: display paths -> line ages (:func:`flaglint.audit.ages.blame_files`)
Blame = Callable[[Sequence[str]], Dict[str, FileAges]]


def flag_at(project: Project, display: str, line: int, column: int) -> Optional[Flag]:
    """The flag whose read, use or definition in ``display`` covers the
    1-based ``line`` and ``column``; the innermost when several do."""
    best = None
    for flag in all_flags(project.graph):
        for site in _sites(flag):
            if site.path == display and _covers(site.span, line, column):
                if best is None or best[0].contains(site.span):
                    best = (site.span, flag)
    return best[1] if best is not None else None


def _sites(flag: Flag) -> List[Site[Any]]:
    return [*flag.reads, *flag.uses, *flag.definitions]


def _covers(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


def entry_for(project: Project, flag: Flag, root: Path, blame: Optional[Blame] = None) -> Optional[FlagEntry]:
    """The flag's ``flaglint audit`` entry (ages from ``blame``, if given)."""
    where = {site.path for site in _sites(flag)}
    inventory = build_inventory(project.graph, project.analysis, root, lambda path: path in where, blame)
    return next((entry for entry in inventory.flags if entry.name == flag.name), None)


def git_blame(root: Path) -> Blame:
    """Ages from ``git blame`` run in ``root`` (nothing where git cannot say)."""
    return lambda paths: blame_files(paths, root)


def declarations(flag: Flag, entry: Optional[FlagEntry]) -> List[Location]:
    """Where the flag is declared: its definitions (a constant, a flag file
    entry, a registry, a setting); a keyed flag nothing declares has none."""
    if entry is not None and entry.definitions:
        return list(entry.definitions)
    return [Location(site.path, site.span.line, site.span.column, site.span.end_line) for site in flag.definitions]


def hover_text(entry: FlagEntry, now: Optional[float] = None, limit: int = 5) -> str:
    """The entry as plain text: status, value, bit or key, where it is
    defined, set and read, and its age. Names and paths come from the
    repository, so each is escaped (:mod:`flaglint.printable`)."""
    lines = [f"{printable(entry.name)}: {entry.status} ({entry.kind} flag)"]
    detail = [f"value {printable(entry.value)}"]
    if entry.bit is not None:
        detail.append(f"bit {entry.bit:#x}")
    if entry.family:
        detail.append(f"family {printable(entry.family)}")
    lines.append(", ".join(detail))
    lines.append(_places("defined", entry.definitions, limit))
    lines.append(_places("set", entry.setters, limit) if entry.setters else "set: nowhere")
    lines.append(_places("read", [read.location for read in entry.reads], limit))
    lines += [f"why: {printable(note)}" for note in entry.notes[:limit]]
    when = now if now is not None else time.time()
    if entry.first_commit is not None:
        lines.append(f"introduced {entry.first_commit.date} ({_days(entry.first_commit.time, when)})")
    if entry.last_commit is not None:
        lines.append(f"last touched {entry.last_commit.date} ({_days(entry.last_commit.time, when)})")
    return "\n".join(line for line in lines if line)


def _places(what: str, locations: Sequence[Location], limit: int) -> str:
    if not locations:
        return ""
    shown = ", ".join(printable(location) for location in locations[:limit])
    more = len(locations) - limit
    return f"{what}: {shown}" + (f" and {more} more" if more > 0 else "")


def _days(then: int, now: float) -> str:
    days = max(0, int((now - then) // 86400))
    return f"{days} day{'s' if days != 1 else ''} ago"

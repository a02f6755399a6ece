"""``path:line:col: FLxxx message``, one finding per line, sorted. Paths and
messages go through :mod:`flaglint.printable`: a hostile name cannot start a
line of its own."""

from __future__ import annotations

from typing import Sequence

from ..findings import Finding
from ..printable import printable, safe_lines


def render(findings: Sequence[Finding], summary: dict) -> str:
    return safe_lines(
        "".join(
            f"{printable(finding.path)}:{finding.span.line}:{finding.span.column}: {finding.code} {printable(finding.message)}\n"
            for finding in findings
        )
    )


def summary_line(summary: dict) -> str:
    """The one line on stderr: counts a person can read at a glance."""
    files = summary["files"]
    total = summary["findings"]
    counts = ", ".join(f"{code}: {count}" for code, count in sorted(summary["by_code"].items()))
    head = f"Found {total} finding{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    return f"{head} ({counts})." if counts else f"{head}."

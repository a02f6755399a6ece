"""Judged, not counted: a seeded random sample of an audit, per status, with
the evidence a person needs to judge each entry.

    flaglint audit --all --format json --no-ages . > audit.json
    python scripts/audit_sample.py audit.json                    # 30 per status, seed 25
    python scripts/audit_sample.py audit.json -n 10 --seed 7 --status unused --root path/to/project

For each status (in the audit's order, most urgent first) it draws N entries
(all of them where there are fewer) with ``random.Random(seed)``, so two runs
with the same document, N and seed print the same sample; and for each entry
it prints where the flag is defined, read and set, each with its source
line read from ``--root`` (default: the current directory, where ``audit``
ran, since the audit's paths are relative to it), the notes and, for a
constant that is not a flag (``audit --all``), the reason code. A verdict
column is left for the person: ``verdict: __``.

Why a script and not a count: a reader who samples ten entries of a status
and finds seven wrong stops reading the audit. Counting entries says
nothing of that; judging a random sample does (docs/realworld/issue-25.md).

Untrusted text (names, paths, source lines) is printed through
:func:`flaglint.printable.printable`. A file that cannot be read, or a
line past its end, shows ``(source not available)``; a document that is
not an audit exits 2 with a message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from flaglint.printable import printable, safe_lines

#: a source file larger than this is not read (a line from it shows as not available)
MAX_SOURCE_BYTES = 8 * 1024 * 1024
#: sites of one kind shown per entry before "and N more"
MAX_SITES = 5
#: the longest source line shown
MAX_LINE = 160


class SampleError(Exception):
    """The input is not an audit JSON document (exit 2)."""


def load(path: str) -> dict:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SampleError(f"cannot read {path}: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("flags"), list):
        raise SampleError(f"{path} is not a flaglint audit JSON document (no 'flags' list)")
    return document


def sample(flags: Sequence[dict], per_status: int, seed: int, statuses: Sequence[str] = ()) -> Dict[str, List[dict]]:
    """status -> up to ``per_status`` entries drawn with ``seed``, in the
    order statuses first appear in the document (the audit sorts them,
    most urgent first); each status's draw depends only on its own
    entries, so restricting ``statuses`` does not change the others."""
    by_status: Dict[str, List[dict]] = {}
    for entry in flags:
        if isinstance(entry, dict):
            by_status.setdefault(str(entry.get("status", "?")), []).append(entry)
    drawn: Dict[str, List[dict]] = {}
    for status, entries in by_status.items():
        if statuses and status not in statuses:
            continue
        ordered = sorted(entries, key=lambda entry: str(entry.get("name", "")))
        count = min(per_status, len(ordered))
        drawn[status] = random.Random(f"{seed}:{status}").sample(ordered, count)
    return drawn


class Sources:
    """Source lines under ``root``, each file read once (bounded)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: Dict[str, Optional[List[str]]] = {}

    def line(self, path: str, number: int) -> Optional[str]:
        if path not in self._files:
            self._files[path] = self._read(path)
        lines = self._files[path]
        if lines is None or not isinstance(number, int) or not 1 <= number <= len(lines):
            return None
        text = lines[number - 1].strip()
        return text[:MAX_LINE] + (" ..." if len(text) > MAX_LINE else "")

    def _read(self, path: str) -> Optional[List[str]]:
        try:
            file = (self.root / path).resolve()
            file.relative_to(self.root.resolve())  # never outside the root
            if not file.is_file() or file.stat().st_size > MAX_SOURCE_BYTES:
                return None
            return file.read_text(encoding="utf-8", errors="replace").splitlines()
        except (OSError, ValueError):
            return None


def _site(label: str, site: dict, sources: Sources) -> List[str]:
    path, line = site.get("path", "?"), site.get("line", 0)
    note = site.get("note") or site.get("kind") or ""
    gate = site.get("gate")
    if isinstance(gate, dict):
        note = f"{note}, gates {gate.get('line')}-{gate.get('end_line')}" if note else "gates"
    text = sources.line(str(path), line) if isinstance(line, int) else None
    head = f"  {label:<8} {printable(path)}:{printable(line)}" + (f" ({printable(note)})" if note else "")
    return [head, f"             | {printable(text) if text is not None else '(source not available)'}"]


def _sites(label: str, sites, sources: Sources) -> List[str]:
    sites = [site for site in sites or () if isinstance(site, dict)]
    if not sites:
        return [f"  {label:<8} none"]
    lines: List[str] = []
    for site in sites[:MAX_SITES]:
        lines += _site(label, site, sources)
    if len(sites) > MAX_SITES:
        lines.append(f"  {'':<8} (and {len(sites) - MAX_SITES} more)")
    return lines


def evidence(entry: dict, sources: Sources) -> List[str]:
    """One entry: its name, status and kind, then definitions, sets, reads
    and mentions outside Python with their source lines, then the notes."""
    lines = [f"{printable(entry.get('name', '?'))}  [{printable(entry.get('status'))}, {printable(entry.get('kind'))}]"]
    not_a_flag = entry.get("not_a_flag")
    if isinstance(not_a_flag, dict):
        lines.append(f"  reason   {printable(not_a_flag.get('code'))}: {printable(not_a_flag.get('reason'))}")
    lines += _sites("defined", entry.get("definitions"), sources)
    set_by = entry.get("set_by") or []
    lines.append(f"  set by   {printable('; '.join(map(str, set_by))) if set_by else 'nothing'}")
    if entry.get("setters"):
        lines += _sites("set at", entry.get("setters"), sources)
    lines += _sites("read", entry.get("reads"), sources)
    if entry.get("references"):
        lines += _sites("outside", entry.get("references"), sources)
    lines += [f"  note     {printable(note)}" for note in entry.get("notes") or ()]
    lines.append("  verdict: __")
    return lines


def report(document: dict, per_status: int, seed: int, root: Path, statuses: Sequence[str] = ()) -> str:
    drawn = sample(document["flags"], per_status, seed, statuses)
    sources = Sources(root)
    totals: Dict[str, int] = {}
    for entry in document["flags"]:
        if isinstance(entry, dict):
            totals[str(entry.get("status", "?"))] = totals.get(str(entry.get("status", "?")), 0) + 1
    out = [f"audit sample: seed {seed}, up to {per_status} per status", ""]
    for status, entries in drawn.items():
        out.append(f"== {printable(status)}: {len(entries)} of {totals[status]}")
        out.append("")
        for number, entry in enumerate(entries, 1):
            block = evidence(entry, sources)
            out.append(f"[{printable(status)} {number}] {block[0]}")
            out += block[1:]
            out.append("")
    return safe_lines("\n".join(out))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("audit", help="an audit's JSON document (flaglint audit --format json), or - for stdin")
    parser.add_argument("-n", "--per-status", type=int, default=30, help="entries per status (default: 30)")
    parser.add_argument("--seed", type=int, default=25, help="random seed (default: 25)")
    parser.add_argument("--status", action="append", default=[], help="only this status (repeatable)")
    parser.add_argument("--root", default=".", help="the directory the audit ran in (default: .)")
    options = parser.parse_args(argv)
    if options.per_status < 1:
        parser.error("--per-status must be at least 1")
    try:
        document = load(options.audit)
    except SampleError as error:
        print(f"audit_sample: {printable(error)}", file=sys.stderr)
        return 2
    sys.stdout.write(report(document, options.per_status, options.seed, Path(options.root), options.status))
    return 0


if __name__ == "__main__":
    sys.exit(main())

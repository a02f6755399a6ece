"""How old each flag is: ``git blame --porcelain``, one process per file.

Only files that hold a flag's definition, read or setter are blamed, each
once, however many flags it has. Anything git cannot answer (no git, not a
repository, an untracked file, an uncommitted line) leaves the age blank:
an audit never fails for want of history.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Optional

from ..history.git import HistoryError, git

#: git's id for lines not committed yet
_UNCOMMITTED = "0" * 40
_HEADER = re.compile(r"^([0-9a-f]{40}) (\d+) (\d+)(?: (\d+))?$")

#: line number -> the commit that last changed it
FileAges = Dict[int, "Commit"]


@dataclass(frozen=True)
class Commit:
    """One commit as blame names it."""

    commit: str
    time: int  # author time, seconds since the epoch
    author: str = ""
    summary: str = ""

    @property
    def short(self) -> str:
        return self.commit[:10]

    @property
    def date(self) -> str:
        """The author date, ``YYYY-MM-DD`` in UTC."""
        return _dt.datetime.fromtimestamp(self.time, _dt.timezone.utc).strftime("%Y-%m-%d")

    def to_dict(self) -> dict:
        return {
            "commit": self.commit,
            "date": self.date,
            "time": self.time,
            "author": self.author,
            "summary": self.summary,
        }


def parse_porcelain(output: str) -> FileAges:
    """line -> Commit from ``git blame --porcelain`` output (uncommitted lines left out)."""
    line_commits: Dict[int, str] = {}
    meta: Dict[str, Dict[str, str]] = {}
    current: Optional[str] = None
    for line in output.splitlines():
        if line.startswith("\t"):
            continue  # the line's content
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            meta.setdefault(current, {})
            if current != _UNCOMMITTED:
                line_commits[int(header.group(3))] = current
            continue
        if current is not None:
            key, _, value = line.partition(" ")
            meta[current].setdefault(key, value)
    commits = {
        sha: Commit(sha, _int(data.get("author-time")), data.get("author", ""), data.get("summary", ""))
        for sha, data in meta.items()
        if sha != _UNCOMMITTED
    }
    return {line: commits[sha] for line, sha in line_commits.items()}


def _int(value: Optional[str]) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def blame(path: Path) -> FileAges:
    """Ages of one file's lines; empty when git cannot say, or when a file
    blame reads from the work tree is not a regular file (see
    :func:`_blame_may_block`)."""
    if _blame_may_block(path):
        return {}
    try:
        output = git(["blame", "--porcelain", "--", path.name], path.parent)
    except (HistoryError, OSError):
        return {}
    return parse_porcelain(output.decode("utf-8", "replace"))


def _blame_may_block(path: Path) -> bool:
    """``git blame`` reads ``.mailmap`` and the ``.gitattributes`` of each
    directory above the file from the work tree: a FIFO planted there would
    hold it until its timeout, once per file. Checked from the file's
    directory up to the repository's top (the first with ``.git``)."""
    for directory in [path.parent, *path.parent.parents]:
        names = (
            (".gitattributes", ".mailmap", ".git/info/attributes")
            if (directory / ".git").exists()
            else (".gitattributes",)
        )
        for name in names:
            try:
                if not stat.S_ISREG(os.stat(directory / name).st_mode):
                    return True
            except OSError:  # absent (or unreadable: git skips it too)
                continue
        if (directory / ".git").exists():
            return False
    return False


def blame_files(paths: Iterable[str], cwd: Path, workers: int = 4) -> Dict[str, FileAges]:
    """display path -> line ages, one ``git blame`` process per file."""
    unique = sorted(set(paths))
    if not unique:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(unique)))) as pool:
        results = pool.map(lambda display: blame(_absolute(display, cwd)), unique)
        return dict(zip(unique, results))


def _absolute(display: str, cwd: Path) -> Path:
    path = Path(display)
    return path if path.is_absolute() else cwd / path

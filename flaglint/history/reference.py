"""Build the reference a check compares bit meanings with, and update the ledger."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Callable, List, Optional, Sequence, Tuple

from ..cache import FactsCache
from ..config import Config
from ..facts import FileFacts
from ..graph.bits import bit_table
from ..graph.build import FlagGraph
from ..parallel import Progress, extract_blobs
from . import ledger as ledger_file
from .compare import Reference
from .git import HistoryError, analysable, files_at, git, repository_root
from .snapshot import summarise

#: builds the flag graph of a revision's facts, as every command does
#: (:func:`flaglint.api.build_graph`, passed in: history sits below the api)
GraphBuilder = Callable[[Sequence[FileFacts], Config], FlagGraph]


def reference_for(
    paths: Sequence[str],
    cwd: Path,
    config: Config,
    against: Optional[str],
    build_graph: GraphBuilder,
    jobs: int = 1,
    cache: Optional[FactsCache] = None,
    progress: Optional[Progress] = None,
) -> Optional[Reference]:
    """``--against REV`` if given, else the ledger if the project has one.

    The revision's files are extracted through ``cache`` like today's: most
    are byte-identical to today's files, so a warm run extracts only what
    changed since ``REV``; ``build_graph`` makes their graph."""
    start = _start(paths, cwd)
    found = ledger_file.find_ledger(start)
    ledger = ledger_file.load(found) if found else None
    declared = ledger.declared if ledger else (lambda key, old, new: False)
    if against is not None:
        commit, files = files_at(against, paths, cwd, config.source_roots())
        facts = extract_blobs(analysable(files, config), jobs, cache, progress, config.max_file_tokens)
        table = bit_table(build_graph(facts, config))
        return Reference(table, f"revision {commit[:12]}", declared)
    if ledger is not None:
        return Reference(ledger.reference(), ledger_file.LEDGER_NAME, declared)
    return None


@dataclass(frozen=True)
class LockResult:
    path: Path
    refusals: Tuple[str, ...]
    bits: int


def lock(graph: FlagGraph, paths: Sequence[str], cwd: Path, renames: List[Tuple[str, str]]) -> LockResult:
    """Merge today's bit tables into flaglint.lock (created if missing).

    The first lock records the project as it is; later locks refuse a new
    name for a bit that already had one, unless the rename is declared.
    """
    start = _start(paths, cwd)
    path = ledger_file.find_ledger(start) or cwd / ledger_file.LEDGER_NAME
    existing = path.is_file()
    ledger = ledger_file.load(path) if existing else ledger_file.Ledger()
    table = bit_table(graph)
    refusals = ledger_file.update(ledger, table, _head(cwd), renames) if existing else _first(ledger, table, _head(cwd))
    ledger.build = summarise(graph, ledger_file.LEDGER_NAME, relocator(cwd, path.parent), frozenset(ledger.renames))
    if not refusals:
        ledger_file.write(path, ledger)
    return LockResult(path, tuple(refusals), len(ledger.entries))


def relocator(cwd: Path, base: Path) -> Callable[[str], str]:
    """Display path (relative to ``cwd``) -> POSIX path relative to ``base``
    (the ledger's directory), so a ledger reads the same on every machine
    and from whichever directory ``lock`` ran."""
    cwd, base = cwd.resolve(), base.resolve()

    @lru_cache(maxsize=None)
    def relocate(display: str) -> str:
        return PurePath(os.path.relpath(cwd / display, base)).as_posix()

    return relocate


def _first(ledger, table, commit: str) -> List[str]:
    for key, names in sorted(table.items()):
        ledger.entries[key] = {name: {"first_seen": commit, "retired": False} for name in sorted(names)}
    return []


def _head(cwd: Path) -> str:
    try:
        root = repository_root(cwd)
        return git(["rev-parse", "--short=12", "HEAD"], root).decode().strip()
    except HistoryError:
        return "uncommitted"


def _start(paths: Sequence[str], cwd: Path) -> Path:
    first = cwd / (paths[0] if paths else ".")
    return first if first.is_dir() else first.parent

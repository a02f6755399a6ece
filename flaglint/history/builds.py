"""Turn a BUILD argument of ``flaglint drift`` into a build summary.

A BUILD is a ``flaglint.lock`` ledger file (from a build artifact, no git
needed) or a git revision of the current repository. A revision is read
like ``check --against`` reads one: its Python files through the blob
reader and the facts cache, and its flag sources (``.env``, compose,
flag files) from the same commit, written to a scratch directory only
long enough to parse them.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, FrozenSet, List, Optional, Sequence

from ..cache import FactsCache
from ..config import Config
from ..facts import FileFacts
from ..graph.build import FlagGraph
from ..parallel import Progress, extract_blobs
from ..project import relative_below
from ..sources.load import is_candidate, load_sources
from ..sources.model import Sources
from . import ledger as ledger_file
from .git import HistoryError, analysable, files_at, git, read_blobs, repository_root
from .snapshot import BuildSummary, summarise

#: builds the flag graph of a revision's facts and sources, as every
#: command does (:func:`flaglint.api.build_graph`, passed in: history sits
#: below the api)
GraphBuilder = Callable[[Sequence[FileFacts], Config, Optional[Sources]], FlagGraph]


@dataclass(frozen=True)
class Extraction:
    """How a revision's files are extracted: worker processes, the facts
    cache, the progress display. Speed only: never a finding."""

    jobs: int = 1
    cache: Optional[FactsCache] = None
    progress: Optional[Progress] = None


def load_build(
    spec: str, cwd: Path, config: Config, build_graph: GraphBuilder, extraction: Extraction = Extraction()
) -> BuildSummary:
    """The summary of one BUILD, labelled as the user wrote it.

    Raises LedgerError for an unreadable, foreign or old ledger and
    HistoryError for a revision that cannot be read."""
    path = cwd / spec
    if os.path.isfile(path):  # os.path: False, never OSError, for a name too long
        return ledger_file.load_build(path, spec)
    if os.path.isdir(path):
        raise ledger_file.LedgerError(f"{spec}: a directory, not a flaglint.lock ledger or a git revision")
    try:
        return revision_build(spec, cwd, config, build_graph, extraction)
    except HistoryError as error:
        raise HistoryError(f"{spec}: neither a flaglint.lock file nor a readable git revision: {error}") from None


def revision_build(
    revision: str, cwd: Path, config: Config, build_graph: GraphBuilder, extraction: Extraction = Extraction()
) -> BuildSummary:
    commit, files = files_at(revision, ["."], cwd, config.source_roots())
    facts = extract_blobs(
        analysable(files, config), extraction.jobs, extraction.cache, extraction.progress, config.max_file_tokens
    )
    graph = build_graph(facts, config, sources_at(commit, cwd, config))
    return summarise(graph, revision, renames=_worktree_renames(cwd))


def sources_at(commit: str, cwd: Path, config: Config) -> Sources:
    """The flag sources under ``cwd`` as they were at ``commit``.

    The source parsers read files from disk (compose files name the files
    beside them), so the candidates are written to a scratch directory laid
    out like ``cwd``: display paths come out relative, as today's do."""
    root = repository_root(cwd)
    prefix = _relative_to(cwd, root)
    wanted = set(_flag_files(cwd, config))
    listing = git(["ls-tree", "-r", "-z", "--name-only", commit, "--", prefix or "."], root).decode("utf-8", "replace")
    names = [name for name in listing.split("\0") if name and _is_source(_below(name, prefix), wanted)]
    blobs = read_blobs(commit, names, root)
    with tempfile.TemporaryDirectory(prefix="flaglint-drift-") as scratch:
        base = Path(scratch)
        for name in names:
            if name not in blobs:  # over the blob cap: not read
                continue
            target = base / _below(name, prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blobs[name])
        return load_sources([base], base, [base / name for name in sorted(wanted) if (base / name).is_file()])


def _is_source(relative: str, flag_files: set) -> bool:
    return relative in flag_files or is_candidate(PurePosixPath(relative))


def _flag_files(cwd: Path, config: Config) -> List[str]:
    """The configured ``flag-sources``, relative to ``cwd`` (those outside it are not read)."""
    base = config.directory(cwd)
    found = []
    for name in config.flag_sources:
        relative = _relative_to(base / name, cwd)
        if relative is not None:
            found.append(relative)
    return found


def _relative_to(path: Path, base: Path) -> Optional[str]:
    """:func:`flaglint.project.relative_below`, "" for ``base`` itself (a git pathspec prefix)."""
    relative = relative_below(path, base)
    return "" if relative == "." else relative


def _below(name: str, prefix: Optional[str]) -> str:
    return name[len(prefix) + 1 :] if prefix else name


def _worktree_renames(cwd: Path) -> FrozenSet:
    """Renames declared in the work tree's ledger, as ``--against`` uses them."""
    found = ledger_file.find_ledger(cwd)
    return frozenset(ledger_file.load(found).renames) if found else frozenset()


def load_builds(
    specs: Sequence[str], cwd: Path, config: Config, build_graph: GraphBuilder, extraction: Extraction = Extraction()
) -> List[BuildSummary]:
    return [load_build(spec, cwd, config, build_graph, extraction) for spec in specs]

"""Run the analysis from Python: ``flaglint.api.check(["src"])``.

Every stage is a function of the previous one's output:
discover -> extract -> graph -> rules -> decide. The CLI is a thin layer
over this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

from .cache import FactsCache
from .config import Config
from .decide import Selection, decide
from .discover import Discovery, Skipped, discover
from .facts import FileFacts
from .findings import Finding, finalise
from .graph.analysis import FlagAnalysis
from .graph.build import FlagGraph
from .history.compare import Reference
from .history.reference import lock as history_lock
from .history.reference import reference_for
from .parallel import extract_all
from .rules import RULES
from .scope import ReportFilter, analysis_paths
from .sources.env import load_sources, roots_for


@dataclass(frozen=True)
class Result:
    findings: Tuple[Finding, ...]
    files: int
    skipped: Tuple[Skipped, ...] = ()
    missing: Tuple[str, ...] = ()


def collect_facts(
    paths: Sequence,
    config: Config = Config(),
    cwd: Optional[Path] = None,
    jobs: int = 1,
    cache_dir: Union[str, Path, None] = None,
) -> Tuple[Discovery, List[FileFacts]]:
    """Discover the files under ``paths`` and extract each one's facts.

    With ``cache_dir`` (relative to ``cwd``), facts are cached there by content."""
    discovery = discover(paths, exclude=config.exclude, cwd=cwd)
    cache = FactsCache(Path(cwd or Path.cwd()) / cache_dir) if cache_dir is not None else None
    return discovery, extract_all(discovery.files, jobs, cache)


def analyse(
    facts: Sequence[FileFacts], config: Config = Config(), reference: Optional[Reference] = None, sources=None
) -> List[Finding]:
    """Every finding the rules report on these facts, before selection.

    ``reference`` holds what bits meant before (``--against`` or the ledger);
    ``sources`` what flag sources (.env files) say (see ``flag_sources``)."""
    graph = FlagGraph(facts, config.external_flags, sources)
    analysis = FlagAnalysis(graph, reference)
    return [finding for rule in RULES.values() for finding in rule.check(graph, analysis)]


def check(
    paths: Sequence = (".",),
    config: Config = Config(),
    select: Optional[Sequence[str]] = None,
    ignore: Optional[Sequence[str]] = None,
    cwd: Optional[Path] = None,
    jobs: int = 1,
    against: Optional[str] = None,
    cache_dir: Union[str, Path, None] = None,
) -> Result:
    """Lint ``paths``: findings sorted by path and line, suppressions applied.

    ``jobs`` > 1 extracts on that many worker processes. ``against`` is a git
    revision whose bit meanings are compared with today's; without it the
    project's flaglint.lock is used if there is one. A bad revision or ledger
    raises HistoryError or LedgerError. ``cache_dir`` (relative to ``cwd``)
    caches each file's facts by content; None (the default) caches nothing."""
    cwd = cwd or Path.cwd()
    reference = reference_for(list(paths), cwd, config.external_flags, against)
    wanted = ReportFilter(paths, cwd)
    read_paths = analysis_paths(paths, cwd)
    discovery, facts = collect_facts(read_paths, config, cwd, jobs, cache_dir)
    selection = Selection(
        tuple(select) if select else config.select,
        tuple(config.ignore) + tuple(ignore or ()),
        config.per_file_ignores,
    )
    by_path = {item.path: item for item in facts}
    sources = flag_sources(read_paths, config, cwd)
    findings = [
        finding
        for finding in finalise(decide(analyse(facts, config, reference, sources), by_path, selection))
        if wanted.wants(finding.path)
    ]
    return Result(tuple(findings), len(facts), discovery.skipped, discovery.missing)


def flag_sources(paths: Sequence, config: Config = Config(), cwd: Optional[Path] = None):
    """What the project's flag sources (.env files) say, for the paths analysed."""
    cwd = Path(cwd or Path.cwd())
    base = config.path.parent if config.path is not None else cwd
    flag_files = [base / name for name in config.flag_sources]
    return load_sources(roots_for(paths, cwd, config.path), cwd, flag_files)


def lock(paths: Sequence = (".",), config: Config = Config(), renames=(), cwd: Optional[Path] = None, jobs: int = 1):
    """Update the project's flaglint.lock ledger from today's bit tables."""
    cwd = cwd or Path.cwd()
    _, facts = collect_facts(paths, config, cwd, jobs)
    return history_lock(FlagGraph(facts, config.external_flags), list(paths), cwd, list(renames))

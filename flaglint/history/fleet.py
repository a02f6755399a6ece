"""``flaglint drift`` as a library call: builds in, FL007 findings out.

Like :mod:`flaglint.api`, a library entry point: it builds graphs through
the api and reports through the rules, which the rest of :mod:`.history` does not.

from flaglint.history.fleet import drift
result = drift(["v1.lock", "HEAD"])
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Tuple, Union

from ..api import analyse_project, build_graph
from ..cache import FactsCache
from ..config import Config
from ..decide import Selection, decide
from ..findings import Finding, finalise
from ..parallel import Progress
from ..rules.fl007_fleet_conflict import FleetConflict
from .builds import Extraction, load_builds
from .drift import conflicts
from .snapshot import BuildSummary, summarise

#: what drift needs at least
MINIMUM_BUILDS = 2


class DriftError(Exception):
    """Not enough builds to compare (exit code 2)."""


@dataclass(frozen=True)
class DriftResult:
    findings: Tuple[Finding, ...]
    builds: Tuple[BuildSummary, ...]

    def summary(self) -> dict:
        """The ``summary`` object of the json and sarif formats. No ``files``
        count: a build from a ledger has no files to count, and 0 would lie."""
        return {
            "builds": [build.label for build in self.builds],
            "findings": len(self.findings),
            "by_code": dict(sorted(Counter(finding.code for finding in self.findings).items())),
            "skipped": [],
        }

    def summary_line(self) -> str:
        total, count = len(self.findings), len(self.builds)
        return f"Found {total} conflict{'s' if total != 1 else ''} between {count} builds ({', '.join(build.label for build in self.builds)})."


def drift(
    specs: Sequence[str],
    config: Config = Config(),
    select: Optional[Sequence[str]] = None,
    ignore: Optional[Sequence[str]] = None,
    cwd: Optional[Path] = None,
    jobs: int = 1,
    cache_dir: Union[str, Path, None] = None,
    progress: Optional[Progress] = None,
) -> DriftResult:
    """Every conflict between any two of the builds ``specs`` (git revisions
    or flaglint.lock paths), selected like ``check`` selects.

    Raises DriftError (fewer than two builds), LedgerError (a bad, foreign
    or version 1 ledger) or HistoryError (a revision that cannot be read)."""
    if len(specs) < MINIMUM_BUILDS:
        raise DriftError(
            f"drift compares at least {MINIMUM_BUILDS} builds (git revisions or flaglint.lock files), got {len(specs)}"
        )
    cwd = Path(cwd or Path.cwd())
    cache = FactsCache(cwd / cache_dir) if cache_dir is not None else None
    builds = load_builds(specs, cwd, config, build_graph, Extraction(jobs, cache, progress))
    selection = Selection(
        tuple(select) if select else config.select, tuple(config.ignore) + tuple(ignore or ()), config.per_file_ignores
    )
    findings = finalise(decide(compare(builds), {}, selection))
    return DriftResult(tuple(findings), tuple(builds))


def summarise_tree(root: Path, label: str, config: Config = Config()) -> BuildSummary:
    """The summary of a build checked out or unpacked at ``root`` (paths
    relative to it): for comparing directories from Python, and for the
    FL007 examples."""
    return summarise(analyse_project(["."], config, cwd=Path(root)).graph, label)


def compare(builds: Sequence[BuildSummary]) -> Tuple[Finding, ...]:
    """FL007 findings between ``builds``, sorted, before any selection."""
    return tuple(finalise(FleetConflict().report(conflicts(builds))))

"""``flaglint audit``: an inventory of every flag, as a report a person reads.

From Python::

    from flaglint.audit import audit, render
    inventory = audit(["src"])
    print(render(inventory, "markdown"))

``inventory.to_dict()`` is the ``--format json`` document.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence, Tuple

from .. import api
from ..discover import Discovery
from ..config import Config
from ..graph.analysis import FlagAnalysis
from ..graph.build import FlagGraph
from ..history.reference import reference_for
from ..scope import ReportFilter, analysis_paths
from . import html, json_format, markdown, text
from .ages import blame_files
from .inventory import BitRow, FamilyTable, FlagEntry, Inventory, Location, ReadEntry, build_inventory
from .status import STATUSES

__all__ = [
    "FORMATS", "STATUSES", "BitRow", "FamilyTable", "FlagEntry", "Inventory", "Location", "ReadEntry",
    "analyse_paths", "audit", "build_inventory", "render",
]

#: format name -> renderer(inventory) -> str
FORMATS: Dict[str, Callable[[Inventory], str]] = {
    "text": text.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "html": html.render,
}


def audit(
    paths: Sequence = (".",),
    config: Config = Config(),
    cwd: Optional[Path] = None,
    jobs: int = 1,
    against: Optional[str] = None,
    ages: bool = True,
) -> Inventory:
    """The inventory of every flag under ``paths``.

    Named files are judged against their whole project, as in ``check``;
    flags are listed when one of their sites is under ``paths``. ``against``
    (a git revision) or the project's flaglint.lock tells which bits were
    given a new name (status ``reused``); a bad revision raises HistoryError.
    ``ages=False`` skips ``git blame``."""
    cwd = Path(cwd or Path.cwd())
    paths = list(paths) or ["."]
    discovery, graph, analysis = analyse_paths(paths, config, cwd, jobs, against)
    wanted = ReportFilter(paths, cwd).wants
    blame = partial(blame_files, cwd=cwd) if ages else None
    inventory = build_inventory(graph, analysis, cwd, wanted, blame)
    inventory.skipped = tuple(f"{item.display}: {item.reason}" for item in discovery.skipped)
    return inventory


def analyse_paths(
    paths: Sequence, config: Config = Config(), cwd: Optional[Path] = None, jobs: int = 1, against: Optional[str] = None
) -> Tuple[Discovery, FlagGraph, FlagAnalysis]:
    """The graph and analysis ``check`` would build for ``paths`` (named
    files are judged against their whole project), without the rules."""
    cwd = Path(cwd or Path.cwd())
    paths = list(paths) or ["."]
    reference = reference_for(paths, cwd, config.external_flags, against)
    roots = analysis_paths(paths, cwd)
    discovery, facts = api.collect_facts(roots, config, cwd, jobs)
    graph = FlagGraph(facts, config.external_flags, *_sources(roots, config, cwd))
    return discovery, graph, FlagAnalysis(graph, reference)


def _sources(paths: Sequence, config: Config, cwd: Path) -> tuple:
    """The project's flag sources (.env files), where this flaglint reads them."""
    flag_sources = getattr(api, "flag_sources", None)
    return (flag_sources(paths, config, cwd),) if flag_sources is not None else ()


def render(inventory: Inventory, output_format: str) -> str:
    """The inventory in one of :data:`FORMATS`."""
    try:
        renderer = FORMATS[output_format]
    except KeyError:
        raise ValueError(f"unknown audit format {output_format!r} (known: {', '.join(FORMATS)})") from None
    return renderer(inventory)

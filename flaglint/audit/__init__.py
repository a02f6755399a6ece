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
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .. import api
from ..config import Config
from ..discover import Discovery
from ..graph.analysis import FlagAnalysis
from ..graph.build import FlagGraph
from ..keys import key_parts
from ..parallel import Progress
from ..scope import ReportFilter
from ..sources.references import find_references, with_names
from . import html, json_format, markdown, text
from .ages import blame_files
from .inventory import BitRow, FamilyTable, FlagEntry, Inventory, Location, ReadEntry, build_inventory
from .status import STATUSES

__all__ = [
    "FORMATS",
    "STATUSES",
    "BitRow",
    "FamilyTable",
    "FlagEntry",
    "Inventory",
    "Location",
    "ReadEntry",
    "analyse_paths",
    "audit",
    "build_inventory",
    "render",
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
    progress: Optional[Progress] = None,
    everything: bool = False,
) -> Inventory:
    """The inventory of every flag under ``paths``.

    Named files are judged against their whole project, as in ``check``;
    flags are listed when one of their sites is under ``paths``. ``against``
    (a git revision) or the project's flaglint.lock tells which bits were
    given a new name (status ``reused``); a bad revision raises HistoryError.
    ``ages=False`` skips ``git blame``. ``everything`` also lists what the
    audit weighed and found not to be a flag, each with its reason."""
    cwd = Path(cwd or Path.cwd())
    paths = list(paths) or ["."]
    project = api.analyse_project(paths, config, cwd, jobs, against=against, progress=progress)
    project.analysis.python_mentions = python_mentions(project)
    wanted = ReportFilter(paths, cwd).wants
    blame = partial(blame_files, cwd=cwd) if ages else None
    inventory = build_inventory(project.graph, project.analysis, cwd, wanted, blame, everything)
    inventory.skipped = tuple(f"{item.display}: {item.reason}" for item in project.discovery.skipped)
    return inventory


def python_mentions(project: api.Project) -> Dict[str, List[Tuple[str, int]]]:
    """Where the Python files that build a key at run time name the
    flag-source keys that no call reads by name while their provider is read
    with run-time keys (and their bare names): the audit tells
    ``mentioned-nowhere`` from a key such a file names (a list looped over
    into the read). Read only when there are such keys."""
    analysis = project.analysis
    keys = [key_parts(flag.key)[1] for flag in project.graph.iter_keyed() if flag.key and analysis.unresolved(flag)]
    if not keys:
        return {}
    facts = project.graph.files
    files = [  # only where a key is built at run time: a registration call names every key, and reads none
        (source.path, source.display)
        for source in project.discovery.files
        if source.display in facts and (facts[source.display].dynamic_keys or facts[source.display].dynamic_callees)
    ]
    return find_references(files, with_names(keys))


def analyse_paths(
    paths: Sequence, config: Config = Config(), cwd: Optional[Path] = None, jobs: int = 1, against: Optional[str] = None
) -> Tuple[Discovery, FlagGraph, FlagAnalysis]:
    """The graph and analysis ``check`` would build for ``paths``, without
    the rules (kept for callers of the audit package; see
    :func:`flaglint.api.analyse_project`)."""
    project = api.analyse_project(paths, config, cwd, jobs, against=against)
    return project.discovery, project.graph, project.analysis


def render(inventory: Inventory, output_format: str) -> str:
    """The inventory in one of :data:`FORMATS`."""
    try:
        renderer = FORMATS[output_format]
    except KeyError:
        raise ValueError(f"unknown audit format {output_format!r} (known: {', '.join(FORMATS)})") from None
    return renderer(inventory)

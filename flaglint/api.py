"""Run the analysis from Python: ``flaglint.api.check(["src"])``.

Every stage is a function of the previous one's output:
discover -> extract -> graph -> rules -> decide. The CLI is a thin layer
over this module. Every command (check, audit, graph, fix, lock) gets its
graph from :func:`analyse_project`, and every graph is built by
:func:`build_graph`, so they all judge the same project the same way.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .cache import FactsCache
from .config import Config
from .decide import Selection, Suppressions, decide_suppressed
from .discover import Discovery, Skipped, TextTest, discover
from .facts import FileFacts
from .findings import Finding, finalise
from .generated import without_generated
from .graph.analysis import FlagAnalysis
from .graph.build import FlagGraph
from .history.compare import Reference
from .history.reference import lock as history_lock
from .history.reference import reference_for
from .memo import AnalysisMemo, project_key
from .parallel import Progress, extract_all, known_keys
from .rules import RULES
from .scope import ReportFilter, analysis_paths
from .shards import Shard, Slice, merge
from .sources.load import load_sources, roots_for
from .sources.model import Sources
from .sources.references import find_references, is_reference_file, read_bytes


@dataclass(frozen=True)
class Result:
    findings: Tuple[Finding, ...]
    files: int
    skipped: Tuple[Skipped, ...] = ()
    missing: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    """Everything the analysis of some paths produced, before the rules.

    ``discovery`` holds the files found on disk (not those of shards) and
    what was skipped (shards' included); ``facts`` every file's facts, sorted
    by path."""

    discovery: Discovery
    facts: Tuple[FileFacts, ...]
    sources: Sources
    graph: FlagGraph
    analysis: FlagAnalysis


def build_graph(facts: Sequence[FileFacts], config: Config = Config(), sources: Optional[Sources] = None) -> FlagGraph:
    """The flag graph of ``facts``: the one place a FlagGraph is built, so
    every command (and the ``--against`` reference) reads config the same way."""
    return FlagGraph(
        facts, config.external_flags, sources, config.flag_apis, config.sources_complete, config.flag_classes
    )


def analyse_project(
    paths: Sequence = (".",),
    config: Config = Config(),
    cwd: Optional[Path] = None,
    jobs: int = 1,
    cache_dir: Union[str, Path, None] = None,
    against: Optional[str] = None,
    facts: Optional[Sequence[Shard]] = None,
    progress: Optional[Progress] = None,
) -> Project:
    """Discover, extract, and build the graph and analysis of ``paths``.

    Named files are judged against their whole project (see
    :mod:`flaglint.scope`). With ``facts`` (shards extracted elsewhere, see
    :mod:`flaglint.shards`), ``paths`` are extracted as given and merged
    with them, and the project
    is ``cwd`` itself: flag sources, the ledger and ``against`` are read as
    for ``.``; a file in two shards, or in a shard and under ``paths``,
    raises ShardError. ``against`` is a git revision whose bit meanings are
    compared with today's; without it the project's flaglint.lock is used if
    there is one (a bad one raises HistoryError or LedgerError).
    ``cache_dir`` (relative to ``cwd``) caches facts by content, today's and
    the revision's; ``progress`` is told how extraction advances."""
    gathered = _gather(paths, config, cwd, jobs, cache_dir, against, facts, progress)
    with _settled_heap():
        return _judge(gathered, config)


@contextmanager
def _settled_heap() -> Iterator[None]:
    """Keep the cyclic garbage collector off the facts while the graph and the
    rules run. The facts (millions of small objects on a large tree) are
    built before and live until after; every full collection the graph's
    allocations trigger would walk all of them again, which doubled the graph
    stage on the stdlib. Frozen, they are skipped; unfrozen after, so a
    long-lived caller (a language server) still collects them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class _Gathered:
    """What the analysis is made from, before the graph: the inputs of
    :func:`_judge`, and of the memo's key (:mod:`flaglint.memo`).

    The facts are extracted (or unpickled from the cache) only when first
    asked for (:attr:`merged`): when the cache vouches for every file by
    stat, ``keys`` is known without them, so a run the memo answers never
    loads a fact (on the stdlib, unpickling them was most of a warm run)."""

    def __init__(
        self,
        discovery: Discovery,
        extract: Callable[[Dict[str, str]], Shard],
        sources: Sources,
        reference: Optional[Reference],
        cache: Optional[FactsCache],
        known: Optional[Dict[str, str]],
        shards: bool,
    ) -> None:
        self.discovery = discovery
        self.sources = sources
        self.reference = reference
        self.cache = cache
        #: shards merged in (``--facts``): the memo is off
        self.shards = shards
        self._extract = extract
        self._known = known
        self._merged: Optional[Shard] = None
        self._keys: Dict[str, str] = {}

    @property
    def merged(self) -> Shard:
        """Every file's facts (extracted or loaded on first use), shards merged in."""
        if self._merged is None:
            self._merged = self._extract(self._keys)
            self._known = None  # from now on the keys are those of the facts loaded
        return self._merged

    @property
    def keys(self) -> Dict[str, str]:
        """Display path -> facts-cache key, for every file the cache vouches
        for: by stat before the facts are loaded, else those of the facts."""
        if self._known is not None:
            return self._known
        return self._keys if self.merged is not None else {}

    @property
    def files(self) -> int:
        """How many files were analysed, without loading their facts."""
        return len(self.discovery.files) if not self.shards else len(self.merged.facts)

    @property
    def skipped(self) -> Tuple[Skipped, ...]:
        return tuple(self.discovery.skipped) if not self.shards else tuple(self.merged.skipped)


def _gather(
    paths: Sequence,
    config: Config,
    cwd: Optional[Path],
    jobs: int,
    cache_dir: Union[str, Path, None],
    against: Optional[str],
    facts: Optional[Sequence[Shard]],
    progress: Optional[Progress],
) -> _Gathered:
    cwd = Path(cwd or Path.cwd())
    paths = _given(paths, facts)
    cache = _cache(cwd, cache_dir)
    project_paths = paths if facts is None else ["."]
    reference = reference_for(project_paths, cwd, config, against, build_graph, jobs, cache, progress)
    read_paths = analysis_paths(paths, cwd) if facts is None else paths
    discovery = _discover(read_paths, config, cwd, texts=is_reference_file) if read_paths else Discovery((), (), ())

    read: Dict[str, bytes] = {}  # bytes known_keys read, so extraction does not read them again

    def extract(keys: Dict[str, str]) -> Shard:
        found = extract_all(discovery.files, jobs, cache, progress, config.max_file_tokens, keys, read)
        read.clear()
        extracted = Shard(tuple(found), discovery.skipped)
        return merge([extracted, *facts]) if facts is not None else extracted

    known = None
    if cache is not None and facts is None:
        known = known_keys(discovery.files, cache, config.max_file_tokens, read)
    sources = flag_sources(read_paths if facts is None else [".", *paths], config, cwd)
    gathered = _Gathered(discovery, extract, sources, reference, cache, known, facts is not None)
    if facts is not None:
        _ = gathered.merged  # a bad shard (a file twice) raises here, as before
    return gathered


def _judge(gathered: _Gathered, config: Config) -> Project:
    """The graph and the analysis of what :func:`_gather` found."""
    discovery, merged, sources = gathered.discovery, gathered.merged, gathered.sources
    graph = build_graph(merged.facts, config, sources)
    # after the graph: the keys of in-house registries it found are looked for too
    texts = [(text.path, text.display) for text in discovery.texts]
    references = find_references(texts, graph.text_keys, gathered.cache)
    sources.references = graph.sources.references = references
    discovery = Discovery(discovery.files, merged.skipped, discovery.missing, discovery.texts)
    return Project(discovery, merged.facts, sources, graph, FlagAnalysis(graph, gathered.reference))


def _memo_key(gathered: _Gathered, config: Config) -> Optional[str]:
    """The memo key of a gathered project (see :mod:`flaglint.memo`), or
    None when the memo cannot vouch for it: no cache, shards merged in, or
    a reference (``--against``, a ledger) whose meaning it does not key."""
    if gathered.cache is None or gathered.reference is not None or gathered.shards:
        return None
    files = [(source.display, tuple(getattr(source, "aliases", ()))) for source in gathered.discovery.files]
    texts = [(text.display, read_bytes(text.path)) for text in gathered.discovery.texts]
    # the references found in the texts are filled in by _judge: the texts
    # themselves are keyed, so the key is the same before and after
    sources = replace(gathered.sources, references={})
    return project_key(gathered.keys, files, sources, config, texts)


def _texts_unchanged(gathered: _Gathered, key: str, config: Config) -> bool:
    """Whether the key still holds after the analysis read the text files
    (an edit during the run must not be remembered under the old content)."""
    return _memo_key(gathered, config) == key


def _given(paths: Sequence, facts: Optional[Sequence[Shard]]) -> List:
    """The paths to analyse: ``.`` when none are given, unless shards are."""
    return list(paths) if facts is not None else list(paths) or ["."]


def _discover(paths: Sequence, config: Config, cwd: Optional[Path], texts: Optional[TextTest] = None) -> Discovery:
    """The project's files under ``paths``, as the configuration selects them
    (generated files skipped unless ``analyse-generated``)."""
    found = discover(
        paths,
        exclude=config.exclude,
        include=config.include,
        include_root=config.directory(cwd),
        cwd=cwd,
        source_roots=config.source_roots(),
        texts=texts,
    )
    return found if config.analyse_generated else without_generated(found)


def _cache(cwd: Path, cache_dir: Union[str, Path, None]) -> Optional[FactsCache]:
    return FactsCache(cwd / cache_dir) if cache_dir is not None else None


def collect_facts(
    paths: Sequence,
    config: Config = Config(),
    cwd: Optional[Path] = None,
    jobs: int = 1,
    cache_dir: Union[str, Path, None] = None,
    progress: Optional[Progress] = None,
    part: Optional[Slice] = None,
) -> Tuple[Discovery, List[FileFacts]]:
    """Discover the files under ``paths`` (as given) and extract each one's facts.

    With ``cache_dir`` (relative to ``cwd``), facts are cached there by content.
    With ``part``, only the files (and skipped paths) of that slice are kept,
    after the whole discovery, so modules are named as a whole run names them."""
    discovery = _discover(paths, config, cwd)
    if part is not None:
        files = tuple(found for found in discovery.files if part.holds(found.display))
        skipped = tuple(item for item in discovery.skipped if part.holds(item.display))
        discovery = Discovery(files, skipped, discovery.missing, discovery.texts)
    cache = _cache(Path(cwd or Path.cwd()), cache_dir)
    return discovery, extract_all(discovery.files, jobs, cache, progress, config.max_file_tokens)


def extract(
    paths: Sequence = (".",),
    config: Config = Config(),
    cwd: Optional[Path] = None,
    jobs: int = 1,
    cache_dir: Union[str, Path, None] = None,
    progress: Optional[Progress] = None,
    part: Optional[Slice] = None,
) -> Shard:
    """The facts of the files under ``paths`` (as given, not widened to their
    project) as a shard, for :func:`flaglint.shards.write` and a later
    ``check(facts=...)``. With ``part`` (``Slice(2, 3)``), only that slice
    of them: one job of a matrix (see :class:`flaglint.shards.Slice`)."""
    discovery, facts = collect_facts(list(paths) or ["."], config, cwd, jobs, cache_dir, progress, part)
    return Shard(tuple(facts), discovery.skipped, slice=part)


def run_rules(project: Project) -> List[Finding]:
    """Every finding the rules report on the project, before selection."""
    return [finding for rule in RULES.values() for finding in rule.check(project.graph, project.analysis)]


def analyse(
    facts: Sequence[FileFacts], config: Config = Config(), reference: Optional[Reference] = None, sources=None
) -> List[Finding]:
    """Every finding the rules report on these facts, before selection.

    ``reference`` holds what bits meant before (``--against`` or the ledger);
    ``sources`` what flag sources (.env files) say (see ``flag_sources``)."""
    graph = build_graph(facts, config, sources)
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
    facts: Optional[Sequence[Shard]] = None,
    progress: Optional[Progress] = None,
) -> Result:
    """Lint ``paths``: findings sorted by path and line, suppressions applied.

    ``jobs`` > 1 extracts on that many worker processes. ``against`` is a git
    revision whose bit meanings are compared with today's; without it the
    project's flaglint.lock is used if there is one. A bad revision or ledger
    raises HistoryError or LedgerError. ``cache_dir`` (relative to ``cwd``)
    caches each file's facts by content; None (the default) caches nothing.
    ``facts`` are shards extracted elsewhere (see :func:`analyse_project`):
    then every finding is reported, not only those under ``paths``."""
    cwd = Path(cwd or Path.cwd())
    paths = _given(paths, facts)
    gathered = _gather(paths, config, cwd, jobs, cache_dir, against, facts, progress)
    raw, suppressed = _findings(gathered, config, cwd / cache_dir if cache_dir is not None else None)
    selection = Selection(
        tuple(select) if select else config.select,
        tuple(config.ignore) + tuple(ignore or ()),
        config.per_file_ignores,
    )
    wanted = _reported(paths, cwd, config) if facts is None else (lambda finding: True)
    findings = [finding for finding in finalise(decide_suppressed(raw, suppressed, selection)) if wanted(finding)]
    return Result(tuple(findings), gathered.files, gathered.skipped, gathered.discovery.missing)


def _findings(gathered: _Gathered, config: Config, cache_dir: Optional[Path]) -> Tuple[List[Finding], Suppressions]:
    """The rules' findings on a gathered project, and the suppression
    comments of the files they are in: remembered from an earlier run on
    exactly the same inputs (:mod:`flaglint.memo`), without loading any
    fact, or computed (and then remembered)."""
    key = _memo_key(gathered, config) if cache_dir is not None else None
    memo = AnalysisMemo(cache_dir) if key is not None and cache_dir is not None else None
    if memo is not None and key is not None:
        remembered = memo.lookup(key)
        if remembered is not None:
            if gathered.cache is not None:
                gathered.cache.save()  # stat records learned while keying (a touched file), if any
            return remembered
    with _settled_heap():
        raw = run_rules(_judge(gathered, config))
    suppressed = _suppressions(gathered.merged.facts, raw)
    if memo is not None and key is not None and _texts_unchanged(gathered, key, config):
        memo.store(key, raw, suppressed)
    return raw, suppressed


def _suppressions(facts: Sequence[FileFacts], findings: Sequence[Finding]) -> Dict[str, Mapping[int, Tuple[str, ...]]]:
    """The suppression comments of the files ``findings`` are in, by path
    (all :func:`flaglint.decide.decide` needs of the facts)."""
    paths = {finding.path for finding in findings}
    return {item.path: dict(item.suppressions) for item in facts if item.suppressions and item.path in paths}


def _reported(paths: Sequence, cwd: Path, config: Config):
    """Which findings ``check`` reports: those under ``paths``, and FL000 for
    a configured flag source wherever it is. The configuration named that
    file and the analysis depends on it, so a source that cannot be read
    (``/dev/zero``, a file outside the project) must not go unmentioned."""
    inside = ReportFilter(paths, cwd).wants
    base = config.path.parent if config.path is not None else cwd
    named = ReportFilter([str(base / name) for name in config.flag_sources], cwd).wants
    return lambda finding: inside(finding.path) or (finding.code == "FL000" and named(finding.path))


def flag_sources(paths: Sequence, config: Config = Config(), cwd: Optional[Path] = None) -> Sources:
    """What the project's flag sources (.env files) say, for the paths analysed."""
    cwd = Path(cwd or Path.cwd())
    base = config.path.parent if config.path is not None else cwd
    flag_files = [base / name for name in config.flag_sources]
    return load_sources(roots_for(paths, cwd, config.path), cwd, flag_files)


def lock(paths: Sequence = (".",), config: Config = Config(), renames=(), cwd: Optional[Path] = None, jobs: int = 1):
    """Update the project's flaglint.lock ledger from today's bit tables."""
    cwd = cwd or Path.cwd()
    project = analyse_project(paths, config, cwd, jobs)
    return history_lock(project.graph, list(paths), cwd, list(renames))

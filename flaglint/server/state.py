"""The project a language server holds in memory: every file's facts, and
the findings they give, updated one edited buffer at a time.

This is the server's one seam with the analysis. The protocol calls
:meth:`ProjectState.load` once, then :meth:`ProjectState.update` with an
open buffer's text (or None: back to the file on disk) and publishes what it
returns; nothing else in :mod:`flaglint.server` knows how findings are made.
Today an update extracts the one file from its text and judges the whole
project again from the facts in memory (graph, rules, suppressions, as
``flaglint check .`` does: a test keeps the two equal); the incremental
analysis can replace the body of :meth:`ProjectState.update` without the
protocol noticing.

It imports no pygls, and is not thread-safe: the protocol calls it from one
worker thread at a time.
"""

from __future__ import annotations

import gc
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple

from .. import api
from ..budget import budget_problem
from ..cache import FactsCache, unusable
from ..config import Config, find_config, load_config
from ..decide import Selection, decide_suppressed
from ..discover import Discovery, SourceFile, discover
from ..extract.extract import extract_source
from ..extract.source import decode_source
from ..facts import FileFacts, Problem
from ..findings import Finding, finalise
from ..generated import without_generated
from ..graph.analysis import FlagAnalysis
from ..history.compare import Reference
from ..history.reference import reference_for
from ..parallel import extract_all
from ..project import display_path, is_within
from ..scope import analysis_paths
from ..sources.load import load_sources, roots_for
from ..sources.model import Sources
from ..sources.references import find_references, is_reference_file

if TYPE_CHECKING:
    from ..fix import FixResult

#: display path -> the findings in that file (sorted, suppressions applied)
ByPath = Dict[str, List[Finding]]


class ProjectState:
    """One workspace folder's analysis, held in memory.

    ``root`` is the folder the editor opened: display paths are relative to
    it, as ``flaglint check`` run there names them. ``cache_dir`` (relative
    to ``root``; None: no cache) is the facts cache the first analysis
    starts warm from. :meth:`load` raises what the CLI reports as a usage
    error (``ConfigError``, a bad ledger): the protocol shows it."""

    def __init__(self, root: Path, cache_dir: Optional[str] = ".flaglint_cache", jobs: int = 1) -> None:
        self.root = Path(os.path.abspath(root))
        self.cache_dir = cache_dir
        self.jobs = jobs
        self.config = Config()
        self.project: Optional[api.Project] = None
        self._files: Dict[str, SourceFile] = {}  # display -> file on disk
        self._facts: Dict[str, FileFacts] = {}  # display -> facts (of the buffer, if open)
        self._buffers: Dict[str, str] = {}  # display -> unsaved text analysed
        self._discovery = Discovery((), (), ())
        self._declined: Set[str] = set()  # files found after the load that are not part of the project
        self._sources = Sources()
        self._reference: Optional[Reference] = None
        self.findings: ByPath = {}

    # ------------------------------------------------------------ paths
    def display(self, path: Path) -> Optional[str]:
        """How findings name the file at ``path``; None outside the root."""
        absolute = os.path.abspath(path)
        if not is_within(absolute, str(self.root)) or absolute == str(self.root):
            return None
        return display_path(absolute, str(self.root))

    def absolute(self, display: str) -> Path:
        """The file a display path names (an absolute one outside the root)."""
        return Path(display) if os.path.isabs(display) else self.root / display

    def text(self, display: str) -> Optional[str]:
        """The unsaved text analysed for ``display``, if it is an open buffer."""
        return self._buffers.get(display)

    # ------------------------------------------------------------ analysis
    def load(self) -> ByPath:
        """Read the configuration, discover and extract every file (from
        the warm cache where it can), and judge the project."""
        self.config = load_config(find_config(self.root))
        paths = analysis_paths(["."], self.root)
        self._discovery = self._discover(paths)
        self._files = {source.display: source for source in self._discovery.files}
        self._declined = set()
        cache = self._cache()
        facts = extract_all(self._discovery.files, self.jobs, cache, None, self.config.max_file_tokens)
        self._facts = {item.path: item for item in facts}
        self._buffers = {}  # the protocol hands the open buffers in again (update_many)
        base = self.config.path.parent if self.config.path is not None else self.root
        flag_files = [base / name for name in self.config.flag_sources]
        self._sources = load_sources(roots_for(paths, self.root, self.config.path), self.root, flag_files)
        self._reference = reference_for(["."], self.root, self.config, None, api.build_graph, self.jobs, cache)
        return self._judge()

    def update(self, path: Path, text: Optional[str]) -> ByPath:
        """The findings of every file after the file at ``path`` reads
        ``text`` (None: its content on disk, as after a save or a close).

        A file outside the root, or one the configuration leaves out, is
        not analysed: the answer is the findings as they were."""
        return self.update_many({path: text})

    def update_many(self, texts: Dict[Path, Optional[str]]) -> ByPath:
        """:meth:`update` for several files at once, judged once.

        The findings are a function of the facts (and of the configuration
        and flag sources, which an edit does not change), so when every
        edited file's facts come out equal to those held (typing in a
        comment, a docstring, a line no fact spans), the project is not
        judged again: the answer is the findings as they were."""
        changed = False
        for path, text in texts.items():
            display = self.display(path)
            source = self._files.get(display) if display is not None else None
            if source is None and display is not None:
                source = self._newly_found(path)
                changed = changed or source is not None
            if source is None or display is None:
                continue
            if text is None:
                self._buffers.pop(display, None)
                if not os.path.lexists(source.path):  # deleted: no longer part of the project
                    self._forget(display)
                    changed = True
                    continue
                facts = self._extract_from_disk(source)
            else:
                self._buffers[display] = text
                facts = self._extract(source, text)
            changed = changed or self._facts.get(display) != facts
            self._facts[display] = facts
        return self._judge() if changed or self.project is None else self.findings

    def _judge(self) -> ByPath:
        """The project judged as ``flaglint check .`` judges it (see
        :func:`flaglint.api.check`): graph, references in text files, rules,
        then selection and suppression comments."""
        gc.freeze()  # as flaglint.api does: collections during the graph would walk every fact
        try:
            return self._judged()
        finally:
            gc.unfreeze()  # the facts replaced by later edits must still be collected

    def _judged(self) -> ByPath:
        facts = tuple(self._facts[display] for display in sorted(self._facts))
        graph = api.build_graph(facts, self.config, self._sources)
        texts = [(text.path, text.display) for text in self._discovery.texts]
        references = find_references(texts, graph.text_keys, None)
        self._sources.references = graph.sources.references = references
        project = api.Project(self._discovery, facts, self._sources, graph, FlagAnalysis(graph, self._reference))
        raw = api.run_rules(project)
        suppressed = {item.path: dict(item.suppressions) for item in facts if item.suppressions}
        selection = Selection(self.config.select, tuple(self.config.ignore), self.config.per_file_ignores)
        findings: ByPath = {}
        for finding in finalise(decide_suppressed(raw, suppressed, selection)):
            findings.setdefault(finding.path, []).append(finding)
        self.project, self.findings = project, findings
        return findings

    def fix(self, flag: str) -> "FixResult":
        """What ``flaglint fix --flag FLAG --value false`` would change,
        computed from the files on disk and written nowhere (the protocol
        turns it into a workspace edit). Raises FixUsageError as ``fix`` does."""
        from ..fix import run_fix

        cache = self.cache_dir if self._cache() is not None else None
        return run_fix(["."], self.config, cwd=self.root, flag_name=flag, value=False, jobs=self.jobs, cache_dir=cache)

    def unsaved(self, buffers: Dict[Path, str]) -> List[str]:
        """The display paths, sorted, of the open buffers under the root
        whose text differs from their file on disk (or whose file is gone):
        :meth:`fix` reads the disk, so while any of them is unsaved its
        edit could delete code that unsaved text still uses."""
        found = []
        for path, text in buffers.items():
            display = self.display(path)
            if display is None:
                continue
            try:
                data = self.absolute(display).read_bytes()
            except OSError:
                found.append(display)
                continue
            saved = decode_source(data)
            if isinstance(saved, Problem):  # not Python (or too large): the bytes as the editor most likely read them
                saved = data.decode("utf-8", "replace")
            if saved != text:
                found.append(display)
        return sorted(found)

    # ------------------------------------------------------------ files
    def _discover(self, paths: Sequence[str]) -> Discovery:
        """The files ``flaglint check`` would find under ``paths`` (generated ones skipped unless configured)."""
        config = self.config
        found = discover(
            paths,
            exclude=config.exclude,
            include=config.include,
            include_root=config.directory(self.root),
            cwd=self.root,
            source_roots=config.source_roots(),
            texts=is_reference_file,
        )
        return found if config.analyse_generated else without_generated(found)

    def _newly_found(self, path: Path) -> Optional[SourceFile]:
        """A Python file created since the load, if the configuration takes it:
        discovered with its directory, so excludes apply as to any other file
        (a file named on its own is always taken). Remembered either way."""
        absolute = os.path.abspath(path)
        if absolute in self._declined or not path.is_file():
            return None
        self._declined.add(absolute)
        wanted = [source for source in self._discover([str(path.parent)]).files if str(source.path) == absolute]
        if not wanted:
            return None
        source = wanted[0]
        self._files[source.display] = source
        self._discovery = replace(self._discovery, files=tuple(sorted(self._files.values(), key=_by_display)))
        return source

    def _forget(self, display: str) -> None:
        self._files.pop(display, None)
        self._facts.pop(display, None)
        self._discovery = replace(self._discovery, files=tuple(sorted(self._files.values(), key=_by_display)))

    def _cache(self) -> Optional[FactsCache]:
        if self.cache_dir is None:
            return None
        directory = self.root / self.cache_dir
        return FactsCache(directory) if unusable(directory) is None else None

    def _extract(self, source: SourceFile, text: str) -> FileFacts:
        """Facts of an unsaved buffer, bounded as a file on disk is (a buffer over
        ``max-file-tokens`` is FL000, as the file would be)."""
        message = budget_problem(text.encode("utf-8", "surrogatepass"), self.config.max_file_tokens)
        if message is not None:
            return FileFacts(source.display, source.module, source.is_package, problem=Problem(message))
        facts = extract_source(text, source.display, source.module, source.is_package)
        aliases = tuple(getattr(source, "aliases", ()))
        return replace(facts, aliases=aliases) if facts.aliases != aliases else facts

    def _extract_from_disk(self, source: SourceFile) -> FileFacts:
        return extract_all([source], 1, self._cache(), None, self.config.max_file_tokens)[0]


def _by_display(source: SourceFile) -> Tuple[str]:
    return (source.display,)

"""Run a fix: analyse, plan, bake the decisions in, cascade, report.

Everything happens in memory; :func:`write_changes` (or the CLI's
``--diff``) decides what to do with the result. The cascade works on the
rewritten sources and only ever removes what nothing references any more:

1. a flag's definition, once no reference to its name remains anywhere in
   the analysed code (reads, other uses, imports, strings such as
   ``__all__``), and a module-level constant only dead code used;
2. a function or class FL002 reports dead, in any module (or, for a flag
   baked in as on, any function) whose every reference the fix removed;
3. an import in an edited file whose name the removed code used and that
   file no longer uses (and that no other module imports from it).

It repeats until nothing more goes: removing a function can orphan an
import, and removing that import can orphan a function in another module.
Last, a module the cascade emptied (a docstring and imports left) that
nothing names any more becomes a deletion.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Callable, Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union

import libcst as cst
from libcst.metadata import MetadataWrapper

from .. import api
from ..config import Config
from ..discover import SourceFile
from ..extract.extract import extract_source
from ..extract.source import decode_source
from ..facts import FileFacts, Problem, Read, Use
from ..graph.build import Site
from ..graph.django_settings import is_settings_module
from ..keys import is_keyed
from ..parallel import Progress
from ..scope import ReportFilter
from . import leftovers, meaning, safety, transaction
from .encoding import checked
from .plan import Decision, Plan, plan_fix
from .references import Scan, scan_module
from .transform import BakeTransformer, RemoveTransformer, Target, remaining
from .write import compile_error, git_lines, newer_grammar_error, patch

_MAX_ROUNDS = 50


@dataclass
class FileChange:
    path: Path  # where to write
    display: str  # how to name it
    old: str
    new: str
    encoding: str
    #: the whole file goes (a module the cascade left empty); ``new`` is ""
    deleted: bool = False
    #: sha256 of the bytes the fix read; the write refuses a file that no
    #: longer has it (None: the hash of ``old`` encoded)
    digest: Optional[str] = None
    #: the bytes to write, when they are not just ``new`` encoded (the
    #: checks may pin the file's coding line)
    encoded: Optional[bytes] = None
    #: written for a newer Python than the one running: checked with
    #: libcst's parser, not ``compile`` (see ``write.syntax_error``)
    newer_grammar: bool = False

    @property
    def data(self) -> bytes:
        return self.encoded if self.encoded is not None else self.new.encode(self.encoding)

    @property
    def lines_deleted(self) -> int:
        return len(git_lines(self.old)) - len(git_lines(self.new))  # lines as the diff counts them

    def patch(self) -> bytes:
        """The change as a patch ``git apply`` accepts, in the file's own bytes."""
        try:
            mode = self.path.stat().st_mode
        except OSError:
            mode = 0o644
        return patch(
            self.display, self.old.encode(self.encoding), b"" if self.deleted else self.data, self.deleted, mode
        )

    def diff(self) -> str:
        return self.patch().decode("utf-8" if "utf" in self.encoding else self.encoding, "surrogateescape")


@dataclass
class Removed:
    kind: str  # definition / function / import
    path: str
    name: str


@dataclass
class FixResult:
    decisions: List[Decision]
    changes: List[FileChange] = field(default_factory=list)
    #: flags whose every read was rewritten
    baked: List[str] = field(default_factory=list)
    removed: List[Removed] = field(default_factory=list)
    #: things left for a person: reads not rewritten and why
    notes: List[str] = field(default_factory=list)
    #: dead code the cascade kept, each ``path:line: kept ...: reason``
    #: (a constant bound to a call, a module nothing imports any more)
    kept: List[str] = field(default_factory=list)
    #: files left alone because they do not parse or compile as they are
    skipped: List[str] = field(default_factory=list)
    #: changes the fix wanted to make but could not make safely
    problems: List[str] = field(default_factory=list)
    #: display path -> (path, sha256) of every file the plan was read from;
    #: the write refuses to go on if any of them changed
    digests: Dict[str, Tuple[Path, str]] = field(default_factory=dict)

    @property
    def lines_deleted(self) -> int:
        return sum(change.lines_deleted for change in self.changes)

    def summary(self, written: bool = True) -> str:
        """Counts of what the fix did (``written=False``: nothing, the write failed)."""
        flags = len(self.baked) if written else 0
        files = len(self.changes) if written else 0
        lines = self.lines_deleted if written else 0
        return (
            f"{flags} flag{'s' if flags != 1 else ''} removed, "
            f"{lines} line{'s' if lines != 1 else ''} deleted, "
            f"{files} file{'s' if files != 1 else ''} changed"
        )


def run_fix(
    paths: Sequence[str] = (".",),
    config: Config = Config(),
    cwd: Optional[Path] = None,
    flag_name: Optional[str] = None,
    value: Optional[bool] = None,
    cascade: bool = True,
    jobs: int = 1,
    progress: Optional[Progress] = None,
    force: bool = False,
    cache_dir: Union[str, Path, None] = None,
) -> FixResult:
    """What ``flaglint fix`` would change under ``paths``; nothing is written.

    Facts come from the whole project the paths belong to (as for ``check``);
    only files under ``paths`` are edited. Raises FixUsageError for a
    ``flag_name`` that names no flag or several. A read-only file is
    skipped unless ``force``. ``cache_dir`` (relative to ``cwd``) caches
    facts by content, as for ``check``; every file to be edited is read and
    extracted again before it is rewritten, so a stale entry cannot change
    what is written."""
    cwd = Path(cwd or Path.cwd())
    wanted = ReportFilter(paths, cwd)
    # the graph exactly as ``check`` builds it: with what the project's flag
    # sources (.env, compose, flag files) say, so ``fix`` never bakes in a
    # flag one of them turns on
    project = api.analyse_project(paths, config, cwd, jobs, cache_dir=cache_dir, progress=progress)
    plan = plan_fix(project.graph, project.facts, config, flag_name, value)
    entry_points = set(getattr(project.sources, "entry_points", ()) or ())
    # named by DJANGO_SETTINGS_MODULE (or star-imported by one): loaded by that
    # name; one recognised by its file name alone (app/settings.py) is not kept
    settings_modules = {name for name in project.graph.django_settings_modules if not is_settings_module(name)}
    fixer = _Fixer(plan, project.discovery.files, project.facts, wanted.wants, cascade, entry_points, settings_modules)
    fixer.roots, fixer.force = safety.project_roots(list(paths) or ["."], cwd), force
    return fixer.run()


def write_changes(result: FixResult) -> List[str]:
    """Write every changed file, all or none (see :mod:`.transaction`);
    returns the errors: when there are any, nothing was written."""
    return transaction.commit(result.changes, result.digests)


class _Fixer:
    def __init__(
        self,
        plan: Plan,
        files: Sequence[SourceFile],
        facts: Sequence[FileFacts],
        wanted: Callable[[str], bool],
        cascade: bool,
        entry_points: AbstractSet[str] = frozenset(),
        loaded_by_name: AbstractSet[str] = frozenset(),
    ) -> None:
        self.plan = plan
        self.entry_points = entry_points  # names the packaging metadata runs
        #: modules something loads by a name written in a string or a file
        #: (Django's settings modules, named by DJANGO_SETTINGS_MODULE in
        #: code, pytest.ini, tox.ini, .env...): never deleted, even if emptied
        self.loaded_by_name = loaded_by_name
        self.files = {source.display: source for source in files}
        self.facts = {item.path: item for item in facts}
        self.wanted = wanted
        self.cascade = cascade
        self.result = FixResult(plan.decisions, notes=list(plan.notes))
        #: display -> (text, encoding) of every file read and decoded; a file
        #: in ``current`` is always here (only a file read can be edited)
        self.original: Dict[str, Tuple[str, str]] = {}
        self._tried: Set[str] = set()  # files read, or that failed to read
        self.current: Dict[str, str] = {}  # display -> rewritten text
        self._scans: Dict[Tuple[str, str], Optional[Scan]] = {}
        self._blocked: Set[str] = set()  # files that must not be edited
        self._mentions: Dict[str, List[str]] = {}
        self.roots: Optional[List[Path]] = None  # where the fix may write (None: anywhere)
        #: files this Python cannot compile but libcst parses (a newer grammar)
        self._newer: Set[str] = set()
        self.force = False  # edit read-only files too

    # ----------------------------------------------------------- sources
    def _read(self, display: str) -> Optional[Tuple[str, str]]:
        if display not in self._tried:
            self._tried.add(display)
            source = self.files.get(display)
            if source is not None:
                try:
                    data = source.path.read_bytes()
                except OSError:
                    data = None
                if data is not None:
                    self.result.digests[display] = (source.path, transaction.digest(data))
                    text = decode_source(data)
                    if not isinstance(text, Problem):
                        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
                        self.original[display] = (text, encoding)
        return self.original.get(display)

    def _text(self, display: str) -> Optional[str]:
        if display in self.current:
            return self.current[display]
        read = self._read(display)
        return read[0] if read else None

    def _scan(self, display: str, text: Optional[str] = None) -> Optional[Scan]:
        text = self._text(display) if text is None else text
        if text is None:
            return None
        key = (display, text)
        if key not in self._scans:
            try:
                self._scans[key] = _deep(lambda: scan_module(cst.parse_module(text)))
            except (cst.ParserSyntaxError, RecursionError, ValueError):
                self._scans[key] = None
        return self._scans[key]

    def _editable(self, display: str) -> Optional[str]:
        """The file's text if the fix may edit it, else None (with a reason)."""
        if display in self._blocked or not self.wanted(display):
            return None
        facts = self.facts.get(display)
        text = self._text(display)
        problem = None
        refusal = (
            safety.refusal(self.files[display].path, self.roots, self.force)
            if display in self.files and self.roots is not None
            else None
        )
        if refusal:
            problem = refusal
        elif facts is None or facts.problem is not None or text is None:
            problem = "cannot be parsed" + (f": {facts.problem.message}" if facts and facts.problem else "")
        else:
            error = compile_error(text, display)
            if error and (
                display in self._newer or (text == self.original[display][0] and self._newer_grammar(display))
            ):
                # written for a newer Python: judged by libcst's grammar
                error = newer_grammar_error(text)
            if error:
                problem = f"does not compile: {error}"
        if problem:
            self._blocked.add(display)
            self.result.skipped.append(f"{display}: skipped: {problem}")
            return None
        return text

    def _newer_grammar(self, display: str) -> bool:
        """The file as it was does not compile on this Python, but libcst's
        parser accepts it: written for a newer Python (PEP 695 on 3.11).
        Decided once, on the original text; said once."""
        text = self.original[display][0]
        if newer_grammar_error(text) is not None:
            return False
        self._newer.add(display)
        self.result.notes.append(
            f"{display}: this Python cannot compile it ({compile_error(text, display)}), so it is checked with "
            "libcst's parser instead; the check of meaning (scopes, generators) needs a Python that compiles it: "
            "read the diff, or run fix on that Python"
        )
        return True

    # ------------------------------------------------------------- steps
    def run(self) -> FixResult:
        for display, facts in sorted(self.facts.items()):
            if facts.problem is not None and self.wanted(display):
                self._editable(display)  # says why it is skipped
        rewritten = self._bake()
        if self.cascade:
            self._cascade()
        self._baked(rewritten)
        if self.cascade:
            self._kept_definitions()
        self._collect()
        if self.cascade and self.result.changes:
            self.result.kept.extend(self._kept())
        return self.result

    def _bake(self) -> Dict[str, Set[Target]]:
        """Rewrite every planned read; returns path -> the reads rewritten."""
        done: Dict[str, Set[Target]] = {}
        for display, targets in sorted(self.plan.targets.items()):
            text = self._editable(display)
            if text is None:
                continue
            if not self._unchanged_since_analysis(display, text):
                continue
            try:
                module, transformer = _deep(lambda: _bake_module(text, targets))  # noqa: B023 (called at once)
            except RecursionError:
                self._block(display, "too deeply nested to rewrite")
                continue
            meant = meaning.preserve(text, module.code)
            if meant.refusal:
                self._blocked.add(display)
                self.result.skipped.append(f"{display}: skipped: {meant.refusal}")
                continue
            for note in transformer.notes:
                self.result.notes.append(f"{display}:{note.line}:{note.column}: {note.message}")
            self.result.notes.extend(f"{display}:{note}" for note in meant.notes)
            kept = {id(node) for node in remaining(module, [node for node, _ in transformer.inexact])}
            rewritten = set(transformer.found)
            for node, target in transformer.inexact:
                if id(node) in kept:
                    rewritten.discard(target)
                    self.result.notes.append(
                        f"{display}:{target.span.line}:{target.span.column}: kept a test of {target.flag}: "
                        "its value as a number is not known"
                    )
            for target in targets:
                if target not in transformer.found:
                    self.result.notes.append(
                        f"{display}:{target.span.line}:{target.span.column}: could not find this read of {target.flag}"
                    )
            done[display] = rewritten
            self._update(display, meant.text)
        return done

    def _unchanged_since_analysis(self, display: str, text: str) -> bool:
        """The spans to rewrite came from the analysis: the file must still
        say what it said then."""
        facts = self.facts[display]
        fresh = extract_source(text, display, facts.module, facts.is_package)
        if (fresh.reads, fresh.uses) != (facts.reads, facts.uses):
            self._block(display, "changed since it was analysed; run fix again")
            return False
        return True

    def _block(self, display: str, reason: str) -> None:
        self._blocked.add(display)
        self.result.problems.append(f"{display}: skipped: {reason}")

    def _update(self, display: str, text: str) -> None:
        original = self._read(display)
        if original is not None and text == original[0]:
            self.current.pop(display, None)
        else:
            self.current[display] = text

    # ----------------------------------------------------------- cascade
    def _cascade(self) -> None:
        """Remove what became unreferenced, round after round, until a round
        finds nothing new. Each candidate is asked for once."""
        asked: Set[Tuple[str, str, str]] = set()
        for _ in range(_MAX_ROUNDS):
            rounds: Dict[str, Dict[str, Set[str]]] = {}
            texts: Dict[str, str] = {}  # display -> the text this round edits
            for item in self._definitions() + self._functions() + self._imports():
                kind, display, name = item
                text = self._editable(display) if item not in asked else None
                if text is not None:
                    asked.add(item)
                    texts[display] = text
                    rounds.setdefault(display, {"definition": set(), "function": set(), "import": set()})[kind].add(
                        name
                    )
            if not rounds:
                return
            for display, names in sorted(rounds.items()):
                text = texts[display]
                transformer = RemoveTransformer(names["definition"], names["function"], names["import"])
                try:
                    module = _deep(lambda: cst.parse_module(text).visit(transformer))  # noqa: B023 (called at once)
                except (cst.ParserSyntaxError, RecursionError):
                    self._block(display, "cannot be parsed after the rewrite")
                    continue
                for kind, name in dict.fromkeys(transformer.removed):
                    self.result.removed.append(Removed(kind, display, name))
                self._update(display, module.code)

    def _definitions(self) -> List[Tuple[str, str, str]]:
        found = []
        for decision in self.plan.decisions:
            flag = decision.flag
            if not flag.definitions or flag.enum_class:  # removing a member renumbers auto() and changes iteration
                continue
            display = flag.definitions[0].path
            qualname = flag.symbol[1]
            scan = self._scan(display)
            bindings = scan.bindings.get(qualname) if scan else None
            if not bindings or not all(bindings):
                continue
            if not self._referenced(qualname.rsplit(".", 1)[-1], display):
                found.append(("definition", display, qualname))
        for display, name in sorted(self.plan.dead_constants):  # only dead code used them
            scan = self._scan(display)
            bindings = scan.bindings.get(name) if scan else None
            if bindings and all(bindings) and not self._referenced(name, display):
                found.append(("definition", display, name))
        return found

    def _functions(self) -> List[Tuple[str, str, str]]:
        candidates = set(self.plan.dead_functions)
        if self.plan.orphans:
            gone = self._names_removed()
            open_modules = self._read_by_computed_name()
            candidates |= {
                (display, function.qualname)
                for display, facts in self.facts.items()
                if display not in open_modules
                for function in facts.functions
                if function.name in gone
                and (display, function.qualname) in self.plan.referenced
                and not function.decorated
                and not _dunder(function.name)
                and function.name not in self.entry_points
            }
        found = []
        for display, qualname in sorted(candidates):
            scan = self._scan(display)
            if scan is None or (qualname not in scan.functions and qualname not in scan.classes):
                continue  # already gone with the code around it
            if not self._referenced(qualname.rsplit(".", 1)[-1], display, qualname):
                found.append(("function", display, qualname))
        return found

    def _read_by_computed_name(self) -> Set[str]:
        """Files whose functions may be fetched by a computed name
        (``globals()[name]`` there, ``getattr(module, name)`` elsewhere):
        matched by the module's last name, so never too few."""
        stems = {
            target.rsplit(".", 1)[-1] for facts in self.facts.values() for target in facts.dynamic_lookups if target
        }
        return {
            display
            for display, facts in self.facts.items()
            if "" in facts.dynamic_lookups or (facts.module and facts.module.rsplit(".", 1)[-1] in stems)
        }

    def _imports(self) -> List[Tuple[str, str, str]]:
        found = []
        for display in sorted(self.current):
            before, now = self._scan(display, self.original[display][0]), self._scan(display)
            if before is None or now is None:
                continue
            for binding in now.imports:
                name = binding.bound
                if binding.conditional or binding.module == "__future__":
                    continue
                if name in before.refs and name not in now.refs and not self._reexported(display, name):
                    found.append(("import", display, name))
        return found + self._private_reexports()

    def _private_reexports(self) -> List[Tuple[str, str, str]]:
        """``from ._trace import _trace_store`` in a package's ``__init__.py``,
        for a dead function nothing else references: a private name is not
        the package's API, and this import alone would keep the function."""
        modules = {facts.module: display for display, facts in self.facts.items() if facts.module}
        found = []
        for display, facts in sorted(self.facts.items()):
            if not facts.is_package:
                continue
            scan = self._scan(display)
            if scan is None:
                continue
            unconditional = {binding.bound for binding in scan.imports if not binding.conditional}
            for imported in facts.imports:
                name = imported.local
                if imported.name is None or name != imported.name or not _private(name) or name not in unconditional:
                    continue
                home = modules.get(imported.module)
                if home is None or (home, name) not in self.plan.dead_functions:
                    continue
                if name in scan.refs or name in scan.attributes or self._reexported(display, name):
                    continue  # used in the package itself, or imported from it
                if not self._referenced(name, home, name, besides=display):
                    found.append(("import", display, name))
        return found

    def _names_removed(self) -> Set[str]:
        """Identifiers the edited files referenced before the fix and no longer do."""
        gone: Set[str] = set()
        for display in self.current:
            before, now = self._scan(display, self.original[display][0]), self._scan(display)
            if before is not None and now is not None:
                gone |= {name for name in before.refs if name not in now.refs}
        return gone

    def _referenced(
        self, name: str, home: str, inside: Optional[str] = None, besides: Optional[str] = None
    ) -> Optional[str]:
        """The first analysed file that may reference ``name`` as defined in
        file ``home`` (outside the body of function ``inside`` there), or
        None. In ``home`` every reference counts; elsewhere what can reach
        another module's name (an import of it, ``x.name``, a string, a star
        import). Files that cannot be parsed count as referencing whatever
        their text mentions. File ``besides`` is not asked."""
        for display in self._mentioning(name):
            if display == besides:
                continue
            scan = self._scan(display)
            if scan is None:
                return display
            if scan.referenced(name, inside) if display == home else scan.reaches(name):
                return display
        return None

    def _mentioning(self, name: str) -> List[str]:
        """Files whose original text mentions ``name`` as a word (the fix only
        ever removes identifiers, so this holds for their rewritten text too).
        Unreadable files are included if their bytes contain it."""
        if name not in self._mentions:
            word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
            found = []
            for display, source in self.files.items():
                read = self._read(display)
                if read is None:
                    if self._mentions_bytes(source, name):
                        found.append(display)
                elif word.search(read[0]):
                    found.append(display)
            self._mentions[name] = found
        return self._mentions[name]

    @staticmethod
    def _mentions_bytes(source: SourceFile, name: str) -> bool:
        try:
            return name.encode() in source.path.read_bytes()
        except OSError:
            return True

    def _reexported(self, display: str, name: str) -> bool:
        """Another module imports ``name`` from this one (``from m import
        name``, or ``import m`` / ``from m import *`` and mentions it)."""
        module = self.facts[display].module if display in self.facts else ""
        if not module:
            return False
        # ``from pkg import name`` elsewhere imports the submodule itself; a
        # ``pkg.name`` after ``import pkg`` still needs this import
        submodule = self._binds_submodule(display, name)
        for other, facts in self.facts.items():
            if other == display:
                continue
            for imported in facts.imports:
                if imported.module != module:
                    continue
                if imported.name == name and not submodule:
                    return True
                if imported.name in (None, "*") and name in (self._text(other) or name):
                    return True
        return False

    def _binds_submodule(self, display: str, name: str) -> bool:
        """A package's ``__init__.py`` binds ``name`` to its own analysed
        submodule ``pkg.name`` (``from . import name``): another module's
        ``from pkg import name`` gets that submodule whether or not this
        import is there."""
        facts = self.facts.get(display)
        if facts is None or not facts.is_package:
            return False
        submodule = f"{facts.module}.{name}"
        if not any(other.module == submodule for other in self.facts.values()):
            return False
        return any(
            imported.local == name and imported.module == facts.module and imported.name == name
            for imported in facts.imports
        )

    # ------------------------------------------------------- empty modules
    def _emptied_modules(self) -> Set[str]:
        """Modules the fix emptied that no other analysed file (nor an entry
        point) names any more: left with nothing but a docstring, comments
        and ``__future__`` imports, or (once it removed a function or class
        from them) a docstring and imports. Never a package's
        ``__init__.py``."""
        gutted = {item.path for item in self.result.removed if item.kind in ("function", "class")}
        emptied = set()
        for display in sorted(self.current):
            facts = self.facts.get(display)
            if facts is None or facts.is_package or not facts.module:
                continue
            try:
                module = cst.parse_module(self.current[display])
            except cst.ParserSyntaxError:
                continue
            empty = leftovers.only_docstring(module) or (display in gutted and leftovers.only_imports(module))
            stem = facts.module.rsplit(".", 1)[-1]
            if facts.module in self.loaded_by_name:
                continue
            if empty and stem not in self.entry_points and not self._named_elsewhere(stem, display):
                emptied.add(display)
        return emptied

    def _named_elsewhere(self, name: str, home: str, before: bool = False) -> bool:
        """Another file's current text (``before``: its text before the fix)
        mentions ``name`` as a word (an import, ``pkg.name``, a string such
        as a dotted path)."""
        word = re.compile(_WORD.format(re.escape(name)))
        for display in self._mentioning(name):
            if display == home:
                continue
            read = self._read(display)
            text = (read[0] if read else None) if before else self._text(display)
            if text is None or word.search(text):
                return True
        return False

    # ------------------------------------------------------------ result
    def _baked(self, rewritten: Dict[str, Set[Target]]) -> None:
        done = {target for targets in rewritten.values() for target in targets}
        for decision in self.plan.decisions:
            planned = [
                target
                for targets in self.plan.targets.values()
                for target in targets
                if target.flag == decision.flag.name
            ]
            reads: List[Site[Union[Read, Use]]] = [site for site in decision.flag.reads if not is_keyed(site.fact.ref)]
            if decision.flag.bit is None:
                reads += decision.flag.uses
            if planned and len(planned) == len(reads) and all(target in done for target in planned):
                self.result.baked.append(decision.label)

    def _kept(self) -> List[str]:
        """Dead code the cascade keeps, one line each with its location and
        reason: module-level names only removed code used, dead functions
        something still references, modules nothing imports any more."""
        lines: List[str] = []
        deleted = {change.display for change in self.result.changes if change.deleted}
        removed = {(item.path, item.name) for item in self.result.removed}
        # a flag's own kept definition is already said (``_kept_definitions``)
        removed |= {
            (decision.flag.definitions[0].path, decision.flag.symbol[1])
            for decision in self.plan.decisions
            if decision.flag.definitions
        }
        for name in sorted(self._names_removed()):
            if _dunder(name):
                continue
            for display in self._mentioning(name):
                scan, text = self._scan(display), self._text(display)
                if display in deleted or (display, name) in removed or scan is None or text is None:
                    continue
                bindings = scan.bindings.get(name)
                if not bindings or name in scan.functions or name in scan.classes:
                    continue
                if self._referenced_before(name, display) and not self._referenced(name, display):
                    original = self.original[display][0] if display in self.original else text
                    lines.append(leftovers.kept_constant(display, name, original, all(bindings)))
        for display, qualname in sorted(self.plan.dead_functions):
            scan = self._scan(display)
            if display in deleted or scan is None or (qualname not in scan.functions and qualname not in scan.classes):
                continue
            user = self._referenced(qualname.rsplit(".", 1)[-1], display, qualname)
            reason = f"still referenced in {user}" if user else "its file is not edited (outside the paths given)"
            lines.append(f"{display}: kept {qualname}, reported dead (FL002): {reason}")
        for display in sorted(self.current):
            facts = self.facts.get(display)
            if display in deleted or facts is None or facts.is_package or not facts.module:
                continue
            stem = facts.module.rsplit(".", 1)[-1]
            if self._named_elsewhere(stem, display, before=True) and not self._named_elsewhere(stem, display):
                lines.append(leftovers.kept_module(display, facts.module))
        return lines

    def _referenced_before(self, name: str, home: str) -> bool:
        """``_referenced``, asked of the files as they were before the fix."""
        for display in self._mentioning(name):
            read = self._read(display)
            scan = self._scan(display, read[0]) if read else None
            if scan is None:
                return True
            if scan.referenced(name) if display == home else scan.reaches(name):
                return True
        return False

    def _kept_definitions(self) -> None:
        """Say why a flag whose tests are all gone still has a definition."""
        removed = {(item.path, item.name) for item in self.result.removed if item.kind == "definition"}
        for decision in self.plan.decisions:
            flag = decision.flag
            if not flag.definitions:
                continue
            site = flag.definitions[0]
            if decision.label not in self.result.baked or (site.path, flag.symbol[1]) in removed:
                continue
            where = f"{site.path}:{site.span.line}: kept the definition of {flag.symbol[1]}"
            if flag.enum_class:
                reason = "removing an enum member changes the members after it"
            elif not self.wanted(site.path):
                reason = "its file is outside the paths given"
            else:
                user = self._referenced(flag.symbol[1].rsplit(".", 1)[-1], site.path)
                reason = f"still referenced in {user}" if user else "it is not a plain assignment"
            self.result.notes.append(f"{where}: {reason}")

    def _collect(self) -> None:
        """Check each rewritten file as it will be written. The files depend
        on each other (a definition goes because another file's import of it
        went), so one that fails its check stops them all."""
        failed = False
        emptied = self._emptied_modules() if self.cascade else set()
        for display in sorted(self.current):
            if display in emptied:
                self._delete(display)
                continue
            change = self._checked_change(display)
            if change is None:
                failed = True
            else:
                self.result.changes.append(change)
        if failed:
            if self.result.changes:
                names = ", ".join(change.display for change in self.result.changes)
                self.result.problems.append(
                    f"nothing changed in {names} either: the edits of a fix depend on each other"
                )
            self.result.changes, self.result.baked, self.result.removed = [], [], []

    def _delete(self, display: str) -> None:
        """A module the cascade left with nothing but a docstring and imports,
        that nothing else names: the whole file goes (written with the rest)."""
        text, encoding = self.original[display]
        digest = self.result.digests[display][1] if display in self.result.digests else None
        self.result.changes.append(
            FileChange(self.files[display].path, display, text, "", encoding, deleted=True, digest=digest)
        )
        self.result.removed.append(Removed("module", display, self.facts[display].module))

    def _checked_change(self, display: str) -> Optional[FileChange]:
        """The change to ``display`` with its bytes checked (compiles, same
        meaning, same decoding), or None with the problem recorded."""
        text, encoding = self.original[display]
        new = self.current[display]
        facts = self.facts.get(display)
        if facts is not None and extract_source(text, display, facts.module, facts.is_package) != facts:
            # read after the analysis, and different: the plan may be stale
            # (the flag switched on meanwhile)
            self.result.problems.append(f"{display}: not changed: it changed since it was analysed; run fix again")
            return None
        newer = display in self._newer
        error = newer_grammar_error(new) if newer else compile_error(new, display)
        if error:
            self.result.problems.append(f"{display}: not changed: the rewritten file would not compile ({error})")
            return None
        meant = meaning.preserve(text, new)  # the cascade's removals too
        if meant.refusal:
            self.result.problems.append(f"{display}: not changed: {meant.refusal}")
            return None
        final = checked(meant.text, encoding, display, newer)
        if final.refusal:
            self.result.problems.append(f"{display}: not changed: {final.refusal}")
            return None
        self.result.notes.extend(
            note for note in (f"{display}:{line}" for line in meant.notes) if note not in self.result.notes
        )
        if final.note:
            self.result.notes.append(f"{display}: {final.note}")
        digest = self.result.digests[display][1] if display in self.result.digests else None
        return FileChange(
            self.files[display].path,
            display,
            text,
            final.text,
            encoding,
            digest=digest,
            encoded=final.data,
            newer_grammar=newer,
        )


_WORD = r"(?<![A-Za-z0-9_]){}(?![A-Za-z0-9_])"


def _bake_module(text: str, targets: Sequence[Target]) -> Tuple[cst.Module, BakeTransformer]:
    transformer = BakeTransformer(targets, text)
    module = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True).visit(transformer)
    return module, transformer


def _private(name: str) -> bool:
    return name.startswith("_") and not _dunder(name)


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


_Result = TypeVar("_Result")


def _deep(function: Callable[[], _Result]) -> _Result:
    """Run on the extractor's big-stack thread: a file deep enough to need it
    for extraction needs it for rewriting too."""
    try:
        from ..extract.extract import run_deep
    except ImportError:  # pragma: no cover - the extractor changed shape
        return function()
    return run_deep(function)

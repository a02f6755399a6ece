"""Run git safely, and read the analysed files as they were at a git
revision without touching the work tree: one ``git ls-tree`` and one
``git cat-file --batch`` process, however many files.

The analysed repository is not trusted: its ``.git/config`` can name
commands that git runs on its own (``core.fsmonitor`` on any command that
reads the index, such as ``blame``; a ``filter.<driver>.clean`` on files it
reads from the work tree; a ``diff.<driver>.textconv``; hooks). Every git
process flaglint starts is built by :func:`git_command`, which overrides
all of them (:data:`SAFE_CONFIG`, :func:`filter_overrides`, and the options
of :data:`VERB_OPTIONS` for textconv and external diffs), and runs with a
timeout: git reading a FIFO the repository planted (a ``.mailmap``, a
``.gitattributes``) must not hang flaglint.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .. import project
from ..config import Config
from ..discover import SourceFile
from ..generated import generated_blob_reason
from ..project import real_path
from ..sources.reading import LIMITS

#: ``-c`` overrides given to every git command: no file-system monitor
#: command, no hooks, no pager
SAFE_CONFIG = ("core.fsmonitor=false", "core.hooksPath=/dev/null", "core.pager=cat")
#: what each filter driver the repository configures is set to: no command
#: (an empty one is none), and not required, so that having none is no error
_FILTER_OFF = ("clean=", "smudge=", "process=", "required=false")
#: options that keep each subcommand from running diff drivers: an external
#: diff (``diff.external``, ``diff.<driver>.command``) or a ``textconv``.
#: These cannot be emptied with ``-c`` (git then tries to run "").
VERB_OPTIONS = {
    "blame": ("--no-textconv",),
    "diff": ("--no-ext-diff", "--no-textconv"),
    "log": ("--no-ext-diff", "--no-textconv"),
    "show": ("--no-ext-diff", "--no-textconv"),
}
#: seconds one git process may take before it is killed
TIMEOUT = 300


class HistoryError(Exception):
    """A revision cannot be read (exit code 2)."""


def git(args: Sequence[str], cwd: Path, stdin: Optional[bytes] = None) -> bytes:
    """The output of ``git ARGS`` run safely in ``cwd`` (see the module docstring)."""
    run = _run(git_command(args, cwd), cwd, stdin)
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(message[-1] if message else f"git {args[0]} failed")
    return run.stdout


def git_command(args: Sequence[str], cwd: Path) -> List[str]:
    """``git ARGS`` with every repository-configured command disabled: the
    one place a git command line is built."""
    verb, *rest = args
    return ["git", *_flags(SAFE_CONFIG), *_flags(filter_overrides(str(cwd))), verb, *VERB_OPTIONS.get(verb, ()), *rest]


@functools.lru_cache(maxsize=64)
def filter_overrides(cwd: str) -> Tuple[str, ...]:
    """``filter.<name>.clean=`` and the like for every filter driver the
    configuration seen from ``cwd`` defines (includes followed): git has no
    switch that turns all filters off, so each is emptied by name. A name
    that ``-c name=value`` cannot carry (it holds ``=``) is refused."""
    listing = _run(["git", *_flags(SAFE_CONFIG), "config", "-z", "--get-regexp", r"^filter\."], Path(cwd), None)
    names = set()
    for entry in listing.stdout.split(b"\0"):
        key = entry.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
        name = key[len("filter.") : key.rfind(".")] if key.startswith("filter.") else ""
        if name:
            names.add(name)
    if any("=" in name for name in names):
        raise HistoryError("the repository configures a git filter whose name holds '=': git not run")
    return tuple(f"filter.{name}.{setting}" for name in sorted(names) for setting in _FILTER_OFF)


def _flags(settings: Sequence[str]) -> List[str]:
    return [item for setting in settings for item in ("-c", setting)]


def _run(command: List[str], cwd: Path, stdin: Optional[bytes]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, check=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise HistoryError(f"git {_verb(command)} took longer than {TIMEOUT} s: stopped") from None
    except OSError as error:
        raise HistoryError(f"cannot run git: {error}") from None


def _verb(command: List[str]) -> str:
    """The git subcommand of a command line built by :func:`git_command`."""
    index = 1
    while index < len(command) and command[index] == "-c":
        index += 2
    return command[index] if index < len(command) else "git"


def repository_root(cwd: Path) -> Path:
    try:
        return Path(git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    except HistoryError:
        raise HistoryError(f"{cwd} is not inside a git repository") from None


def resolve_revision(revision: str, root: Path) -> str:
    """The full commit id, or a clear error (also for shallow clones)."""
    try:
        return git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).decode().strip()
    except HistoryError:
        shallow = (root / ".git" / "shallow").exists()
        hint = " (this is a shallow clone: fetch more history, or commit a flaglint.lock ledger)" if shallow else ""
        raise HistoryError(f"unknown revision {revision!r}{hint}") from None


def files_at(
    revision: str, paths: Sequence[str], cwd: Path, source_roots: Sequence[Path] = ()
) -> Tuple[str, List[Tuple[SourceFile, bytes]]]:
    """(commit, every .py file under ``paths`` at that commit with its bytes).

    Each file is named as it would be in the work tree today (by the same
    namer as discovery, :mod:`flaglint.project`, with the revision's
    packages and ``manage.py`` roots), so its facts can be extracted (and
    cached by content) like today's files."""
    root = repository_root(cwd)
    commit = resolve_revision(revision, root)
    prefixes = [_relative(Path(path), cwd, root) for path in paths]
    listing = git(["ls-tree", "-r", "-z", "--name-only", commit, "--", *prefixes], root).decode("utf-8", "replace")
    names = [name for name in listing.split("\0") if name.endswith(".py")]
    blobs = read_blobs(commit, names, root, LIMITS["python"])
    namer = _Namer(str(root), prefixes, names, [str(path) for path in source_roots])
    shown_from = str(real_path(cwd))
    files = []
    for name in names:
        if name not in blobs:  # a blob over the cap is left out
            continue
        path = os.path.normpath(os.path.join(root, name))
        module, is_package, aliases = namer.names(path)
        files.append(
            (SourceFile(Path(path), project.display_path(path, shown_from), module, is_package, aliases), blobs[name])
        )
    return commit, files


def analysable(files: List[Tuple[SourceFile, bytes]], config: Config) -> List[Tuple[SourceFile, bytes]]:
    """The revision's files a run on the work tree would analyse: generated
    ones (``*_pb2.py``, a ``DO NOT EDIT`` comment) left out unless
    ``analyse-generated``, as :func:`flaglint.api._discover` leaves today's
    out. (The token budget is applied where every file's is, at extraction:
    pass ``config.max_file_tokens`` to :func:`flaglint.parallel.extract_blobs`.)"""
    if config.analyse_generated:
        return files
    return [(source, data) for source, data in files if generated_blob_reason(source.path.name, data) is None]


class _Namer:
    """Module names of a revision's files, as discovery gives today's: the
    revision's own ``__init__.py`` files make the packages (today's tree
    answers above the paths listed), its ``manage.py`` files mark roots."""

    def __init__(self, root: str, prefixes: List[str], names: List[str], source_roots: List[str]) -> None:
        self.listed = [os.path.normpath(os.path.join(root, prefix)) for prefix in prefixes]
        self.packages = {
            os.path.dirname(os.path.join(root, name)) for name in names if os.path.basename(name) == "__init__.py"
        }
        marked = {
            os.path.dirname(os.path.join(root, name))
            for name in names
            if os.path.basename(name) in project.ROOT_MARKERS
        }
        self.marked = {os.path.normpath(directory) for directory in marked}
        self.source_roots = source_roots
        self.name_roots = {prefix: self._name_root(prefix) for prefix in self.listed}

    @staticmethod
    def _name_root(prefix: str) -> str:
        directory = prefix if not prefix.endswith(".py") else os.path.dirname(prefix)
        return project.name_root(directory) or directory

    def is_package(self, directory: str) -> bool:
        if any(project.is_within(directory, listed) for listed in self.listed):
            return directory in self.packages
        return project.has_init(directory)

    def names(self, path: str) -> Tuple[str, bool, Tuple[str, ...]]:
        top = next((self.name_roots[prefix] for prefix in self.listed if project.is_within(path, prefix)), None)
        module, is_package = project.module_name(path, self.is_package, top)
        roots = [*project.default_source_roots(top, self.marked), *self.source_roots]
        return module, is_package, project.module_aliases(path, self.is_package, roots, module)


#: the largest blob read from history (bytes): the largest cap of any file
#: kind flaglint reads today (Python modules are read up to their own cap)
BLOB_LIMIT = max(LIMITS.values())


def read_blobs(commit: str, names: List[str], root: Path, limit: int = BLOB_LIMIT) -> Dict[str, bytes]:
    """The content of each named file at ``commit``. A blob over ``limit``
    is left out, as if absent at that revision: its size is asked first
    (``--batch-check``), so it is never held in memory."""
    names = _within(commit, names, root, limit)
    request = "".join(f"{commit}:{name}\n" for name in names).encode()
    output = git(["cat-file", "--batch"], root, stdin=request)
    blobs, offset = {}, 0
    for name in names:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        if len(header) != 3:  # "<object> missing": no content follows
            blobs[name], offset = b"", header_end + 1
            continue
        size = int(header[2])
        blobs[name] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return blobs


def _within(commit: str, names: List[str], root: Path, limit: int) -> List[str]:
    if not names:
        return names
    request = "".join(f"{commit}:{name}\n" for name in names).encode()
    headers = git(["cat-file", "--batch-check"], root, stdin=request).split(b"\n")
    kept = []
    for name, header in zip(names, headers):
        fields = header.split()
        if len(fields) != 3 or int(fields[2]) <= limit:  # a missing object stays: it reads as empty
            kept.append(name)
    return kept


def _relative(path: Path, cwd: Path, root: Path) -> str:
    relative = project.relative_below(cwd / path, root)
    if relative is None:
        raise HistoryError(f"{path} is outside the git repository {root}")
    return relative

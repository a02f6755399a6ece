"""Read the analysed files as they were at a git revision, without touching
the work tree: one ``git ls-tree`` and one ``git cat-file --batch`` process,
however many files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .. import project
from ..discover import SourceFile
from ..project import real_path


class HistoryError(Exception):
    """A revision cannot be read (exit code 2)."""


def git(args: Sequence[str], cwd: Path, stdin: Optional[bytes] = None) -> bytes:
    try:
        run = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except OSError as error:
        raise HistoryError(f"cannot run git: {error}") from None
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(message[-1] if message else f"git {args[0]} failed")
    return run.stdout


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
    blobs = _read_blobs(commit, names, root)
    namer = _Namer(str(root), prefixes, names, [str(path) for path in source_roots])
    shown_from = str(real_path(cwd))
    files = []
    for name in names:
        path = os.path.normpath(os.path.join(root, name))
        module, is_package, aliases = namer.names(path)
        files.append((SourceFile(Path(path), project.display_path(path, shown_from), module, is_package, aliases), blobs[name]))
    return commit, files


class _Namer:
    """Module names of a revision's files, as discovery gives today's: the
    revision's own ``__init__.py`` files make the packages (today's tree
    answers above the paths listed), its ``manage.py`` files mark roots."""

    def __init__(self, root: str, prefixes: List[str], names: List[str], source_roots: List[str]) -> None:
        self.listed = [os.path.normpath(os.path.join(root, prefix)) for prefix in prefixes]
        self.packages = {os.path.dirname(os.path.join(root, name)) for name in names if os.path.basename(name) == "__init__.py"}
        marked = {os.path.dirname(os.path.join(root, name)) for name in names if os.path.basename(name) in project.ROOT_MARKERS}
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


def _read_blobs(commit: str, names: List[str], root: Path) -> Dict[str, bytes]:
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


def _relative(path: Path, cwd: Path, root: Path) -> str:
    absolute = (cwd / path).resolve()
    try:
        relative = absolute.relative_to(root.resolve())
    except ValueError:
        raise HistoryError(f"{path} is outside the git repository {root}") from None
    return relative.as_posix() or "."

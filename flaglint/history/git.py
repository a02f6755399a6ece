"""Read the analysed files as they were at a git revision, without touching
the work tree: one ``git ls-tree`` and one ``git cat-file --batch`` process,
however many files."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath
from typing import Dict, List, Optional, Sequence, Tuple

from ..discover import SourceFile


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


def files_at(revision: str, paths: Sequence[str], cwd: Path) -> Tuple[str, List[Tuple[SourceFile, bytes]]]:
    """(commit, every .py file under ``paths`` at that commit with its bytes).

    Each file is named as it would be in the work tree today, so its facts
    can be extracted (and cached by content) like today's files."""
    root = repository_root(cwd)
    commit = resolve_revision(revision, root)
    prefixes = [_relative(Path(path), cwd, root) for path in paths]
    listing = git(["ls-tree", "-r", "-z", "--name-only", commit, "--", *prefixes], root).decode("utf-8", "replace")
    names = [name for name in listing.split("\0") if name.endswith(".py")]
    blobs = _read_blobs(commit, names, root)
    packages = {str(PurePosixPath(name).parent) for name in names if name.endswith("/__init__.py") or name == "__init__.py"}
    files = []
    for name in names:
        module, is_package = _module_name(name, packages)
        files.append((SourceFile(root / name, _display(root / name, cwd), module, is_package), blobs[name]))
    return commit, files


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


def _module_name(name: str, packages: set) -> Tuple[str, bool]:
    path = PurePosixPath(name)
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    directory = path.parent
    while str(directory) in packages and str(directory) != ".":
        parts.insert(0, directory.name)
        directory = directory.parent
    module = ".".join(parts)
    return (module if all(part.isidentifier() for part in parts) else ""), is_package


def _relative(path: Path, cwd: Path, root: Path) -> str:
    absolute = (cwd / path).resolve()
    try:
        relative = absolute.relative_to(root.resolve())
    except ValueError:
        raise HistoryError(f"{path} is outside the git repository {root}") from None
    return relative.as_posix() or "."


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

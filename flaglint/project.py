"""Where a project is and what its files are called: the one home of
real paths, the project root, display paths and module names.

Discovery, scope (what to report on), history (a revision's files) and the
flag sources all ask this module, so a file has one name whichever of them
looks at it.

Module names. A file's *primary* name climbs the directories that have an
``__init__.py``, but never above its *name root* (the project's root: its
configuration's directory, else its git root; else the working directory or
the directory given). That root is what is on ``sys.path``, so a project
whose root holds an ``__init__.py`` still names its modules ``main.flags``,
not ``<checkout>.main.flags``.

Source roots. At run time Python may find the same file under other names:
a Django project's ``manage.py`` puts its own directory on ``sys.path``, a
``src/`` layout is installed from ``src``, and a user can list more roots
(``[tool.flaglint] src``). A file's *aliases* are its names under each such
root that contains it, climbing regular packages only (as the primary name
does), so an import written against any root finds the file.
"""

from __future__ import annotations

import keyword
import os
from pathlib import Path, PurePath
from typing import Callable, Iterable, Optional, Tuple, Union

from .config import find_config

PathArg = Union[str, "os.PathLike[str]"]

#: A file whose directory Python puts on ``sys.path`` when the project runs:
#: ``python manage.py`` (Django) runs with ``manage.py``'s directory first.
ROOT_MARKERS = ("manage.py",)

#: The conventional layout whose directory is installed, not imported from.
SRC_LAYOUT = "src"


def real_path(path: PathArg) -> Path:
    """``path`` absolute with symlinks resolved, for any path a user or a
    file names: unlike ``Path.resolve`` (before Python 3.13) it does not raise
    on a symlink loop, and a name with a NUL byte (from YAML, TOML) comes back
    unresolved instead of raising: opening it then fails like a missing file
    would, as ValueError."""
    try:
        return Path(os.path.realpath(path))
    except ValueError:
        return Path(os.path.abspath(path))


def project_root(path: Path) -> Optional[Path]:
    """The project a file belongs to: its config file's directory, else the git root."""
    start = real_path(path).parent
    config = find_config(start)
    if config is not None:
        return config.parent
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def name_root(directory: str) -> Optional[str]:
    """The project root of ``directory`` spelled as an ancestor of
    ``directory`` (symlinks kept), which module names stop climbing at; None
    when no project is known or the root is not an ancestor as spelled."""
    try:
        root = project_root(Path(directory, "__init__.py"))  # it looks from a file's directory
    except (OSError, RuntimeError):  # unreadable ancestors, symlink loops: no project known
        return None
    if root is None:
        return None
    real = os.path.realpath(root)
    ancestor = directory
    while True:
        if os.path.realpath(ancestor) == real:
            return ancestor
        parent = os.path.dirname(ancestor)
        if parent == ancestor:
            return None
        ancestor = parent


def is_within(path: str, ancestor: str) -> bool:
    """Whether ``path`` is ``ancestor`` or below it (both normalised)."""
    return path == ancestor or path.startswith(ancestor.rstrip(os.sep) + os.sep)


def display_path(path: str, cwd: str) -> str:
    """How a path is shown: POSIX, relative to ``cwd``; absolute POSIX
    outside it; ``.`` for ``cwd`` itself. Both absolute and normalised."""
    if path == cwd:
        return "."
    if is_within(path, cwd):
        return PurePath(os.path.relpath(path, cwd)).as_posix()
    return PurePath(path).as_posix()


def relative_below(path: Path, base: Path) -> Optional[str]:
    """``path`` as a POSIX path relative to ``base`` (both with symlinks
    resolved), "." for ``base`` itself; None when it is not below ``base``.
    How a file is named inside a git repository or a configuration's directory."""
    try:
        return real_path(path).relative_to(real_path(base)).as_posix()
    except ValueError:
        return None


def has_init(directory: str) -> bool:
    """Whether ``directory`` is a regular (non-namespace) package."""
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def is_identifier(name: str) -> bool:
    """A component usable in an import statement (keywords are not)."""
    return name.isidentifier() and not keyword.iskeyword(name)


PackageTest = Callable[[str], bool]


def module_name(path: str, is_package_dir: PackageTest = has_init, root: Optional[str] = None) -> Tuple[str, bool]:
    """``(dotted primary name, is_package)`` of the file at ``path`` (absolute,
    normalised): climb package directories (``is_package_dir``, pluggable so
    callers can answer from a listing) but not to ``root`` or above; "" when
    the name cannot be spelled in an import."""
    directory, filename = os.path.split(path)
    stem, ext = os.path.splitext(filename)
    if ext not in (".py", ".pyi"):
        return "", False
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while directory != root and is_package_dir(directory):
        parent, name = os.path.split(directory)
        parts.append(name)
        if parent == directory:
            break
        directory = parent
    if not parts or not all(is_identifier(p) for p in parts):
        return "", is_package
    return ".".join(reversed(parts)), is_package


def module_aliases(path: str, is_package_dir: PackageTest, roots: Iterable[str], primary: str) -> Tuple[str, ...]:
    """The names of the file at ``path`` under each source root in ``roots``
    that contains it through regular packages only, other than ``primary``;
    sorted. A root that is the file's own directory names a plain module."""
    directory, filename = os.path.split(path)
    stem, ext = os.path.splitext(filename)
    if ext not in (".py", ".pyi"):
        return ()
    parts = [] if stem == "__init__" else [stem]
    names = set()
    roots = set(roots)
    while True:
        if directory in roots and parts:
            names.add(".".join(reversed(parts)))
        if not is_package_dir(directory):
            break
        parent, name = os.path.split(directory)
        if parent == directory:
            break
        parts.append(name)
        directory = parent
    return tuple(sorted(name for name in names if name != primary and all(is_identifier(p) for p in name.split("."))))


def default_source_roots(project: Optional[str], marked: Iterable[str]) -> Tuple[str, ...]:
    """The roots Python resolves imports from when the project runs: the
    project root, its ``src/`` directory if there is one, and every
    directory holding a :data:`ROOT_MARKERS` file (``marked``)."""
    roots = set(marked)
    if project is not None:
        roots.add(project)
        src = os.path.join(project, SRC_LAYOUT)
        if os.path.isdir(src):
            roots.add(src)
    return tuple(sorted(roots))

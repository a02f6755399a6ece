"""Find the Python files flaglint should analyse.

Discovery turns the paths a user typed into a sorted, de-duplicated list of
source files, the way ruff and flake8 do: explicit files are always taken,
directories are walked for ``*.py`` (and Python without the suffix: build
scripts such as ``wscript`` and ``SConstruct``, and suffix-less files whose
shebang names python) while skipping tool/virtualenv/build
directories, user ``exclude`` patterns and ``.gitignore`` rules. It never
raises for bad input and never prints: everything it could not use is
reported in :class:`Discovery` so the CLI decides how loud to be.

Symlinked entries are resolved after all plain directories, so when a file is
reachable both directly and through a link, the direct path is the one shown.

Module names climb the directories that have an ``__init__.py``, but never
above the project's root (its configuration's directory, else its git root,
else the working directory or the directory given): that root is what is on
``sys.path``, so a project whose root happens to hold an ``__init__.py``
still names its modules ``main.flags``, not ``<checkout>.main.flags``.
Each file also gets its names under the other source roots (a directory
holding ``manage.py``, ``src/``, ``[tool.flaglint] src``) as aliases; the
naming itself lives in :mod:`flaglint.project`.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Callable, Iterable, NamedTuple, Optional, Sequence, Tuple, Union

from . import project
from .patterns import Patterns, compile_patterns

#: Build scripts that are Python without a ``.py`` suffix (waf, SCons):
#: their settings (``Configure.autoconfig = True``) count like any other.
BUILD_SCRIPTS = frozenset({"wscript", "wscript_build", "SConstruct", "SConscript"})
#: ``#!/usr/bin/env python3``, ``#!/usr/bin/python2.7 -u``: a word python[N[.N]]
_PYTHON_SHEBANG = re.compile(rb"#![^\n]*?(?:^|[\s/])python[0-9.]*(?:\s|$)")
#: how much of a suffix-less file is read to find its shebang
_SHEBANG_BYTES = 128


def python_script(path: str, name: str) -> bool:
    """A file without a ``.py`` suffix that is Python: a build script by
    name, or a file with no suffix at all whose first line is a shebang
    naming python (``#!/usr/bin/env python3``, ``#!/usr/bin/python2.7``).
    Only a shebang that names python counts: a shell or perl script is not
    reported as FL000 just for being in the tree."""
    if name in BUILD_SCRIPTS:
        return True
    if "." in name:
        return False
    try:
        with open(path, "rb") as handle:
            first = handle.read(_SHEBANG_BYTES).split(b"\n", 1)[0]
    except OSError:
        return False
    return _PYTHON_SHEBANG.match(first) is not None


#: Directory names never walked into (ruff's defaults plus flaglint's cache).
DEFAULT_EXCLUDES: Tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".flaglint_cache",
    "site-packages",
)
_EXCLUDED_NAMES = frozenset(DEFAULT_EXCLUDES)

#: Default-excluded directories still walked for reference files (see
#: ``discover(texts=...)``): compiled front-end bundles live there.
TEXT_ONLY_DIRS = frozenset({"dist", "build"})

#: ``texts(name, directory)``: whether a non-Python file is wanted.
TextTest = Callable[[str, str], bool]

PathArg = project.PathArg


@dataclass(frozen=True)
class SourceFile:
    """A file to analyse."""

    path: Path  # filesystem path to read (absolute)
    display: str  # POSIX, relative to cwd; absolute POSIX if outside cwd
    module: str  # dotted module name, "" if not importable
    is_package: bool  # True for __init__.py
    #: its other names, under the source roots (see :mod:`flaglint.project`)
    aliases: Tuple[str, ...] = ()


@dataclass(frozen=True)
class TextFile:
    """A non-Python file asked for with ``discover(texts=...)``."""

    path: Path  # absolute, as reached
    display: str


@dataclass(frozen=True)
class Skipped:
    """Something that looked like input but could not be used, and why."""

    display: str
    reason: str


@dataclass(frozen=True)
class Discovery:
    """The outcome of :func:`discover`."""

    files: Tuple[SourceFile, ...]  # sorted by display, unique by real path
    skipped: Tuple[Skipped, ...]  # sorted by display
    missing: Tuple[str, ...]  # given paths that do not exist, as given
    texts: Tuple[TextFile, ...] = ()  # sorted by display, unique by real path


# A .gitignore in force: (its directory with a trailing separator, its rules).
_Ignore = Tuple[str, Patterns]


class _Dir(NamedTuple):
    """A directory to walk, with the filtering rules in force inside it."""

    path: str  # absolute path as reached (symlinks not resolved)
    real: str  # os.path.realpath(path), for loop detection
    display: str
    ignores: Tuple[_Ignore, ...]
    excludes: Optional[Patterns]
    root: bool  # given explicitly: its own name is never excluded
    names_from: Optional[str] = None  # module names never climb above it (see _name_root)
    python: bool = True  # False: a TEXT_ONLY_DIRS directory, walked for texts only


def discover(
    paths: Union[PathArg, Iterable[PathArg]],
    *,
    exclude: Union[str, Iterable[str]] = (),
    include: Iterable[str] = (),
    include_root: Optional[PathArg] = None,
    respect_gitignore: bool = True,
    cwd: Optional[PathArg] = None,
    source_roots: Iterable[PathArg] = (),
    texts: Optional[TextTest] = None,
) -> Discovery:
    """Collect the Python files under ``paths``.

    Explicit files are always included (whatever their extension or
    exclusion); directories are walked for ``*.py``, and with ``include``
    patterns only the files they match are kept (patterns are relative to
    ``include_root``, the configuration file's directory; the working
    directory by default). See the module docstring for the filtering rules.
    ``source_roots`` (relative to ``cwd``) are directories Python imports
    from besides those every project has (see :mod:`flaglint.project`):
    each file gets its names under them as aliases. With ``texts``, the
    non-Python files it accepts are collected too (in ``Discovery.texts``),
    under the same ignore rules, and also inside :data:`TEXT_ONLY_DIRS`.
    """
    base = os.path.abspath(os.fspath(cwd) if cwd is not None else os.getcwd())
    walker = _Walker(
        base,
        _as_list(exclude),
        respect_gitignore,
        [_spelled_in(base, os.path.join(base, os.fspath(root))) for root in _as_list(source_roots)],
        texts,
    )
    for given in _as_list(paths):
        walker.add_root(given)
    walker.drain_deferred()
    root = os.path.join(base, os.fspath(include_root)) if include_root is not None else base
    return _only_included(walker.result(), list(include), _as_list(paths), base, root)


def _only_included(discovery: Discovery, include: list, given: list, base: str, root: str) -> Discovery:
    """Keep files matching ``include`` (gitignore syntax, relative to
    ``root``), and files named explicitly (however they were spelled)."""
    if not include:
        return discovery
    spec, _bad = compile_patterns(include)  # configuration rejects a bad one
    named = {os.path.normpath(os.path.join(base, os.fspath(path))) for path in given}

    def kept(source: Union[SourceFile, TextFile]) -> bool:
        absolute = os.path.normpath(os.path.join(base, os.fspath(source.path)))
        relative = os.path.relpath(absolute, root)
        inside = not relative.startswith(os.pardir + os.sep) and relative != os.pardir
        return absolute in named or (inside and spec.match(PurePath(relative).as_posix()))

    files = tuple(source for source in discovery.files if kept(source))
    return replace(discovery, files=files, texts=tuple(text for text in discovery.texts if kept(text)))


def _spelled_in(cwd: str, path: str) -> str:
    """``path`` spelled below ``cwd`` as walking from ``cwd`` reaches it,
    when its real path is inside cwd's real path (a symlinked checkout)."""
    path = os.path.normpath(path)
    real, real_cwd = os.path.realpath(path), os.path.realpath(cwd)
    if not project.is_within(path, cwd) and project.is_within(real, real_cwd):
        return os.path.normpath(os.path.join(cwd, os.path.relpath(real, real_cwd)))
    return path


def _as_list(value) -> list:
    """Accept one path/pattern where an iterable is expected, without
    iterating a string character by character."""
    if isinstance(value, (str, bytes, os.PathLike)):
        return [value]
    return list(value)


def _reason(exc: BaseException) -> str:
    """A short, lower-case message for an OS error."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "symlink loop"
    message = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return message[:1].lower() + message[1:]


class _NotRegular(OSError):
    """A FIFO or a device where a file is expected (opening it could block),
    or a file too large to be what it claims."""


#: a .gitignore larger than this is not read (real ones are kilobytes)
_MAX_IGNORE_BYTES = 10_000_000


def _read_regular(path: str, limit: int = _MAX_IGNORE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit``
    bytes: a FIFO named ``.gitignore`` must not hang discovery, nor a huge
    one fill memory. Opened non-blocking and checked on the descriptor, so
    swapping the file after a check cannot make it block either."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _NotRegular("not a regular file")
        if status.st_size > limit:
            raise _NotRegular(f"larger than {limit // 1_000_000} MB")
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            return handle.read(limit)
    finally:
        os.close(descriptor)


def _without_matches(spec: Patterns, key: str) -> Patterns:
    """Drop the ignoring patterns that match ``key`` (an explicitly given
    directory), so that naming an excluded directory lints it, as in ruff."""
    return spec.without_matches(key)


def _ignored(ignores: Tuple[_Ignore, ...], path: str, is_dir: bool) -> bool:
    """Apply .gitignore files like git: the deepest file with an opinion
    (last matching pattern, ``!`` re-includes) decides."""
    for prefix, spec in reversed(ignores):
        rel = path[len(prefix) :].replace(os.sep, "/") + ("/" if is_dir else "")
        verdict = spec.check(rel)
        if verdict is not None:
            return verdict
    return False


class _Walker:
    """Mutable state of one :func:`discover` call."""

    def __init__(
        self,
        cwd: str,
        exclude: list,
        respect_gitignore: bool,
        source_roots: Sequence = (),
        texts: Optional[TextTest] = None,
    ):
        self.cwd = cwd
        self.wants_text = texts
        self.texts: dict = {}  # real path -> TextFile; first one wins
        self.source_roots = list(source_roots)  # configured, absolute
        self.marked: set = set()  # directories holding a manage.py (project.ROOT_MARKERS)
        self.names_from: dict = {}  # real path of a file -> its name root
        self.respect_gitignore = respect_gitignore
        self.files: dict = {}  # real path -> SourceFile; first one wins
        self.skipped: list = []
        self.missing: list = []
        self.visited: set = set()  # real paths of walked directories
        self.deferred: deque = deque()  # (parent _Dir, symlink DirEntry)
        self.package_dirs: dict = {}  # directory -> has __init__.py
        self.gitignores: dict = {}  # directory -> spec or None
        self.project_roots: dict = {}  # directory given -> its project's root or None
        self.excludes = self._compile_excludes(exclude)

    def _name_root(self, directory: str, given_directory: bool) -> Optional[str]:
        """Where module names stop climbing for files under ``directory``
        (a path given by the user): the project root; without one, the
        working directory if ``directory`` is in it, else the directory
        itself (for a directory given) or nowhere (for a file given)."""
        if directory not in self.project_roots:
            self.project_roots[directory] = project.name_root(directory)
        root = self.project_roots[directory]
        if root is not None:
            return root
        if project.is_within(directory, self.cwd):
            return self.cwd
        return directory if given_directory else None

    # -- entry points -------------------------------------------------

    def add_root(self, given) -> None:
        """Classify one user-given path; stat it once."""
        raw = path = ""
        try:
            raw = os.fsdecode(given)
            if not raw:  # os.stat("") fails too; joining would mean cwd
                raise FileNotFoundError(errno.ENOENT, "empty path")
            path = os.path.normpath(os.path.join(self.cwd, raw))
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            self._not_found(raw, path)
            return
        except OSError as exc:  # ELOOP, ENAMETOOLONG, EACCES on a parent...
            self._skip(raw or str(given), _reason(exc))
            return
        except (TypeError, ValueError) as exc:  # not a path, NUL byte
            self._skip(raw or str(given), "invalid path: " + _reason(exc))
            return
        display = self._display(path)
        if stat.S_ISDIR(st.st_mode):
            self._walk_root(path, display)
        elif stat.S_ISREG(st.st_mode):
            self._add_file(path, display, os.path.realpath(path), self._name_root(os.path.dirname(path), False))
        else:
            self._skip(display, "not a regular file")

    def _not_found(self, raw: str, path: str) -> None:
        """A dangling symlink exists (skipped); anything else is missing."""
        if path and os.path.lexists(path):
            self._skip(self._display(path), "broken symlink")
        elif raw not in self.missing:
            self.missing.append(raw)

    def drain_deferred(self) -> None:
        """Resolve symlinks met while walking, after all plain paths, so a
        file reached both ways keeps its direct display path."""
        while self.deferred:
            self._follow(*self.deferred.popleft())

    def result(self) -> Discovery:
        """Freeze the collected state in the documented order."""
        skipped = sorted(set(self.skipped), key=lambda s: (s.display, s.reason))
        files = [self._with_aliases(real, source) for real, source in self.files.items()]
        return Discovery(
            files=tuple(sorted(files, key=lambda f: f.display)),
            texts=tuple(sorted(self.texts.values(), key=lambda f: f.display)),
            skipped=tuple(skipped),
            missing=tuple(self.missing),
        )

    def _with_aliases(self, real: str, source: SourceFile) -> SourceFile:
        """``source`` with its names under every source root containing it."""
        roots = [*project.default_source_roots(self.names_from[real], self.marked), *self.source_roots]
        aliases = project.module_aliases(str(source.path), self._is_package_dir, roots, source.module)
        return replace(source, aliases=aliases) if aliases else source

    # -- walking ------------------------------------------------------

    def _walk_root(self, path: str, display: str) -> None:
        """Walk an explicitly given directory, whatever its own name."""
        real = os.path.realpath(path)
        ignores = self._ancestor_ignores(path)
        excludes = self.excludes
        if excludes is not None and display != ".":
            excludes = _without_matches(excludes, self._exclude_key(display, True))
        self._walk(_Dir(path, real, display, ignores, excludes, True, self._name_root(path, True)))

    def _walk(self, start: _Dir) -> None:
        """Depth-first walk; a directory already visited is not re-walked."""
        stack = [start]
        while stack:
            directory = stack.pop()
            if directory.real in self.visited:
                continue
            self.visited.add(directory.real)
            stack.extend(self._scan(directory))

    def _scan(self, d: _Dir) -> list:
        """List one directory: record files, return subdirectories to walk.

        Only symlinks are stat'ed (later, in :meth:`_follow`); plain entries
        are classified from the directory listing itself.
        """
        try:
            with os.scandir(d.path) as it:
                entries = list(it)
        except OSError as exc:
            self._skip(d.display, _reason(exc))
            return []
        names = {entry.name for entry in entries}
        if "pyvenv.cfg" in names and not d.root:
            return []  # a virtualenv, whatever its name
        self.package_dirs[d.path] = "__init__.py" in names
        if any(marker in names for marker in project.ROOT_MARKERS):
            self.marked.add(d.path)
        d = d._replace(ignores=self._dir_ignores(d, names))
        subdirs = []
        for entry in entries:
            try:
                subdir = self._scan_entry(d, entry)
            except OSError as exc:
                self._skip(self._child_display(d, entry.name), _reason(exc))
                continue
            if subdir is not None:
                subdirs.append(subdir)
        return subdirs

    def _scan_entry(self, d: _Dir, entry: os.DirEntry) -> Optional[_Dir]:
        """Handle one non-followed entry; return it if it is a dir to walk."""
        name = entry.name
        if entry.is_symlink():
            self.deferred.append((d, entry))
        elif entry.is_dir():
            python = self._dir_mode(d, name)
            if python is not None:
                real = os.path.join(d.real, name)
                return _Dir(
                    entry.path, real, self._child_display(d, name), d.ignores, d.excludes, False, d.names_from, python
                )
        elif d.python and self._python(entry.path, name, entry.is_file()) and self._keep(d, name, False):
            display = self._child_display(d, name)
            if entry.is_file():
                self._add_file(entry.path, display, os.path.join(d.real, name), d.names_from)
            else:
                self._skip(display, "not a regular file")
        elif self._wanted_text(d, name) and entry.is_file():
            self._add_text(entry.path, self._child_display(d, name), os.path.join(d.real, name))
        return None

    def _wanted_text(self, d: _Dir, name: str) -> bool:
        """A non-Python file ``texts`` asks for, not excluded or ignored."""
        return (
            self.wants_text is not None
            and not name.endswith(".py")
            and name not in BUILD_SCRIPTS
            and self.wants_text(name, d.path)
            and self._keep(d, name, False)
        )

    def _add_text(self, path: str, display: str, real: str) -> None:
        if real not in self.texts:
            self.texts[real] = TextFile(Path(path), display)

    def _dir_mode(self, d: _Dir, name: str) -> Optional[bool]:
        """Walk a child directory for everything (True), for texts only
        (False: a default-excluded build output), or not at all (None)."""
        python = d.python
        if name in _EXCLUDED_NAMES:
            if self.wants_text is None or name not in TEXT_ONLY_DIRS:
                return None
            python = False
        return python if self._keep(d, name, True) else None

    def _follow(self, d: _Dir, entry: os.DirEntry) -> None:
        """Resolve a symlink found in ``d``: a file to add or a dir to walk."""
        name, display = entry.name, self._child_display(d, entry.name)
        try:
            st = os.stat(entry.path)
        except OSError as exc:
            if name.endswith(".py"):
                broken = isinstance(exc, (FileNotFoundError, NotADirectoryError))
                self._skip(display, "broken symlink" if broken else _reason(exc))
            return
        if stat.S_ISDIR(st.st_mode):
            self._follow_dir(d, entry.path, display)
        elif d.python and self._python(entry.path, name, stat.S_ISREG(st.st_mode)) and self._keep(d, name, False):
            if stat.S_ISREG(st.st_mode):
                self._add_file(entry.path, display, os.path.realpath(entry.path), d.names_from)
            else:
                self._skip(display, "not a regular file")
        elif stat.S_ISREG(st.st_mode) and self._wanted_text(d, name):
            self._add_text(entry.path, display, os.path.realpath(entry.path))

    def _follow_dir(self, d: _Dir, path: str, display: str) -> None:
        """Walk a symlinked directory unless it leads back up (a loop) or
        was already walked (its files are already collected)."""
        python = self._dir_mode(d, os.path.basename(path))
        if python is None:
            return
        real = os.path.realpath(path)
        if project.is_within(d.real, real):
            self._skip(display, "symlink loop")
        elif real not in self.visited:
            self._walk(_Dir(path, real, display, d.ignores, d.excludes, False, d.names_from, python))

    @staticmethod
    def _python(path: str, name: str, regular: bool) -> bool:
        """``*.py``, or Python without the suffix (:func:`python_script`;
        only a regular file's first line is read)."""
        return name.endswith(".py") or (regular and python_script(path, name)) or name in BUILD_SCRIPTS

    def _add_file(self, path: str, display: str, real: str, names_from: Optional[str]) -> None:
        """Record a file unless its real path was already recorded."""
        if real in self.files:
            return
        module, is_package = project.module_name(path, self._is_package_dir, names_from)
        self.files[real] = SourceFile(Path(path), display, module, is_package)
        self.names_from[real] = names_from

    def _is_package_dir(self, directory: str) -> bool:
        """Package test reusing directory listings already made."""
        if directory not in self.package_dirs:
            self.package_dirs[directory] = project.has_init(directory)
        return self.package_dirs[directory]

    # -- filtering ----------------------------------------------------

    def _keep(self, d: _Dir, name: str, is_dir: bool) -> bool:
        """Whether a child of ``d`` survives user excludes and .gitignore
        rules (default excludes are :meth:`_dir_mode`'s)."""
        if d.excludes is not None:
            key = self._exclude_key(self._child_display(d, name), is_dir)
            if d.excludes.match(key):
                return False
        return not _ignored(d.ignores, os.path.join(d.path, name), is_dir)

    @staticmethod
    def _exclude_key(display: str, is_dir: bool) -> str:
        """Exclude patterns see the cwd-relative POSIX path (a trailing
        slash marks directories so ``legacy/`` works)."""
        return display.lstrip("/") + ("/" if is_dir else "")

    def _compile_excludes(self, patterns: list) -> Optional[Patterns]:
        """Compile user excludes; an invalid pattern is reported, not fatal."""
        patterns = [os.fspath(p) for p in patterns]
        if not patterns:
            return None
        spec, bad = compile_patterns(patterns)
        for pattern in bad:
            self._skip(pattern, "invalid exclude pattern")
        return spec

    def _dir_ignores(self, d: _Dir, names: set) -> Tuple[_Ignore, ...]:
        """The .gitignore rules in force for the children of ``d``."""
        if not self.respect_gitignore:
            return ()
        ignores = d.ignores
        if ".git" in names and not d.root:
            ignores = ()  # a nested repository does not see outer rules
        if ".gitignore" in names:
            spec = self._gitignore(d.path, d.display)
            if spec is not None:
                ignores += ((d.path.rstrip(os.sep) + os.sep, spec),)
        return ignores

    def _ancestor_ignores(self, path: str) -> Tuple[_Ignore, ...]:
        """The .gitignore rules of the ancestors of an explicit directory,
        from the git root down; none outside a git repository. Rules that
        ignore the directory itself are dropped: it was asked for."""
        if not self.respect_gitignore:
            return ()
        chain = []
        directory = path
        while not os.path.lexists(os.path.join(directory, ".git")):
            parent = os.path.dirname(directory)
            if parent == directory:
                return ()
            directory = parent
            chain.append(directory)
        ignores = []
        for ancestor in reversed(chain):
            spec = self._gitignore(ancestor, self._display(ancestor))
            if spec is not None:
                prefix = ancestor.rstrip(os.sep) + os.sep
                key = path[len(prefix) :].replace(os.sep, "/") + "/"
                ignores.append((prefix, _without_matches(spec, key)))
        return tuple(ignores)

    def _gitignore(self, directory: str, display: str) -> Optional[Patterns]:
        """Read and cache ``directory/.gitignore``; report it if unreadable."""
        if directory not in self.gitignores:
            self.gitignores[directory] = self._read_gitignore(directory, display)
        return self.gitignores[directory]

    def _read_gitignore(self, directory: str, display: str):
        """Parse one .gitignore; invalid lines are ignored, as git does."""
        path = os.path.join(directory, ".gitignore")
        try:
            lines = _read_regular(path).decode("utf-8-sig", "surrogateescape").splitlines()
        except FileNotFoundError:
            return None
        except OSError as exc:
            shown = ".gitignore" if display == "." else display + "/.gitignore"
            self._skip(shown, "unreadable .gitignore: " + _reason(exc))
            return None
        spec, _bad = compile_patterns(lines)
        return spec if len(spec) else None

    # -- reporting ----------------------------------------------------

    def _display(self, path: str) -> str:
        """POSIX path relative to cwd, or absolute POSIX outside it."""
        return project.display_path(path, self.cwd)

    @staticmethod
    def _child_display(d: _Dir, name: str) -> str:
        """Display of an entry of ``d`` without another relpath call."""
        return name if d.display == "." else d.display.rstrip("/") + "/" + name

    def _skip(self, display: str, reason: str) -> None:
        """Report instead of raising: one bad entry must not stop a run."""
        self.skipped.append(Skipped(display, reason))

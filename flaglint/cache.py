"""Per-file facts kept between runs in one authenticated index, so a re-run skips libcst.

Extraction is a pure function of a file's bytes, its module name and whether
it is a package ``__init__``, given one version of the extractor. An entry's
key is the sha256 of exactly that, plus everything that can change what the
extractor produces: flaglint's version, :data:`SCHEMA` (bump it when facts
change shape or meaning), the Python and libcst versions (FL000 messages come
from CPython's and libcst's parsers), and a digest of the extractor's own
source (so an edited checkout never reads facts made by older code). Facts
follow content, not paths: a renamed or copied file reuses them.

Trust. The directory may come with the repository under review, so nothing
in it is believed unless it carries a MAC made with a secret that lives
outside every repository (:mod:`flaglint.seal`): a planted or edited index
fails its MAC and is ignored (and rewritten), so the cache can never change a
result. That is why no entry's types are walked any more; unpickling is still
restricted to the fact classes, as a second wall. The cache is not used at
all (:func:`unusable` says why, the CLI warns) when its directory is a
symlink or not a directory, when its index is a symlink or not a regular
file, or when git tracks the directory (a committed cache is a mistake or an
attack). Nothing is ever written through a symlink: the index is written to
a temporary file made with ``O_EXCL`` in the (checked) directory and renamed.

Layout: ``<dir>/facts-<SCHEMA>.index``, one file read in one go:
``MAGIC || seal(pickle(index))``. The index maps each key to the time it was
last used and its facts (pickled on their own, so entries that did not change
are written back as the same bytes, and only hits are unpickled), and each
file's path to its stat signature and key, so an unchanged file is not even
read: see :meth:`FactsCache.known`. Beside it, ``<dir>/facts-<SCHEMA>.stats``
(``TABLE_MAGIC || seal(pickle(table))``) repeats the stat records and the set
of keys held, with the lstat signature of the index it was made from: a run
that needs only keys (the memo answers, see :mod:`flaglint.memo`) reads this
small table and never the index; a table that does not match the index on
disk, or fails its MAC, is ignored. Both files are written under a schema
that includes the salt (below), so neither is read by another extractor.

The stat rule (racy files). A path's record is ``(mtime_ns, ctime_ns, size,
inode, device)`` taken with ``fstat`` on the descriptor its bytes were read
from, before reading. It is recorded only if both times are at least
:data:`RACY_NS` (2 s: FAT's granularity, and more than any local clock's
coarseness) older than the moment the read began. A file written in the same
timestamp tick as our read could otherwise keep its signature while its bytes
change; a file that young is simply hashed again next run. ``ctime`` cannot be
set back by a user, so restoring an old mtime (``touch -d``, ``rsync -t``)
after an edit does not hide it either.

Saving. A run writes the index once, only when it learned something (a new
entry or stat record): to a temporary file, renamed over the old one, so a
reader sees one whole index or the other. Two runs at once: the later writer
first merges in what the earlier one wrote since it loaded, then replaces the
file; if they still race, the last writer wins and the loser's new entries are
simply extracted again next time. Pruning happens at each save: entries and
records not used for :data:`MAX_AGE` seconds are dropped, and beyond
:data:`MAX_ENTRIES` the least recently used go first.

A directory flaglint creates gets a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG``, as ruff does.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import AbstractSet, Container, Dict, Mapping, Optional, Set, Tuple, Union

import flaglint

from . import facts as _facts
from .facts import FileFacts
from .seal import read_sealed, write_sealed

#: Bump when FileFacts (or what extraction puts in it) changes, or the index format.
SCHEMA = "facts-13"

#: The directory name used when the CLI is given no ``--cache-dir``.
DEFAULT_DIR = ".flaglint_cache"

#: The index file's name in the cache directory.
INDEX_NAME = f"{SCHEMA}.index"

MAGIC = b"FLFI1\n"

#: The stat table's name: a small sealed copy of the index's stat records and
#: of the keys it holds, so a run that needs no fact (the memo answers) does
#: not read and verify the whole index (42 MB on the stdlib).
TABLE_NAME = f"{SCHEMA}.stats"

TABLE_MAGIC = b"FLFT1\n"

#: a stat record is kept only for a file older than this when it was read
RACY_NS = 2_000_000_000
#: entries and records not used for this long are dropped at the next save
MAX_AGE = 30 * 24 * 3600
#: at most this many entries (and as many stat records) are kept
MAX_ENTRIES = 200_000
#: an index larger than this is not read
MAX_INDEX_BYTES = 4 << 30

#: (mtime_ns, ctime_ns, size, inode, device)
Signature = Tuple[int, int, int, int, int]

_GITIGNORE = "# Automatically created by flaglint.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by flaglint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class _Index:
    """What the index file holds: plain builtins only (dicts, tuples, bytes, str, int, bool)."""

    def __init__(self, entries=None, stats=None) -> None:
        #: key -> (last used, in seconds since the epoch; pickled FileFacts)
        self.entries: Dict[str, Tuple[int, bytes]] = entries or {}
        #: path -> (signature, module, is_package, key, last used)
        self.stats: Dict[str, Tuple[Signature, str, bool, str, int]] = stats or {}


class FactsCache:
    """Facts by content key, kept in ``directory``'s one index (loaded on
    first use, written by :meth:`save`)."""

    def __init__(self, directory: Union[str, "os.PathLike[str]"]) -> None:
        self.directory = Path(directory)
        self.index_path = self.directory / INDEX_NAME
        salt = _salt()
        self._salt = hashlib.sha256(salt)
        #: the index is read only if it was written under the same salt: its
        #: stat records name keys, and a key made by another extractor (an
        #: edited flaglint, another libcst) must not be vouched for by stat
        self._schema = f"{SCHEMA}\0{hashlib.sha256(salt).hexdigest()}"
        self.table_path = self.directory / TABLE_NAME
        self._index: Optional[_Index] = None
        #: the stat table (records, keys held) while the index is not loaded
        self._table: Optional[Tuple[Dict[str, Tuple[Signature, str, bool, str, int]], AbstractSet[str]]] = None
        self._table_missing = False
        self._loaded_signature: Optional[Signature] = None
        self._used: Set[str] = set()
        self._seen: Set[str] = set()
        self._dirty = False
        self._now = int(time.time())
        self._problem: Optional[str] = None
        self._checked = False

    @property
    def problem(self) -> Optional[str]:
        """Why this cache is not used (see :func:`unusable`), or None."""
        if not self._checked:
            self._problem = unusable(self.directory)
            self._checked = True
        return self._problem

    def key(self, data: bytes, module: str, is_package: bool) -> str:
        """The entry key of a file with these bytes, module name and kind."""
        digest = self._salt.copy()
        digest.update(b"%d\0%s\0" % (is_package, module.encode("utf-8", "surrogatepass")))
        digest.update(data)
        return digest.hexdigest()

    def keys(self) -> Set[str]:
        """The keys the index holds (as loaded, plus this run's stores)."""
        return set(self._loaded().entries)

    def known(self, path: Union[str, "os.PathLike[str]"], module: str, is_package: bool) -> Optional[str]:
        """The key of the file at ``path`` if its stat signature is the one
        recorded when its bytes were last hashed (see the module docstring),
        without reading it; else None."""
        record = self._known_record(path, module, is_package)
        return record[3] if record is not None else None

    def known_entry(
        self, path: Union[str, "os.PathLike[str]"], module: str, is_package: bool
    ) -> Optional[Tuple[str, int]]:
        """The key and size of the file at ``path`` if :meth:`known` vouches
        for it and the index holds that key's facts, else None: neither the
        file is read nor its facts unpickled (the warm path's memo key is
        made of these keys alone, see :mod:`flaglint.memo`)."""
        record = self._known_record(path, module, is_package)
        if record is None or not self.holds(record[3]):
            return None
        return record[3], record[0][2]

    def holds(self, key: str) -> bool:
        """Whether the index holds facts under ``key`` (none is unpickled)."""
        return key in self._view()[1]

    def _view(self) -> Tuple[Mapping[str, Tuple[Signature, str, bool, str, int]], Container[str]]:
        """The stat records and the keys held: the index's once it is loaded,
        else the stat table's (see :data:`TABLE_NAME`), else the index's.
        The table names the lstat signature of the index it was made from,
        and is ignored unless the index on disk still has it (replaced by
        another run, damaged, planted: the index is read instead)."""
        if self._index is not None:
            return self._index.stats, self._index.entries
        if self._table is None:
            found = _read_table(self.table_path, self._schema, self.index_path) if self.problem is None else None
            if found is None:
                self._table_missing = True  # written at the next save
                index = self._loaded()
                return index.stats, index.entries
            self._table = found
        return self._table

    def _known_record(
        self, path: Union[str, "os.PathLike[str]"], module: str, is_package: bool
    ) -> Optional[Tuple[Signature, str, bool, str, int]]:
        record = self._view()[0].get(_path_key(path))
        if record is None or record[1] != module or record[2] != is_package:
            return None
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            return None
        if _signature(status) != record[0]:
            return None
        self._seen.add(_path_key(path))
        return record

    def remember(
        self,
        path: Union[str, "os.PathLike[str]"],
        status: os.stat_result,
        started_ns: int,
        module: str,
        is_package: bool,
        key: str,
    ) -> None:
        """Record that the file at ``path``, with ``status`` (fstat before
        reading, at ``started_ns``), has ``key``; a racy file is not recorded."""
        if not stat.S_ISREG(status.st_mode):
            return
        if max(status.st_mtime_ns, status.st_ctime_ns) > started_ns - RACY_NS:
            return  # too young to trust its timestamps: hashed again next run
        name = _path_key(path)
        record = (_signature(status), module, is_package, key, self._now)
        index = self._loaded()
        old = index.stats.get(name)
        self._seen.add(name)
        if old is None or old[:4] != record[:4]:
            index.stats[name] = record
            self._dirty = True

    def load(self, key: str) -> Optional[FileFacts]:
        """The facts stored under ``key``, or None if absent or unreadable."""
        found = self._loaded().entries.get(key)
        if found is None:
            return None
        try:
            facts = _RestrictedUnpickler(io.BytesIO(found[1])).load()
        except Exception:  # cannot happen for a sealed entry we wrote; a miss all the same
            return None
        if type(facts) is not FileFacts:
            return None
        self._used.add(key)
        return facts

    def store(self, key: str, facts: FileFacts) -> None:
        """Record ``facts`` under ``key`` (written by the next :meth:`save`)."""
        if self.problem is not None:
            return
        self._loaded().entries[key] = (self._now, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the index (and the stat table) if this run added to it, or
        the stat table alone if it was missing; silently does nothing if it
        cannot (a cache that cannot be written is only a slower run)."""
        if self._table_missing and not self._dirty and self._index is not None and self.problem is None:
            self._save_table(self._index)
            return
        if not self._dirty or self.problem is not None or not _create(self.directory):
            return
        index = self._loaded()
        _merge(index, self._reread())
        _stamp(index, self._used, self._seen, self._now)
        _prune(index, self._now)
        data = pickle.dumps((self._schema, index.entries, index.stats), protocol=pickle.HIGHEST_PROTOCOL)
        if write_sealed(self.index_path, data, MAGIC):
            self._dirty = False
        try:
            self._loaded_signature = _signature(os.lstat(self.index_path))
        except OSError:
            self._loaded_signature = None
        self._save_table(index)

    def _save_table(self, index: _Index) -> None:
        """Write the stat table from ``index`` (after the index: a reader
        that finds the table finds the keys it names in the index, unless
        another run replaced it in between, which costs a miss, never a
        wrong answer). Written as the index is: a temporary file, renamed."""
        if self._loaded_signature is None:
            return  # the index was not written: a table must not outlive it
        table = (self._schema, self._loaded_signature, index.stats, frozenset(index.entries))
        if write_sealed(self.table_path, pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL), TABLE_MAGIC):
            self._table_missing = False

    def _loaded(self) -> _Index:
        if self._index is None:
            self._index = _Index()
            if self.problem is None:
                found = _read_index(self.index_path, self._schema)
                if found is not None:
                    self._index, self._loaded_signature = found
        return self._index

    def _reread(self) -> Optional[_Index]:
        """The index on disk, if another run replaced it since we loaded it."""
        try:
            now = _signature(os.lstat(self.index_path))
        except OSError:
            return None
        if now == self._loaded_signature:
            return None
        found = _read_index(self.index_path, self._schema)
        return found[0] if found is not None else None


def _merge(ours: _Index, theirs: Optional[_Index]) -> None:
    """Add what another run wrote that we lack (ours win on a clash: same key, same facts)."""
    if theirs is None:
        return
    for key, entry in theirs.entries.items():
        ours.entries.setdefault(key, entry)
    for name, record in theirs.stats.items():
        ours.stats.setdefault(name, record)


def _stamp(index: _Index, used: Set[str], seen: Set[str], now: int) -> None:
    for key in used:
        entry = index.entries.get(key)
        if entry is not None and entry[0] != now:
            index.entries[key] = (now, entry[1])
    for name in seen:
        record = index.stats.get(name)
        if record is not None and record[4] != now:
            index.stats[name] = (*record[:4], now)


def _prune(index: _Index, now: int) -> None:
    """Drop what was not used for MAX_AGE, then the least recently used beyond MAX_ENTRIES."""
    oldest = now - MAX_AGE
    index.entries = {key: entry for key, entry in index.entries.items() if entry[0] >= oldest}
    index.stats = {name: record for name, record in index.stats.items() if record[4] >= oldest}
    if len(index.entries) > MAX_ENTRIES:
        keep = sorted(index.entries.items(), key=lambda item: item[1][0], reverse=True)[:MAX_ENTRIES]
        index.entries = dict(keep)
    if len(index.stats) > MAX_ENTRIES:
        kept = sorted(index.stats.items(), key=lambda item: item[1][4], reverse=True)[:MAX_ENTRIES]
        index.stats = dict(kept)


def _read_index(path: Path, schema: str) -> Optional[Tuple[_Index, Signature]]:
    """The index at ``path`` and its lstat signature, or None if it is
    absent, not a regular file (a FIFO must not block: opened non-blocking,
    a symlink is not followed), too large, fails its MAC, or was written
    under another ``schema`` (:data:`SCHEMA` and the salt: its entries would
    never be hit, and its stat records would vouch for stale keys)."""
    found = read_sealed(path, MAX_INDEX_BYTES, MAGIC)
    if found is None:
        return None
    payload, status = found
    try:
        found_schema, entries, stats = _PlainUnpickler(io.BytesIO(payload)).load()
    except Exception:  # sealed by us, so only a bug could land here: a miss, never an error
        return None
    if found_schema != schema or type(entries) is not dict or type(stats) is not dict:
        return None
    return _Index(entries, stats), _signature(status)


def _read_table(
    path: Path, schema: str, index_path: Path
) -> Optional[Tuple[Dict[str, Tuple[Signature, str, bool, str, int]], AbstractSet[str]]]:
    """The stat table at ``path`` (records, keys held), or None as for
    :func:`_read_index`, or when the index at ``index_path`` is not the one
    the table was made from (by its lstat signature): then the index itself
    is read."""
    found = read_sealed(path, MAX_INDEX_BYTES, TABLE_MAGIC)
    if found is None:
        return None
    try:
        found_schema, signature, stats, keys = _PlainUnpickler(io.BytesIO(found[0])).load()
    except Exception:  # sealed by us: a miss, never an error
        return None
    if found_schema != schema or type(stats) is not dict or type(keys) is not frozenset:
        return None
    try:
        if _signature(os.lstat(index_path)) != signature:
            return None
    except OSError:
        return None
    return stats, keys


def _signature(status: os.stat_result) -> Signature:
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino, status.st_dev)


def _path_key(path: Union[str, "os.PathLike[str]"]) -> str:
    return os.path.abspath(path)


def unusable(directory: Union[str, "os.PathLike[str]"]) -> Optional[str]:
    """Why the cache directory must not be used, or None: it is not a
    directory, it is a symlink (writing there would write outside the tree)
    or, named relative to the working directory, lies under one, its index
    is a symlink or not a regular file, or git tracks it."""
    path = Path(directory)
    try:  # os.lstat, not pathlib's predicates: a name too long is a reason, not OSError
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # not there yet: created on first use, unless a parent (below) is a link
    except (OSError, ValueError) as error:
        return f"unusable: {getattr(error, 'strerror', None) or error}"
    if os.path.islink(path):
        return "a symbolic link"
    if not path.is_absolute():  # as the CLI names it: relative to the tree, every step stays in it
        for parent in path.parents:
            if parent != Path(".") and os.path.islink(parent):
                return f"reached through the symbolic link {parent}"
    if not os.path.lexists(path):
        return None
    if not path.is_dir():
        return "not a directory"
    for name in (INDEX_NAME, TABLE_NAME):
        index = path / name
        if index.is_symlink():
            return f"holding {name} as a symbolic link"
        if os.path.lexists(index) and not index.is_file():
            return f"holding {name} that is not a regular file"
    if _tracked_by_git(path):
        return "tracked by git"
    return None


def _tracked_by_git(directory: Path) -> bool:
    """Does git track any file under ``directory``? Asked only inside a work
    tree (a ``.git`` above it), through the one safe git runner; the answer
    is remembered until git's index changes (the CLI and the cache both ask)."""
    absolute = Path(os.path.abspath(directory))
    marker = next((parent / ".git" for parent in (absolute, *absolute.parents) if (parent / ".git").exists()), None)
    if marker is None:
        return False
    try:
        index = os.stat(marker / "index") if marker.is_dir() else os.stat(marker)
        stamp: Tuple[int, ...] = (index.st_mtime_ns, index.st_size, index.st_ino)
    except OSError:
        stamp = ()
    return _ask_git(str(absolute), stamp)


@lru_cache(maxsize=16)
def _ask_git(directory: str, stamp: Tuple[int, ...]) -> bool:
    from .history.git import HistoryError, git

    path = Path(directory)
    try:
        return bool(git(["ls-files", "-z", "--", path.name], path.parent).strip(b"\0"))
    except HistoryError:
        return False


def _create(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True)
        fresh = True
    except FileExistsError:
        # A directory the user already had is used as is; the markers go only
        # into one that is empty (a .gitignore of "*" in a project root given
        # as --cache-dir would hide the whole project from git).
        if directory.is_symlink() or not directory.is_dir():
            return False
        fresh = not any(directory.iterdir())
    except OSError:
        return False
    if fresh:
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            try:  # "x" is O_EXCL: never opens through a symlink planted there
                with open(directory / name, "x", encoding="utf-8") as out:
                    out.write(text)
            except FileExistsError:
                pass  # another run got there first
            except OSError:
                return False
    return True


class _PlainUnpickler(pickle.Unpickler):
    """The index itself holds only builtins: no global may be named."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"not allowed in the index: {module}.{name}")


class _RestrictedUnpickler(pickle.Unpickler):
    """Only classes defined in flaglint.facts may be named (plain frozen
    dataclasses, built without running any code); no other global."""

    def find_class(self, module: str, name: str):
        if module == _facts.__name__:
            found = getattr(_facts, name, None)
            if isinstance(found, type) and found.__module__ == _facts.__name__:
                return found
        raise pickle.UnpicklingError(f"not a fact class: {module}.{name}")


def _salt() -> bytes:
    """Everything besides the file itself that extraction's output depends on."""
    parts = (
        f"flaglint {flaglint.__version__}",
        f"schema {SCHEMA}",
        f"python {sys.implementation.name} {sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}",
        f"libcst {_libcst_version()}",
        f"extractor {_extractor_digest()}",
    )
    return "\0".join(parts).encode("utf-8") + b"\0\0"


@lru_cache(maxsize=None)
def _libcst_version() -> str:
    try:
        from importlib.metadata import version

        return version("libcst")
    except Exception:
        return "unknown"


@lru_cache(maxsize=None)
def _extractor_digest() -> str:
    """A digest of the extractor's source files (facts.py and extract/)."""
    package = Path(_facts.__file__).parent
    sources = [package / "facts.py", *sorted((package / "extract").glob("*.py"))]
    digest = hashlib.sha256()
    for source in sources:
        try:
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        except OSError:
            digest.update(source.name.encode() + b"\0missing\0")
    return digest.hexdigest()


def read_for_cache(path: Union[str, "os.PathLike[str]"]) -> Optional[Tuple[bytes, os.stat_result, int]]:
    """A file's bytes, its ``fstat`` taken before reading them, and when the
    read began (``time.time_ns()``), for :meth:`FactsCache.remember`; None
    if it cannot be read (extraction then says why, as FL000)."""
    started = time.time_ns()
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None  # a FIFO or a device: extraction refuses it
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            return handle.read(), status, started
    except OSError:
        return None
    finally:
        os.close(descriptor)

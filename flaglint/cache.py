"""A content-addressed cache of per-file facts, so a re-run skips libcst.

Extraction is a pure function of a file's bytes, its module name and whether
it is a package ``__init__``, given one version of the extractor. The cache
key is the sha256 of exactly that, plus everything that can change what the
extractor produces: flaglint's version, :data:`SCHEMA` (bump it when facts
change shape or meaning), the Python and libcst versions (FL000 messages come
from CPython's and libcst's parsers), and a digest of the extractor's own
source (so an edited checkout never reads facts made by older code).

Layout: ``<dir>/<key[:2]>/<key[2:]>``, one file per entry, holding
``MAGIC + sha256(payload) + payload`` where payload is a pickle of
``(key, FileFacts)``. Entries are written to a temporary file in the same
directory and moved into place with :func:`os.replace`, so concurrent runs
never see half an entry. An entry that is missing, truncated, corrupt,
unreadable, for another key, or whose facts do not have the types facts.py
declares is a miss and is rebuilt; the cache never raises and never changes
results. Unpickling is restricted to the fact classes, so a planted entry
cannot run code; an entry that is not a regular file (a FIFO) is never read.

A directory flaglint creates gets a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG``, as ruff does. Nothing is ever pruned: delete the
directory to reclaim space.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
import typing
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Union

import flaglint

from . import facts as _facts
from .facts import FileFacts

#: Bump when FileFacts (or what extraction puts in it) changes.
SCHEMA = "facts-7"

#: The directory name used when the CLI is given no ``--cache-dir``.
DEFAULT_DIR = ".flaglint_cache"

MAGIC = b"FLFC1\n"
_DIGEST = 32

_GITIGNORE = "# Automatically created by flaglint.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by flaglint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class FactsCache:
    """Facts by content key in ``directory`` (created on the first store)."""

    def __init__(self, directory: Union[str, "os.PathLike[str]"]) -> None:
        self.directory = Path(directory)
        self._salt = hashlib.sha256(_salt())
        self._ready: Optional[bool] = None  # None: not tried yet

    def key(self, data: bytes, module: str, is_package: bool) -> str:
        """The entry key of a file with these bytes, module name and kind."""
        digest = self._salt.copy()
        digest.update(b"%d\0%s\0" % (is_package, module.encode("utf-8", "surrogatepass")))
        digest.update(data)
        return digest.hexdigest()

    def load(self, key: str) -> Optional[FileFacts]:
        """The facts stored under ``key``, or None if absent or damaged."""
        blob = _read_entry(self._path(key))
        if blob is None:
            return None
        head = len(MAGIC) + _DIGEST
        if len(blob) <= head or not blob.startswith(MAGIC):
            return None
        payload = blob[head:]
        if hashlib.sha256(payload).digest() != blob[len(MAGIC) : head]:
            return None
        try:
            stored_key, facts = _RestrictedUnpickler(io.BytesIO(payload)).load()
        except Exception:  # any damage at all is a miss, never an error
            return None
        if stored_key != key or not _well_typed(facts):
            return None
        return facts

    def store(self, key: str, facts: FileFacts) -> None:
        """Record ``facts`` under ``key``; silently does nothing if it cannot."""
        if not self._prepare():
            return
        payload = pickle.dumps((key, facts), protocol=pickle.HIGHEST_PROTOCOL)
        blob = MAGIC + hashlib.sha256(payload).digest() + payload
        target = self._path(key)
        try:
            target.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, target)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key[2:]

    def _prepare(self) -> bool:
        """Create the directory (with .gitignore and CACHEDIR.TAG) once."""
        if self._ready is None:
            self._ready = _create(self.directory)
        return self._ready


def _create(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True)
        fresh = True
    except FileExistsError:
        # A directory the user already had is used as is; the markers go only
        # into one that is empty (a .gitignore of "*" in a project root given
        # as --cache-dir would hide the whole project from git).
        fresh = directory.is_dir() and not any(directory.iterdir())
        if not directory.is_dir():
            return False
    except OSError:
        return False
    if fresh:
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            try:
                with open(directory / name, "x", encoding="utf-8") as out:
                    out.write(text)
            except FileExistsError:
                pass  # another run got there first
            except OSError:
                return False
    return True


#: an entry larger than this is not read (the facts of one file are far smaller)
MAX_ENTRY_BYTES = 256 << 20


def _read_entry(path: Path) -> Optional[bytes]:
    """The bytes of one entry, or None. The cache directory may come with the
    repository: an entry that is a FIFO must not block (opened non-blocking,
    then checked to be a regular file), nor a huge one fill memory."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            return handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _well_typed(facts) -> bool:
    """Every field of ``facts`` has the type facts.py declares: an entry with
    a valid checksum can still have been planted or written by a buggy
    build, and wrong types would crash the graph stage, far from here."""
    try:
        return _checker(FileFacts)(facts)
    except RecursionError:
        return False


@lru_cache(maxsize=None)
def _checker(hint) -> Callable[[object], bool]:
    """A predicate: does a value fit type hint ``hint``? Built once per hint
    from facts.py's annotations (dataclasses, tuples, unions, bool/int/str/
    None), like the shard codec, but checking only: a warm run pays it for
    every file."""
    if hint is type(None):
        return lambda value: value is None
    if hint in (bool, int, str):
        return lambda value: type(value) is hint  # True is not an int fact
    if dataclasses.is_dataclass(hint):
        fields = [(field.name, _checker(kind)) for field, kind in _fields(hint)]
        return lambda value: type(value) is hint and all(check(getattr(value, name)) for name, check in fields)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        members = [_checker(member) for member in args]
        return lambda value: any(check(value) for check in members)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _checker(args[0])
        return lambda value: type(value) is tuple and all(item(element) for element in value)
    if origin is tuple:
        items = [_checker(arg) for arg in args]
        return lambda value: (
            type(value) is tuple and len(value) == len(items) and all(map(lambda c, v: c(v), items, value))
        )
    raise TypeError(f"the cache cannot check type {hint!r}: teach flaglint/cache.py's _checker about it")


def _fields(cls) -> list:
    hints = typing.get_type_hints(cls)
    return [(field, hints[field.name]) for field in dataclasses.fields(cls)]


class _RestrictedUnpickler(pickle.Unpickler):
    """Only classes defined in flaglint.facts may be named (plain frozen
    dataclasses, built without running any code); no other global, so a
    planted entry cannot call anything."""

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

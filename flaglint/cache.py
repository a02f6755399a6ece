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
unreadable, or for another key is a miss and is rebuilt; the cache never
raises and never changes results. Unpickling is restricted to the fact
classes, so a planted entry cannot run code.

A directory flaglint creates gets a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG``, as ruff does. Nothing is ever pruned: delete the
directory to reclaim space.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

import flaglint

from . import facts as _facts
from .facts import FileFacts

#: Bump when FileFacts (or what extraction puts in it) changes.
SCHEMA = "facts-2"

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
        try:
            with open(self._path(key), "rb") as handle:
                blob = handle.read()
        except (OSError, ValueError):
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
        if stored_key != key or not isinstance(facts, FileFacts):
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

"""Seal bytes with a secret the analysed repository cannot know, and check the seal.

The facts cache may sit inside a repository under review (``.flaglint_cache/``
can be committed, or planted by a pull request). A checksum or a key derived
from public data proves nothing there: anyone with the same flaglint can
write an entry that hides a finding. So everything the cache reads back is
authenticated with HMAC-SHA256 under a key that lives outside every
repository:

- ``FLAGLINT_CACHE_SECRET`` (any string; it is hashed to the key), for CI
  runners that share one cache directory and must agree on the key; or else
- a 32-byte random secret created once in the user's cache directory
  (``platformdirs.user_cache_dir("flaglint")/secret``), with ``O_EXCL`` and
  mode 0600. It is read with ``O_NOFOLLOW`` and used only if it is a regular
  file owned by this user that nobody else can read or write.

If neither can be had (an unwritable home, a secret file with loose
permissions), the key is random for this process: nothing read back ever
verifies, so the cache is merely cold, never wrong.

The format is ``MAC (32 bytes) || data``. The key is domain-separated
(``flaglint-cache-v1``), so a secret shared with another tool does not make
its MACs ours.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional, Tuple

#: the environment variable that carries a shared secret
ENV = "FLAGLINT_CACHE_SECRET"
#: the secret file's name inside the user's cache directory
SECRET_NAME = "secret"
_MAC = 32
_DOMAIN = b"flaglint-cache-v1\0"


def seal(data: bytes) -> bytes:
    """``data`` with a MAC in front that only this user (or whoever shares
    the secret) can compute."""
    return hmac.new(_key(), data, hashlib.sha256).digest() + data


def unseal(blob: bytes) -> Optional[bytes]:
    """The data ``blob`` was sealed over, or None if the MAC does not verify
    (or ``blob`` is too short to hold one)."""
    if len(blob) < _MAC:
        return None
    mac, data = blob[:_MAC], blob[_MAC:]
    if not hmac.compare_digest(mac, hmac.new(_key(), data, hashlib.sha256).digest()):
        return None
    return data


def write_sealed(path: Path, data: bytes, magic: bytes = b"") -> bool:
    """Replace the file at ``path`` with ``magic`` and ``data`` sealed, as a
    temporary file in its directory renamed over it (a reader sees the old
    file or the new; a symlink at ``path`` is replaced, never written
    through). Not synced: what is lost costs only time. False if it could
    not be written."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".tmp-{path.name}-", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(magic + seal(data))
        os.replace(temporary, path)
        return True
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False


def read_sealed(path: Path, limit: int, magic: bytes = b"") -> Optional[Tuple[bytes, os.stat_result]]:
    """The data :func:`write_sealed` put at ``path``, and the file's fstat;
    None if it is absent, not a regular file (a planted FIFO must not block:
    opened non-blocking; a symlink is not followed), larger than ``limit``,
    not headed by ``magic``, or fails its MAC."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            blob = handle.read(status.st_size + 1)  # not ``limit``: a buffer that large is allocated up front
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if not blob.startswith(magic):
        return None
    data = unseal(blob[len(magic) :])
    return (data, status) if data is not None else None


def _key() -> bytes:
    shared = os.environ.get(ENV)
    if shared:
        return _derived(shared.encode("utf-8", "surrogateescape"))
    return _derived(_file_secret(secret_path()))


def secret_path() -> Path:
    """Where the per-user secret lives (created on first use)."""
    import platformdirs  # a few ms to import: only when no shared secret is set

    return Path(platformdirs.user_cache_dir("flaglint", appauthor=False)) / SECRET_NAME


@lru_cache(maxsize=8)
def _derived(secret: bytes) -> bytes:
    return hashlib.sha256(_DOMAIN + secret).digest()


@lru_cache(maxsize=8)
def _file_secret(path: Path) -> bytes:
    """The secret stored at ``path``, created there if absent; a random
    per-process secret if it cannot be created or is not safe to trust."""
    found = _read_secret(path)
    if found is None and not os.path.lexists(path):
        _create_secret(path)
        found = _read_secret(path)
    return found if found is not None else os.urandom(32)


def _create_secret(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:  # another run created it first, or the directory is not writable
        return
    try:
        os.write(descriptor, os.urandom(32).hex().encode("ascii") + b"\n")
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _read_secret(path: Path) -> Optional[bytes]:
    """The secret file's content if it is a regular file, owned by us,
    private (no group or other bits) and at least 32 bytes; else None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > 4096:
            return None
        if os.name == "posix" and (status.st_uid != os.geteuid() or status.st_mode & 0o077):
            return None
        data = os.read(descriptor, 4096).strip()
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return data if len(data) >= 32 else None

"""Read one flag source's text, bounded and without ever blocking.

Every source loader (``.env``, compose, Dockerfiles, CI files, manifests,
flag files, settings modules, templates) reads through
:func:`read_source_text`. A repository is not trusted: a file named
``.env`` may be a FIFO (opening it would wait forever for a writer), a
symlink to ``/dev/zero`` (reading it never ends), or simply 200 MB. So:

* only regular files are read: anything else raises :class:`NotRegularFile`
  (checked with ``stat`` before opening, and again with ``fstat`` on the
  descriptor, opened ``O_NONBLOCK`` so that a file swapped for a FIFO in
  between still cannot block);
* a file larger than its kind's cap (:data:`LIMITS`) raises
  :class:`TooLarge`, and never more than the cap is read, even from a file
  that grows while it is read.

Both errors are ``OSError`` subclasses whose text is the whole reason
("not a regular file"), so each loader reports them as it reports any
unreadable file: a problem naming the file (FL000), never an exception.
A missing file raises ``FileNotFoundError`` and a directory
``IsADirectoryError``, as ``open`` would. Text is decoded as UTF-8 with
universal newlines, as ``Path.read_text`` does.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Optional

_MB = 1_000_000

#: the largest file of each kind flaglint reads (bytes). Generous for real
#: files; what a hostile or generated file may cost stays bounded.
LIMITS = {
    "env": 5 * _MB,  # .env files (and env_file: targets)
    "compose": 5 * _MB,
    "dockerfile": 1 * _MB,
    "ci": 5 * _MB,  # GitHub workflows, .gitlab-ci.yml
    "manifest": 1 * _MB,  # Kubernetes manifests (larger ones are skipped unread)
    "kustomization": 1 * _MB,
    "flags": 20 * _MB,  # flag-sources: flagd, LaunchDarkly, Unleash exports
    "settings": 5 * _MB,  # Django settings modules
    "template": 1 * _MB,  # Django / Jinja2 templates
    "python": 10 * _MB,  # Python modules analysed (real ones stay far below)
    "config": 5 * _MB,  # flaglint.toml, pyproject.toml (20,000 exclude patterns take 0.4 MB)
    "ledger": 20 * _MB,  # flaglint.lock, in the tree or a build artifact given to drift
}


class NotRegularFile(OSError):
    """A FIFO, a device, a socket: never opened for reading."""


class TooLarge(OSError):
    """Larger than the cap of its kind."""


def read_source_text(path: Path, kind: str, limit: Optional[int] = None) -> str:
    """The UTF-8 text of ``path``, a source of ``kind`` (a key of :data:`LIMITS`),
    or of at most ``limit`` bytes when given.

    Raises ``OSError`` (:class:`NotRegularFile`, :class:`TooLarge`,
    ``FileNotFoundError``...) or ``UnicodeDecodeError``; ``ValueError`` for a
    path with a NUL byte."""
    return _universal_newlines(read_source_bytes(path, kind, limit).decode("utf-8"))


def read_source_bytes(path: Path, kind: str, limit: Optional[int] = None) -> bytes:
    """The bytes of ``path`` (see :func:`read_source_text`)."""
    limit = LIMITS[kind] if limit is None else limit
    _check(os.stat(path), path, limit)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        _check(os.fstat(descriptor), path, limit)  # the file may have been swapped since the stat
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        raise TooLarge(_too_large(limit))
    return b"".join(chunks)


def read_head(path: Path, size: int) -> bytes:
    """At most the first ``size`` bytes of ``path``, a regular file of any
    length (a generator's marker is looked for there), read as
    :func:`read_source_bytes` reads: regular files only, never blocking."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile("not a regular file")
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile("not a regular file")
        return os.read(descriptor, size)
    finally:
        os.close(descriptor)


def _check(status: os.stat_result, path: Path, limit: int) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if not stat.S_ISREG(status.st_mode):
        raise NotRegularFile("not a regular file")
    if status.st_size > limit:
        raise TooLarge(_too_large(limit))


def too_large(kind: str) -> str:
    """The message for a file over the cap of ``kind``."""
    return _too_large(LIMITS[kind])


def _too_large(limit: int) -> str:
    return f"larger than {limit // _MB} MB, the limit for this kind of file"


def _universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

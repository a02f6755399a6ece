"""Write a file so that a reader sees the old content or the new, never half,
and never through a symlink.

Used by everything that writes user files (baseline, the ledger, shards): the
bytes go to a temporary file in the same directory, are flushed and synced,
get the right permissions, and are renamed over the target. On any error the
temporary file is removed and the target is left as it was.

A target that is itself a symbolic link is refused (:class:`SymlinkError`),
wherever it leads: the repository under review can commit ``baseline.json``
or ``flaglint.lock`` as a link to a file outside the tree, and following it
would let the repository choose what flaglint overwrites. Refusing every
link is simpler to explain and to check than following only the ones that
stay inside the tree; name the real file instead. Reports written with
``--output`` go through :func:`write_report`, which refuses a link the same
way but writes in place, so ``-o /dev/null`` still works.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Optional, Union


def write_atomic(
    path: Union[str, "os.PathLike[str]"],
    data: bytes,
    mode: Optional[int] = None,
    within: Union[str, "os.PathLike[str]", None] = None,
) -> None:
    """Replace ``path`` with ``data``; raises OSError. A ``path`` that is a
    symlink is refused (SymlinkError); one whose directory leads out of the
    directory ``within`` (a project's root) through a symlink is refused too
    (OutsideError). ``mode`` defaults to the existing file's, or to 0666
    minus the umask for a new file (mkstemp's 0600 is too strict)."""
    refuse_symlink(path)
    refuse_special(path)
    target = Path(os.path.realpath(path))
    if within is not None:
        root = Path(os.path.realpath(within))
        if target != root and root not in target.parents:
            raise OutsideError(
                errno.EPERM, f"it leads through a symlink to {target}, outside {root}; not written", str(path)
            )
    mode = _mode_for(target) if mode is None else mode
    temporary: Optional[str] = None
    try:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
        sync_directory(target.parent)
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


class OutsideError(PermissionError):
    """The path leads (through a symlink) out of the directory it must stay in."""


class SymlinkError(PermissionError):
    """The path to be written is a symbolic link: flaglint never writes through one."""


#: why a symlink is not written (an OSError's strerror: callers print it after "cannot write X: ")
SYMLINK_REASON = "it is a symbolic link, and flaglint never writes through one (name the real file)"


def refuse_symlink(path: Union[str, "os.PathLike[str]"]) -> None:
    """Raise SymlinkError if ``path`` is a symbolic link (even a dangling one)."""
    if os.path.islink(path):
        raise SymlinkError(errno.ELOOP, SYMLINK_REASON, str(path))


class SpecialFileError(PermissionError):
    """The path to be replaced is a device, a FIFO or a directory."""


def refuse_special(path: Union[str, "os.PathLike[str]"]) -> None:
    """Raise SpecialFileError if ``path`` exists and is not a regular file:
    replacing it by rename would turn ``/dev/full`` (or a FIFO) into a file."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(info.st_mode):
        raise SpecialFileError(
            errno.EPERM, "it is not a regular file (a device, a FIFO or a directory); not replaced", str(path)
        )


def write_report(path: Union[str, "os.PathLike[str]"], data: bytes) -> None:
    """Write ``data`` to ``path`` in place (a report: ``-o /dev/null`` must
    work, a device must not be replaced), refusing a symlink: checked first,
    and again by ``O_NOFOLLOW`` where the platform has it. Raises OSError."""
    refuse_symlink(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SymlinkError(errno.ELOOP, SYMLINK_REASON, str(path)) from None
        raise
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)

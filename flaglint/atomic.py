"""Write a file so that a reader sees the old content or the new, never half.

Used by everything that writes user files (fix, baseline, the ledger): the
bytes go to a temporary file in the same directory, are flushed and synced,
get the right permissions, and are renamed over the target. On any error the
temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Optional, Union


def write_atomic(
    path: Union[str, "os.PathLike[str]"],
    data: bytes,
    mode: Optional[int] = None,
    within: Union[str, "os.PathLike[str]", None] = None,
) -> None:
    """Replace ``path`` with ``data``; raises OSError. A symlink is written
    through, not replaced, unless it leads out of the directory ``within``
    (a project's root): then nothing is written (OutsideError). ``mode``
    defaults to the existing file's, or to 0666 minus the umask for a new
    file (mkstemp's 0600 is too strict)."""
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

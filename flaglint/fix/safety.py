"""Files ``fix`` must not touch, and why.

- A file reached through a symlink (the file's own, or a directory's) that
  leads out of the project: writing through it would change something
  outside what was analysed and asked for.
- A read-only file: its mode says "do not edit"; ``--force`` overrides.
- A file with several hard links: replacing it (the atomic write) would
  give this name new content and leave the other names with the old one,
  and writing in place is not atomic. It is refused; edit it by hand.
- Anything that is not a regular file.

The project is what the user named: a directory given as a path, or, for a
file, its project (configuration directory, else git root), else the
directory it is in, with symlinks resolved.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import List, Optional, Sequence

from ..config import find_config


def project_roots(paths: Sequence[str], cwd: Path) -> List[Path]:
    """The real directories ``fix`` may write under, for ``paths``."""
    roots = []
    for given in paths:
        path = Path(cwd) / given
        if path.is_dir():
            roots.append(Path(os.path.realpath(path)))
        else:
            roots.append(_file_project(Path(os.path.realpath(path.parent))))
    return roots


def _file_project(directory: Path) -> Path:
    config = find_config(directory)
    if config is not None:
        return Path(os.path.realpath(config.parent))
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def refusal(path: Path, roots: Sequence[Path], force: bool = False) -> Optional[str]:
    """Why ``fix`` must leave the file at ``path`` alone, or None."""
    real = Path(os.path.realpath(path))
    if not any(real == root or root in real.parents for root in roots):
        return f"it leads through a symlink to {real}, outside the project; fix never writes outside it"
    try:
        info = os.stat(real)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_nlink > 1:
        return (
            f"it has {info.st_nlink} hard links: replacing it would leave the other names "
            "with the old content (edit it by hand)"
        )
    if not force and not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "it is read-only (--force edits it anyway, keeping its mode)"
    return None

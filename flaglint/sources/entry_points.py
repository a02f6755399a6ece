"""Names a project's packaging metadata calls: entry points.

``[project.scripts]``, ``[project.entry-points.*]``, Poetry's scripts and
plugins in ``pyproject.toml``, and ``console_scripts`` (any entry point) in
``setup.cfg`` name functions as ``module:attribute``. Nothing in the code
calls them, yet they run: the dead-code search treats every name they
mention as used. Read as text, not as TOML, so that every
``module:attribute`` anywhere in those files counts (a plugin hook of some
tool is a use too); a miss here could delete a command.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Iterable, List, Optional, Set

#: packaging files read, and how far up from an analysed directory
PACKAGING_FILES = ("pyproject.toml", "setup.cfg")
_MAX_LEVELS = 8
_MAX_BYTES = 1 << 20
_PATH = r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*"
_ENTRY = re.compile(rf"({_PATH})\s*:\s*({_PATH})")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def entry_point_names(roots: Iterable[Path], cwd: Optional[Path] = None) -> Set[str]:
    """Identifiers named as ``module:attribute`` by the packaging files in
    ``roots`` or the directories above them (up to the repository's root;
    outside a repository, not above ``cwd``, nor past the first packaging
    file)."""
    names: Set[str] = set()
    for path in _packaging_files(roots, cwd):
        text = _read(path)
        for module, attribute in _ENTRY.findall(text):
            names.update(_IDENTIFIER.findall(attribute))
            names.add(module.rsplit(".", 1)[-1])
    return names


def _packaging_files(roots: Iterable[Path], cwd: Optional[Path]) -> Iterable[Path]:
    seen: Set[Path] = set()
    for root in roots:
        for path in _up_to_project_root(Path(root), cwd):
            if path not in seen:
                seen.add(path)
                yield path


def _up_to_project_root(directory: Path, cwd: Optional[Path]) -> List[Path]:
    """The packaging files from ``directory`` up to the repository's root
    (the directory holding ``.git``). Outside a repository, only up to the
    first directory that has a packaging file, and not above the working
    directory: a ``pyproject.toml`` lying in ``/tmp`` or a home directory
    belongs to some other project."""
    found: List[Path] = []
    first_packaged = None
    for _ in range(_MAX_LEVELS):
        here = [directory / name for name in PACKAGING_FILES]
        found.extend(here)
        if first_packaged is None and any(path.is_file() for path in here):
            first_packaged = len(found)
        if (directory / ".git").exists():
            return found
        if directory.parent == directory or (cwd is not None and directory == cwd):
            break
        directory = directory.parent
    return found[:first_packaged] if first_packaged is not None else found[: len(PACKAGING_FILES)]


def _read(path: Path) -> str:
    """The file's text if it is a regular file under the size cap, else ""."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_BYTES:
            return ""
        return path.read_bytes()[:_MAX_BYTES].decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""

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
from typing import Iterable, Set

#: packaging files read, and how far up from an analysed directory
PACKAGING_FILES = ("pyproject.toml", "setup.cfg")
_MAX_LEVELS = 8
_MAX_BYTES = 1 << 20
_PATH = r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*"
_ENTRY = re.compile(rf"({_PATH})\s*:\s*({_PATH})")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def entry_point_names(roots: Iterable[Path]) -> Set[str]:
    """Identifiers named as ``module:attribute`` by the packaging files in
    ``roots`` or the directories above them (up to the repository's root)."""
    names: Set[str] = set()
    for path in _packaging_files(roots):
        text = _read(path)
        for module, attribute in _ENTRY.findall(text):
            names.update(_IDENTIFIER.findall(attribute))
            names.add(module.rsplit(".", 1)[-1])
    return names


def _packaging_files(roots: Iterable[Path]) -> Iterable[Path]:
    seen: Set[Path] = set()
    for root in roots:
        directory = Path(root)
        for _ in range(_MAX_LEVELS):
            for name in PACKAGING_FILES:
                path = directory / name
                if path not in seen:
                    seen.add(path)
                    yield path
            if (directory / ".git").exists() or directory.parent == directory:
                break
            directory = directory.parent


def _read(path: Path) -> str:
    """The file's text if it is a regular file under the size cap, else ""."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_BYTES:
            return ""
        return path.read_bytes()[:_MAX_BYTES].decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""

"""What to analyse versus what to report on.

Whether a flag is set depends on the whole project, but a pre-commit hook
passes only the changed files. When files are named explicitly, flaglint
builds its facts from the whole project they belong to (the directory of the
nearest flaglint configuration, else the git root) and reports only on the
files named. Directories are analysed as given: naming a directory says
"this is the project".
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence

from .config import find_config


def project_root(path: Path) -> Optional[Path]:
    """The project a file belongs to: its config file's directory, else the git root."""
    start = path.resolve().parent
    config = find_config(start)
    if config is not None:
        return config.parent
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def analysis_paths(paths: Sequence[str], cwd: Path) -> List[str]:
    """The paths whose facts are needed to judge ``paths``."""
    roots: List[str] = []
    for path in paths:
        if (cwd / path).is_file():
            root = project_root(cwd / path)
            if root is not None and str(root) not in roots:
                roots.append(str(root))
    return [*paths, *roots]


class ReportFilter:
    """Keeps findings located in the files or under the directories given."""

    def __init__(self, paths: Sequence[str], cwd: Path) -> None:
        self.cwd = cwd
        self.files = set()
        self.directories = []
        for path in paths:
            resolved = (cwd / path).resolve()
            if resolved.is_dir():
                self.directories.append(resolved)
            else:
                self.files.add(resolved)

    def wants(self, display_path: str) -> bool:
        resolved = (self.cwd / display_path).resolve()
        return resolved in self.files or any(_is_under(resolved, directory) for directory in self.directories)


def _is_under(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents

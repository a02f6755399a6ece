"""What to analyse versus what to report on.

Whether a flag is set depends on the whole project, but a pre-commit hook
passes only the changed files. When files are named explicitly, flaglint
builds its facts from the whole project they belong to (the directory of the
nearest flaglint configuration, else the git root) and reports only on the
files named. Directories are analysed as given: naming a directory says
"this is the project".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Sequence

from .project import project_root, real_path


def analysis_paths(paths: Sequence[str], cwd: Path) -> List[str]:
    """The paths whose facts are needed to judge ``paths``."""
    roots: List[str] = []
    for path in paths:
        if os.path.isfile(cwd / path):  # False, never OSError, for a name too long
            root = project_root(cwd / path)
            if root is not None and str(root) not in roots:
                roots.append(str(root))
    return [*paths, *roots]


class ReportFilter:
    """Keeps findings located in the files or under the directories given.

    Paths are compared both as written and with symlinks resolved: a file
    that discovery reached through a symlink pointing out of a directory is
    analysed as part of it, so its findings are reported too."""

    def __init__(self, paths: Sequence[str], cwd: Path) -> None:
        self.cwd = cwd
        self.files = set()
        self.directories = []
        for path in paths:
            for candidate in _spellings(cwd / path):
                if os.path.isdir(candidate):  # pathlib's is_dir() raises for a name too long
                    self.directories.append(candidate)
                else:
                    self.files.add(candidate)

    def wants(self, display_path: str) -> bool:
        return any(
            candidate in self.files or any(_is_under(candidate, directory) for directory in self.directories)
            for candidate in _spellings(self.cwd / display_path)
        )


def _spellings(path: Path) -> List[Path]:
    """``path`` made absolute as written (symlinks kept) and resolved."""
    return [Path(os.path.abspath(path)), real_path(path)]


def _is_under(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents

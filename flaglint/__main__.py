"""``python -m flaglint`` behaves exactly like ``flaglint``.

For ``-m`` Python puts the current directory first on ``sys.path``. Run in
the repository under review, every module flaglint imports from then on
(``random``, ``json``, ``tempfile``...) would be the repository's own file of
that name if it has one: the repository's code would run. The ``flaglint``
console script does not do this (its ``sys.path[0]`` is the script's
directory), and neither does ``python -P -m flaglint`` (Python 3.11+). So,
before importing anything, the current directory is taken off ``sys.path``
here, on every Python: only the flaglint package itself (already imported by
then, from wherever it was found) and the standard library and installed
packages are importable.
"""

import sys


def _without_working_directory() -> None:
    """Drop the entry ``-m`` put first on ``sys.path`` (``''`` or the current
    directory's path; none under ``-P``)."""
    if getattr(sys.flags, "safe_path", False) or not sys.path:
        return
    import os  # already loaded by the interpreter's start-up: no file is read

    first = sys.path[0]
    if first == "" or os.path.abspath(first) == os.path.abspath(os.curdir):
        del sys.path[0]


_without_working_directory()

from flaglint.cli import main  # noqa: E402 - only once the current directory is off sys.path

if __name__ == "__main__":
    main(prog_name="flaglint")

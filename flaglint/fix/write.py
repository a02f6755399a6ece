"""Write fixed sources safely, or show what would change.

A file is replaced atomically: the new bytes go to a temporary file in the
same directory, which gets the original's permission bits, is flushed and
synced, then renamed over the original (through a symlink, never replacing
it). A reader sees the old file or the new one, never half of one; on any
error the temporary file is removed and the original is left as it was.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Optional

from .. import atomic


class FixWriteError(Exception):
    pass


def compile_error(text: str, display: str) -> Optional[str]:
    """Why ``text`` is not a valid module for this Python, or None."""
    try:
        compile(text, display, "exec", dont_inherit=True)
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"{error.msg}{where}"
    except (ValueError, RecursionError, MemoryError) as error:
        return str(error) or type(error).__name__
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace an existing source file atomically, keeping its mode."""
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o7777
        atomic.write_atomic(target, data, mode)
    except OSError as error:
        raise FixWriteError(f"{path}: cannot write: {error.strerror or error}") from error


def unified_diff(display: str, old: str, new: str) -> str:
    """A ``git diff``-style unified diff of one file (``a/`` and ``b/`` paths)."""
    name = display.lstrip("/")
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)

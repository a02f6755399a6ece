"""Gitignore-style pattern lists (``exclude``, ``include``, ``.gitignore``),
each compiled once per run.

pathspec compiles one regular expression per pattern, which costs tens of
microseconds each: a generated ``exclude`` of 20,000 patterns takes seconds.
Configuration checks the user's patterns and discovery then applies the same
list; compiling it twice (and once more per pattern, to name a bad one)
made a 3-file tree take 16 s. Both ask :func:`compile_patterns`, which keeps
what it compiled for each list it has seen, so a run compiles a list once;
matching a path against a compiled list stays milliseconds.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Tuple

import pathspec

#: distinct pattern lists kept compiled (configuration's exclude, include,
#: per-file-ignores, and every .gitignore of a tree)
_KEPT = 256


def compile_patterns(lines: Iterable[str]) -> Tuple[pathspec.GitIgnoreSpec, Tuple[str, ...]]:
    """The compiled spec of ``lines`` and the lines that are not valid
    patterns, set aside (like git, one bad line must not void the others).

    The spec is shared between callers: never change it."""
    return _compiled(tuple(lines))


@lru_cache(maxsize=_KEPT)
def _compiled(lines: Tuple[str, ...]) -> Tuple[pathspec.GitIgnoreSpec, Tuple[str, ...]]:
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines), ()
    except Exception:  # pathspec raises its own error types; be robust
        pass
    patterns: list = []
    bad = []
    for line in lines:
        try:
            patterns.extend(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
        except Exception:
            bad.append(line)
    return pathspec.GitIgnoreSpec(patterns), tuple(bad)

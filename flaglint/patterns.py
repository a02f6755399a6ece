"""Gitignore-style pattern lists (``exclude``, ``include``, ``.gitignore``),
each indexed once per run and compiled only where a path needs it.

pathspec compiles one regular expression per pattern, about 100 µs each: a
generated ``exclude`` of 20,000 patterns took 2 s to compile even once, for
a 3-file tree. Yet nearly every pattern of such a list is *plain* (no
``[``, no ``\\``) and names a literal directory or file: ``gen123/*.py``
(anchored: it can only match a path whose first segment is ``gen123``) or
``build/`` (unanchored: only a path with a ``build`` segment). So a
:class:`Patterns` list indexes those by that literal segment, and for a
path asks pathspec only about the patterns that could match it (each
compiled the first time it is a candidate, and kept). The verdict is
pathspec's own (:class:`pathspec.GitIgnoreSpec` over the candidates, in
list order): git's "last match wins", negations and the priority of file
over directory matches depend only on which patterns match, and a pattern
left out could not have matched.

Only a pattern that is not plain is compiled up front, which is also how a
bad one is found (and set aside, as git ignores a bad line); a plain one
cannot be bad (``tests/test_patterns.py`` compares both with pathspec).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import pathspec
from pathspec.util import normalize_file

#: distinct pattern lists kept (configuration's exclude, include,
#: per-file-ignores, and every .gitignore of a tree)
_KEPT = 256
#: distinct candidate sets kept compiled as one spec, per list
_SPECS_KEPT = 4096
#: characters that make a segment more than a literal name
_GLOB = re.compile(r"[*?\[\\]")


class Patterns:
    """A gitignore-style list, compiled lazily: see the module docstring.

    Immutable once built; shared between callers (through
    :func:`compile_patterns`)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines: Tuple[str, ...] = tuple(lines)
        #: patterns compiled so far, by index in ``lines``
        self._compiled: Dict[int, pathspec.Pattern] = {}
        #: anchored plain patterns by their literal first segment
        self._first: Dict[str, List[int]] = {}
        #: unanchored plain patterns by their literal name
        self._named: Dict[str, List[int]] = {}
        #: every other pattern that does something (compiled at once)
        self._anywhere: List[int] = []
        self._specs: Dict[Tuple[int, ...], pathspec.GitIgnoreSpec] = {}
        bad = []
        for index, line in enumerate(self.lines):
            key = _literal_key(line)
            if key is None:
                try:
                    pattern = compile_one(line)
                except Exception:  # pathspec raises its own error types, and re.error
                    bad.append(line)
                    continue
                if pattern is not None and pattern.include is not None:
                    self._compiled[index] = pattern
                    self._anywhere.append(index)
                continue
            anchored, segment = key
            (self._first if anchored else self._named).setdefault(segment, []).append(index)
        self._everywhere = tuple(self._anywhere)
        #: the lines that are not valid patterns (set aside)
        self.bad: Tuple[str, ...] = tuple(bad)

    def __len__(self) -> int:
        """How many patterns do something (not blank, not a comment, not bad)."""
        return len(self._anywhere) + sum(map(len, self._first.values())) + sum(map(len, self._named.values()))

    def _candidates(self, path: str) -> Tuple[int, ...]:
        """The patterns that could match ``path``, in list order."""
        segments = path.split("/")
        found = list(self._first.get(segments[0], ()))
        if self._named:
            for segment in set(segments):
                found.extend(self._named.get(segment, ()))
        if not found:
            return self._everywhere
        return tuple(sorted(set(found).union(self._everywhere)))

    def _pattern(self, index: int) -> pathspec.Pattern:
        pattern = self._compiled.get(index)
        if pattern is None:
            compiled = compile_one(self.lines[index])
            assert compiled is not None  # a plain line is never blank
            pattern = self._compiled[index] = compiled
        return pattern

    def _spec(self, candidates: Tuple[int, ...]) -> pathspec.GitIgnoreSpec:
        spec = self._specs.get(candidates)
        if spec is None:
            if len(self._specs) >= _SPECS_KEPT:
                self._specs.clear()
            chosen = [self._pattern(index) for index in candidates]
            spec = self._specs[candidates] = pathspec.GitIgnoreSpec(chosen)  # type: ignore[arg-type]
        return spec

    def check(self, path: str) -> Optional[bool]:
        """pathspec's verdict on ``path`` (``GitIgnoreSpec.check_file(path).include``):
        True (matched), False (re-included by a negation) or None (no pattern matches)."""
        candidates = self._candidates(normalize_file(path))  # as check_file sees it
        if not candidates:
            return None
        return self._spec(candidates).check_file(path).include

    def match(self, path: str) -> bool:
        """``GitIgnoreSpec.match_file(path)``."""
        return bool(self.check(path))

    def without_matches(self, key: str) -> "Patterns":
        """This list less its ignoring (not negated) patterns that match
        ``key`` on their own (an explicitly given directory: see
        :func:`flaglint.discover._without_matches`)."""
        dropped = {
            index
            for index in self._candidates(key)
            if self._pattern(index).include and self._pattern(index).match_file(key) is not None
        }
        if not dropped:
            return self
        return _compiled(tuple(line for index, line in enumerate(self.lines) if index not in dropped))[0]


def compile_one(line: str) -> Optional[pathspec.Pattern]:
    """pathspec's pattern for one line, as :class:`pathspec.GitIgnoreSpec`
    compiles it (through its public constructor: the pattern class moved
    between pathspec 0.12 and 1.0), or None for a line it drops (blank).
    Raises pathspec's error for a bad line."""
    patterns = pathspec.GitIgnoreSpec.from_lines([line]).patterns
    return patterns[0] if patterns else None


def _literal_key(line: str) -> Optional[Tuple[bool, str]]:
    """``(anchored, segment)`` for a plain pattern that can only match a path
    whose first segment (anchored) or any segment (unanchored) is
    ``segment``; None for any other line (compiled up front).

    Plain: no ``[`` or ``\\`` anywhere (so no escapes and no ranges, the
    only ways a pattern can be invalid), no comment, no empty segment inside
    (``a//b``), and a first segment with no ``*`` or ``?``: pathspec
    translates such a segment with ``re.escape``, so it matches only itself.
    """
    if "[" in line or "\\" in line or line.startswith("#"):
        return None
    text = line.rstrip()  # as pathspec does: trailing spaces are not part of a pattern
    if text.startswith("!"):
        text = text[1:]
    if text.startswith("/"):
        anchored, text = True, text[1:]
    else:
        anchored = "/" in text.rstrip("/")  # "a/b" is anchored, "a/" and "a" are not
    segments = text.split("/")
    if segments[-1] == "":
        segments.pop()  # a directory pattern, "a/"
    if not segments or "" in segments:
        return None
    first = segments[0]
    if _GLOB.search(first) or (not anchored and len(segments) != 1):
        return None
    return anchored, first


def compile_patterns(lines: Iterable[str]) -> Tuple[Patterns, Tuple[str, ...]]:
    """The list of ``lines`` and the lines that are not valid patterns, set
    aside (like git, one bad line must not void the others).

    The list is shared between callers, and kept for the run: a list the
    configuration checks and discovery then applies is indexed once."""
    return _compiled(tuple(lines))


@lru_cache(maxsize=_KEPT)
def _compiled(lines: Tuple[str, ...]) -> Tuple[Patterns, Tuple[str, ...]]:
    for line in lines:
        if not isinstance(line, str):
            raise TypeError(f"a pattern must be a string, not {type(line).__name__}")
    patterns = Patterns(lines)
    return patterns, patterns.bad

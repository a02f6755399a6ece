"""flaglint.patterns: a pattern list gives pathspec's verdicts while
compiling only the patterns a path could match (issue 21, point 8)."""

from __future__ import annotations

import random
from typing import List, Optional, Tuple

import pathspec
import pytest

from flaglint import patterns as patterns_module
from flaglint.patterns import Patterns, compile_patterns

SEGMENTS = ["a", "b", "gen1", "gen2", "x.py", "*.py", "*", "**", "?", "[ab]", "[!a]*", "x y", "#c", "!a", "\\!a"]
ODD = ["", "/", "!", "#", "!/", "a\\", "[z-a]", "a//b", "\\#a", "a ", "a\\ ", "!a/", "/**/", "**/", "*/", "[", "./a"]
PATH_SEGMENTS = ["a", "b", "gen1", "gen2", "x.py", "c.py", "x y", "#c", "!a", "ab", "."]


def reference(lines: List[str]) -> Tuple[pathspec.GitIgnoreSpec, Tuple[str, ...]]:
    """What flaglint did before: every valid line compiled by pathspec."""
    good, bad = [], []
    for line in lines:
        try:
            good.extend(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
        except Exception:
            bad.append(line)
    return pathspec.GitIgnoreSpec(good), tuple(bad)


def random_pattern(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(ODD)
    text = "/".join(rng.choice(SEGMENTS) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.3:
        text = "/" + text
    if rng.random() < 0.3:
        text += "/"
    if rng.random() < 0.25:
        text = "!" + text
    if rng.random() < 0.05:
        text += "  "
    return text


def random_path(rng: random.Random) -> str:
    path = "/".join(rng.choice(PATH_SEGMENTS) for _ in range(rng.randint(1, 4)))
    return path + "/" if rng.random() < 0.3 else path


@pytest.mark.parametrize("seed", range(200))
def test_verdicts_are_pathspecs_on_a_corpus(seed):
    """Negations, ``**``, anchored, directory-only, escaped and invalid
    patterns: the same verdict as pathspec for every path, and the same
    lines set aside as bad."""
    rng = random.Random(seed)
    lines = [random_pattern(rng) for _ in range(rng.randint(1, 12))]
    expected, expected_bad = reference(lines)
    patterns = Patterns(lines)
    assert patterns.bad == expected_bad
    assert len(patterns) == len([p for p in expected.patterns if p.include is not None])
    for _ in range(60):
        path = random_path(rng)
        assert patterns.check(path) == expected.check_file(path).include, (lines, path)
        assert patterns.match(path) == expected.match_file(path), (lines, path)


@pytest.mark.parametrize(
    ("lines", "path", "verdict"),
    [
        (["gen1/*.py"], "gen1/x.py", True),
        (["gen1/*.py"], "sub/gen1/x.py", None),  # anchored: only at the top
        (["gen1/"], "sub/gen1/x.py", True),  # unanchored directory: at any depth
        (["gen1/"], "gen1", None),  # directory-only: not a file of that name
        (["*.py", "!keep.py"], "keep.py", False),
        (["!keep.py", "*.py"], "keep.py", True),  # the last match wins
        (["/a/**/b"], "a/x/y/b", True),
        (["a/**"], "a", None),
        (["legacy/", "!legacy/keep.py"], "legacy/keep.py", False),
        (["x y"], "d/x y", True),
        (["x y  "], "x y", True),  # trailing spaces are not part of the pattern
    ],
)
def test_verdicts_on_chosen_cases(lines, path, verdict):
    assert Patterns(lines).check(path) == verdict == reference(lines)[0].check_file(path).include


def test_without_matches_drops_what_pathspec_would(tmp_path):
    lines = ["legacy/", "/legacy", "!legacy/keep.py", "*.py", "gen1/**"]
    kept = Patterns(lines).without_matches("legacy/")
    assert kept.lines == ("!legacy/keep.py", "*.py", "gen1/**")
    assert Patterns(lines).without_matches("other/").lines == tuple(lines)


def count_compiled(monkeypatch) -> List[str]:
    compiled: List[str] = []
    real = patterns_module.compile_one

    def counting(line):
        compiled.append(line)
        return real(line)

    monkeypatch.setattr(patterns_module, "compile_one", counting)
    patterns_module._compiled.cache_clear()
    return compiled


def test_20000_literal_patterns_compile_only_the_candidates(monkeypatch):
    """Bounded work, not a timing: a path costs the patterns that name its
    segments, never the whole list."""
    compiled = count_compiled(monkeypatch)
    lines = [f"gen{i}/*.py" for i in range(20_000)] + ["legacy/", "!legacy/keep.py"]
    patterns, bad = compile_patterns(lines)
    assert bad == () and compiled == []  # indexing compiles nothing
    assert patterns.match("gen7/x.py") and not patterns.match("gen7/x.txt")
    assert patterns.match("legacy/old.py") and not patterns.match("legacy/keep.py")
    assert not patterns.match("app.py")
    assert sorted(compiled) == ["!legacy/keep.py", "gen7/*.py", "legacy/"]


def test_a_pattern_that_is_not_plain_is_compiled_up_front(monkeypatch):
    compiled = count_compiled(monkeypatch)
    patterns, bad = compile_patterns(["a/*.py", "[z-a]", "x\\", "b/[ab].py"])
    assert bad == ("[z-a]", "x\\")
    assert compiled == ["[z-a]", "x\\", "b/[ab].py"]
    assert patterns.match("b/a.py") and not patterns.match("b/c.py")


def test_a_non_string_pattern_is_a_type_error():
    with pytest.raises(TypeError, match="a pattern must be a string, not int"):
        compile_patterns(["a", 1])  # type: ignore[list-item]

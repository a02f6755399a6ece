"""Extraction's two shortcuts give exactly what libcst's own machinery gives.

extract/positions.py replaces PositionProvider and extract/walk.py replaces
``CSTNode.visit``, both for speed. Here both ways run side by side on every
Python file of our fixtures and on a fixed sample of the standard library
(shapes nobody wrote for us): every node's position, and every fact, must be
the same.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path
from typing import List

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from flaglint.extract import extract as extract_module
from flaglint.extract import full
from flaglint.extract.extract import extract_source, run_deep
from flaglint.extract.positions import _UNRECORDED, positions

REPO = Path(__file__).resolve().parent.parent


def _corpus() -> List[Path]:
    ours = sorted(path for folder in ("fixtures", "tests/data") for path in (REPO / folder).rglob("*.py"))
    stdlib = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    return ours + stdlib[::25]


CORPUS = _corpus()


def _parse(path: Path) -> cst.Module:
    try:
        return cst.parse_module(path.read_bytes())
    except Exception:
        pytest.skip(f"{path.name} does not parse (a fixture for FL000)")


def test_the_corpus_is_not_empty():
    assert len(CORPUS) > 60


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_positions_match_libcst_position_provider(path):
    tree = _parse(path)
    expected = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    actual = run_deep(positions, tree)
    wanted = [node for node in expected if type(node) not in _UNRECORDED]
    assert all(node in actual for node in wanted)
    # nothing outside the tree; punctuation may record itself
    assert set(actual.by_id) <= {id(node) for node in expected}
    for node, where in expected.items():
        if node in actual:
            assert actual[node] == (
                where.start.line,
                where.start.column,
                where.end.line,
                where.end.column,
            ), type(node).__name__


#: shapes where a position is easy to get wrong: line breaks inside tokens,
#: continuations, CRLF and lone CR, tabs, non-ASCII, decorators, ``;``,
#: parentheses around expressions, nested blocks with comments after them
TRICKY = {
    "multi-line strings": 'X = """a\nb\n"""; Y = f"""{X}\n{X!r}"""\nif FLAG: print(\'\'\'\n\'\'\', Y)\n',
    "line continuations": "x = 1 + \\\n    2\nif a and \\\n        b:\n    pass\n",
    "CRLF": "import os\r\nFLAG = os.getenv('F')\r\nif FLAG:\r\n    go()\r\n",
    "lone CR": "FLAG = False\rif FLAG:\r    go()\r",
    "tabs": "if FLAG:\n\tif OTHER:\n\t\tgo()  # c\n\telse:\n\t\tstop()\n",
    "non-ASCII": "NAME = 'ünïcödé 🚩'; ÄÖ = NAME\nif ÄÖ: print('日本', ÄÖ)\n",
    "decorators": "@a.b(c,\n     d)\n\n# comment\n@e\nasync def f(x, /, y=(1), *, z):\n    return (yield)\n",
    "semicolons": "a = 1; b = 2;\nif a: b; c; d\nclass C: x = 1; y = 2\n",
    "parentheses": "x = ((a).b)[(c)](d)\ny = (\n    e  # why\n    or f\n)\n",
    "blocks and trailing comments": "def f():\n    if x:\n        pass\n        # inside\n# outside\n\n    return 1\n\n\n",
    "no trailing newline": "if FLAG:\n    go()",
    "empty": "",
}


@pytest.mark.parametrize("source", TRICKY.values(), ids=TRICKY.keys())
def test_positions_match_libcst_on_tricky_input(source):
    tree = cst.parse_module(source)
    expected = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    actual = run_deep(positions, tree)
    checked = 0
    for node, where in expected.items():
        if type(node) in _UNRECORDED:
            continue
        assert actual[node] == (where.start.line, where.start.column, where.end.line, where.end.column), type(
            node
        ).__name__
        checked += 1
    assert checked >= 1
    assert set(actual.by_id) <= {id(node) for node in expected}


def test_positions_are_looked_up_by_node_not_by_equality():
    # two equal nodes in different places keep their own positions (libcst
    # nodes compare by identity; Positions must too)
    tree = cst.parse_module("x = 1\nx = 1\n")
    found = run_deep(positions, tree)
    first, second = (statement.body[0].targets[0].target for statement in tree.body)
    assert found[first] == (1, 0, 1, 1) and found[second] == (2, 0, 2, 1)
    assert cst.Name("x") not in found


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_walk_collects_the_same_facts_as_libcst_visit(path, monkeypatch):
    text = path.read_text(encoding="utf-8", errors="replace")
    by_walk = extract_source(text, path.name, "sample")
    monkeypatch.setattr(full, "walk", lambda tree, collector: tree.visit(collector))
    by_libcst = extract_source(text, path.name, "sample")
    assert by_walk == by_libcst


# --------------------------------------------------------------------------- the collector pause

_GATED = "ENABLE_X = False\nif ENABLE_X:\n    print('x')\n"


@pytest.mark.parametrize("enabled", [True, False], ids=["collector on", "collector off"])
def test_extraction_puts_the_garbage_collector_back_as_it_was(enabled):
    import gc

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        facts = extract_source(_GATED, "m.py", "m")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert facts.problem is None and [d.name for d in facts.definitions] == ["ENABLE_X"]


def test_the_collector_is_paused_only_while_a_file_is_extracted(monkeypatch):
    import gc

    seen = []
    real = extract_module._extract_text
    monkeypatch.setattr(extract_module, "_extract_text", lambda *args: seen.append(gc.isenabled()) or real(*args))
    was = gc.isenabled()
    gc.enable()
    try:
        extract_source(_GATED, "m.py", "m")
        assert seen == [False] and gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


def test_a_file_that_fails_to_parse_still_puts_the_collector_back():
    import gc

    was = gc.isenabled()
    gc.enable()
    try:
        facts = extract_source("def (:\n", "m.py", "m")
        assert facts.problem is not None and gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()

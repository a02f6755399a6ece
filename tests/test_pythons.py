"""Every Python that pyproject.toml's requires-python admits: what differs
between interpreters and must not change a result (see docs/pythons.md)."""

from __future__ import annotations

import ast
import sys
import threading
from pathlib import Path

import libcst as cst
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from flaglint.extract.depth import CHAIN_LIMIT, DEPTH_LIMIT, may_be_deep, chain_room, longest_chain, longest_chain_line
from flaglint.extract.extract import extract_source
from flaglint.extract.positions import positions


def test_a_recursion_error_inside_code_generation_comes_out_as_itself():
    # regression: on CPython 3.12 a deep elif ladder ran out of C recursion
    # inside libcst's code generation; the position recorder's __exit__ then
    # looked up the unrecorded inner node and replaced the RecursionError with
    # a KeyError, which no caller expects ("internal error: KeyError")
    tree = cst.parse_module("if a:\n    pass\n" + "elif a:\n    pass\n" * 300)
    raised = []

    def shallow() -> None:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(200)
        try:
            positions(tree)
        except BaseException as error:  # what escapes is the point of the test
            raised.append(error)
        finally:
            sys.setrecursionlimit(previous)

    thread = threading.Thread(target=shallow)
    thread.start()
    thread.join()
    assert [type(error) for error in raised] == [RecursionError]


def test_the_depth_limit_is_1000_but_on_python_3_12():
    assert DEPTH_LIMIT == (400 if sys.version_info[:2] == (3, 12) else 1000)


@pytest.mark.parametrize(
    "text, line",
    [
        ("x = 1\nMASK = A | B | C\ny = 2\n", 2),
        ("x = (1 +\n  2 + 3 + 4 + 5)\ny = a.b\n", 1),
        ("# a | b | c | d\ns = 'a.b.c.d.e'\nz = a + b\n", 3),
        ("x = 1\n", None),
    ],
)
def test_the_longest_chain_is_named_at_its_logical_line(text, line):
    assert longest_chain_line(text) == line


ROOT = Path(__file__).resolve().parent.parent


def _noxfile_constant(name: str):
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets if isinstance(target, ast.Name)] == [
            name
        ]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"noxfile.py has no {name}")


def test_ci_tests_every_python_that_requires_python_admits():
    with open(ROOT / "pyproject.toml", "rb") as file:
        requires = tomllib.load(file)["project"]["requires-python"]
    assert requires == ">=3.9"
    claimed = ["3.9", "3.10", "3.11", "3.12", "3.13"]
    assert _noxfile_constant("PYTHONS") == claimed
    assert _noxfile_constant("FULL") == "3.11"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'ALL_PYTHONS="{" ".join(claimed)}"' in ci
    assert 'FULL_PYTHON="3.11"' in ci


# --------------------------------------------------------------------------- the depth pre-check's own bound

_ORDINARY = (
    "import os\n\n\nclass Config:\n    def load(self, path):\n        with open(path) as handle:\n"
    "            for line in handle:\n                if line.startswith('#') or not line.strip():\n"
    "                    continue\n                key, _, value = line.partition('=')\n"
    "                self.values[key.strip().lower()] = value.strip() + os.sep * (len(value) - 1)\n"
) * 20


def test_an_ordinary_file_is_not_measured_by_cpython_first():
    """On 3.12 the file-blind bound left no room (every file with an
    operator was parsed by CPython before libcst, 23% more CPU); the
    file's own indentation gives it room on every version."""
    assert CHAIN_LIMIT <= (0 if sys.version_info[:2] == (3, 12) else 250)
    assert chain_room(_ORDINARY) == (DEPTH_LIMIT - 110 - 2 * 5) // 2
    assert longest_chain(_ORDINARY, chain_room(_ORDINARY)) < chain_room(_ORDINARY)
    assert not may_be_deep(_ORDINARY)


def test_each_indentation_and_elif_takes_room():
    text = "if a:\n    b\nelif c:\n  \td\n" + "\n".join("x = 1" for _ in range(3)) + "\n"
    assert chain_room(text) == (DEPTH_LIMIT - 110 - 2 * 2 - 1) // 2
    # must not: more levels than a tokenizer allows count as 100
    deep = "".join(" " * i + "if a:\n" for i in range(150))
    assert chain_room(deep) == (DEPTH_LIMIT - 110 - 2 * 100) // 2


def test_a_file_whose_own_bound_may_be_too_deep_is_still_measured():
    """Must not: each indentation level takes room, so a chain that a flat
    file may hold is measured by CPython in a deeply indented one."""
    flat, indented = (DEPTH_LIMIT - 110) // 2, (DEPTH_LIMIT - 110 - 2 * 90) // 2
    chain = "x = a" + "[0]" * ((flat + indented) // 4) + "\n"  # two marks a subscript
    assert not may_be_deep(chain)
    text = "".join("    " * i + "if a:\n" for i in range(90)) + "    " * 90 + chain
    assert chain_room(text) == indented and may_be_deep(text)
    assert extract_source(text, "m.py").problem is None  # measured, and within every limit

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

from flaglint.extract.depth import DEPTH_LIMIT, longest_chain_line
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

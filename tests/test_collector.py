"""The fact collector's two shortcuts give exactly what libcst would.

extract/core.py replaces libcst's per-node ``getattr(self, "visit_" + name)``
with a table built once per class: the table holds every handler the
collector defines and none of libcst's no-op stubs. extract/references.py
reads a plain string literal's value without compiling it: the value is the
one ``evaluated_value`` gives, on real code.
"""

from __future__ import annotations

import inspect
import sysconfig
from pathlib import Path
from typing import List

import libcst as cst
import pytest

from flaglint.extract.core import Collector
from flaglint.extract.extract import run_deep
from flaglint.extract.references import plain_value
from flaglint.extract.visitor import FactCollector

NODE_TYPES = [value for value in vars(cst).values() if inspect.isclass(value) and issubclass(value, cst.CSTNode)]


@pytest.mark.parametrize("prefix", ["visit_", "leave_"])
def test_the_table_holds_what_getattr_dispatch_would_call(prefix):
    table = FactCollector._visitors if prefix == "visit_" else FactCollector._leavers
    for node_type in NODE_TYPES:
        name = prefix + node_type.__name__
        by_name = getattr(FactCollector, name, None)
        stub = getattr(cst.CSTVisitor, name, None)
        if by_name is None or by_name is stub:
            assert node_type not in table, name  # must not: a libcst stub is never called
        else:
            assert table[node_type] is by_name, name


def test_the_table_has_the_handlers_the_mixins_define():
    names = {f"visit_{kind.__name__}" for kind in FactCollector._visitors}
    assert {"visit_Name", "visit_Call", "visit_If", "visit_SimpleString", "visit_FunctionDef"} <= names
    assert {kind.__name__ for kind in FactCollector._leavers} == {
        "BinaryOperation",
        "ClassDef",
        "FunctionDef",
        "Lambda",
        "Return",
    }


def test_a_handler_returning_false_skips_the_children_and_none_enters_them():
    seen = []

    class Probe(Collector):
        def visit_Attribute(self, node):
            seen.append("Attribute")
            return False

        def visit_Name(self, node):
            seen.append(node.value)

    probe = Probe()
    cst.parse_module("a.b\nc\n").visit(probe)
    assert seen == ["Attribute", "c"]


def test_a_subclass_gets_its_own_table_and_leaves_its_parents_alone():
    class Louder(FactCollector):
        def visit_Name(self, node):
            return super().visit_Name(node)

    assert Louder._visitors[cst.Name] is Louder.visit_Name
    assert FactCollector._visitors[cst.Name] is not Louder.visit_Name


def test_a_handler_named_after_no_node_type_is_an_error():
    with pytest.raises(TypeError, match="visit_Nmae names no libcst node type"):

        class Typo(Collector):
            def visit_Nmae(self, node):
                pass


@pytest.mark.parametrize(
    ("literal", "plain"),
    [
        ('"app.views"', "app.views"),
        ("r'a.b'", "a.b"),
        ("U'x'", "x"),
        ('"""a\nb"""', "a\nb"),
        ('"a\\nb"', None),  # an escape: evaluated
        ('b"x"', None),  # bytes: evaluated (and then names nothing)
        ('Rb"x"', None),
        ('"""a\r\nb"""', None),  # Python reads \r\n in a literal as \n
    ],
)
def test_a_plain_string_literal_is_read_without_evaluating_it(literal, plain):
    node = cst.parse_expression(literal)
    assert plain_value(node) == plain
    if plain is not None:
        assert plain == node.evaluated_value


STDLIB = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[::20]


@pytest.mark.parametrize("path", STDLIB, ids=lambda path: path.name)
def test_plain_string_values_match_libcst_evaluated_value(path):
    strings: List[cst.SimpleString] = []

    class Strings(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            strings.append(node)

    try:
        tree = run_deep(cst.parse_module, path.read_bytes())
    except Exception:
        pytest.skip(f"{path.name} does not parse")
    run_deep(tree.visit, Strings())
    assert strings
    for node in strings:
        plain = plain_value(node)
        assert plain is None or plain == node.evaluated_value, node.value

"""Walk a libcst tree for a read-only visitor, at a fraction of libcst's cost.

``CSTNode.visit`` is built for transformers: for every node with children it
builds a new node (a dataclass ``__init__`` and its validation), and it calls
``on_visit_attribute``/``on_leave_attribute`` for every field. The fact
collector only reads, so half of extraction went into copies it threw away.

:func:`walk` calls the same ``on_visit``/``on_leave`` hooks, in the same
order libcst does (each node type's children in the order its own
``_visit_and_replace_children`` visits them, read once from libcst's source),
but builds nothing and does not descend into whitespace, comments and
punctuation, which hold no names. A node type whose order cannot be read is
visited by libcst itself, so the walk is never wrong, only slower.
tests/test_walk.py checks that facts are identical both ways on real code.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from operator import attrgetter
from typing import Callable, Dict, Optional, Tuple, Type

import libcst as cst

#: whitespace, comments and separators: they hold no name, and no fact is
#: ever placed on one (extract.positions does not record them either)
SYNTAX_ONLY = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
    cst.Comma,
    cst.Semicolon,
    cst.Colon,
    cst.Dot,
    cst.AssignEqual,
)

#: node types that hold no name, expression or statement: never entered
_LEAVES = SYNTAX_ONLY + (
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Asynchronous,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
)

#: node type -> a function returning its children's fields in visiting order
#: (an ``attrgetter``: one C call per node, not one ``getattr`` per field);
#: None: let libcst visit it
_FIELDS: Dict[type, Optional[Callable[[cst.CSTNode], tuple]]] = {}


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """Visit ``node`` and everything under it that can hold a fact."""
    kind = type(node)
    fields = _FIELDS.get(kind, _UNKNOWN)
    if fields is _UNKNOWN:
        fields = _FIELDS[kind] = _fields_of(kind)
    if fields is None:
        node.visit(visitor)
        return
    if visitor.on_visit(node):
        enters = _ENTER
        for value in fields(node):
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    enter = enters.get(type(child))
                    if enter or (enter is None and _enters(type(child))):
                        walk(child, visitor)
            else:
                enter = enters.get(kind)
                if enter or (enter is None and _enters(kind)):
                    walk(value, visitor)
    visitor.on_leave(node)


_UNKNOWN: Callable[[cst.CSTNode], tuple] = lambda node: ()  # noqa: E731


def _no_fields(node: cst.CSTNode) -> tuple:
    return ()


def _fields_of(node_type: Type[cst.CSTNode]) -> Optional[Callable[[cst.CSTNode], tuple]]:
    names = _visiting_order(node_type)
    if names is None:
        return None
    if not names:
        return _no_fields
    if len(names) == 1:
        single = attrgetter(names[0])
        return lambda node: (single(node),)
    return attrgetter(*names)


#: type -> whether the walk enters values of that type (isinstance against
#: libcst's abstract bases costs more than the whole visit of a leaf)
_ENTER: Dict[type, bool] = {}


def _enters(kind: type) -> bool:
    enter = _ENTER[kind] = issubclass(kind, cst.CSTNode) and not issubclass(kind, _LEAVES)
    return enter


def _visiting_order(node_type: Type[cst.CSTNode]) -> Optional[Tuple[str, ...]]:
    """The fields ``node_type._visit_and_replace_children`` visits, in order.

    Each is a ``visit_required/optional/sequence/...(self, "field", ...)``
    call in libcst's source; a field named any other way makes the answer
    None, and a source that cannot be read too."""
    try:
        source = textwrap.dedent(inspect.getsource(node_type._visit_and_replace_children))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("visit_")
    ]
    names = []
    for call in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
        if len(call.args) < 2 or not isinstance(call.args[1], ast.Constant) or not isinstance(call.args[1].value, str):
            return None
        names.append(call.args[1].value)
    return tuple(names)  # empty: a leaf (``return self``, ``Name(value=...)``)

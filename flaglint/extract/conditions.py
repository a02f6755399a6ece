"""Work out which names a condition tests, and which must be on for each branch.

For ``if A and not B:`` the body runs only when A is on; when the test is
false nothing about A is certain. For ``if not A:`` the else branch runs only
when A is on. The shape of a test records, for every name it tests (a leaf), whether the true
branch or the false branch can only run when that name is on. That is all the
gating analysis needs, and it follows Python's own short-circuit rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Protocol, Set

import libcst as cst

from ..facts import READ_BIT, READ_MEMBER, READ_TRUTH
from .names import dotted
from .values import literal_value

_CONSTANT_NAMES = frozenset({"True", "False", "None"})


@dataclass(frozen=True)
class Leaf:
    """A reference tested by a condition; ``other`` is the tested storage."""

    node: cst.BaseExpression
    kind: str
    other: Optional[cst.BaseExpression] = None
    #: for keyed reads (environment variables, SDK calls): what ``recognise`` found
    info: object = None


@dataclass
class Shape:
    leaves: List[Leaf] = field(default_factory=list)
    on_when_true: Set[int] = field(default_factory=set)  # leaf indices
    on_when_false: Set[int] = field(default_factory=set)
    #: other parts of the test that name a constant without setting it (the
    #: right side of ``(x & B) == B``)
    tested: List[cst.BaseExpression] = field(default_factory=list)

    def negated(self) -> "Shape":
        return Shape(self.leaves, self.on_when_false, self.on_when_true, self.tested)


class Recognised(Protocol):
    """What ``recognise`` finds (a :class:`~flaglint.extract.keyed.KeyInfo`)."""

    @property
    def negated(self) -> bool: ...


#: ``recognise(node)`` returns an object with a ``negated`` attribute when the
#: node is a keyed flag read (``os.getenv("X") == "1"``, ``client.is_on("k")``)
Recognise = Optional[Callable[[cst.BaseExpression], Optional[Recognised]]]


def analyse(node: cst.BaseExpression, recognise: Recognise = None) -> Shape:
    """The Shape of a condition expression."""
    if recognise is not None:
        info = recognise(node)
        if info is not None:
            shape = Shape([Leaf(node, READ_TRUTH, info=info)], {0})
            return shape.negated() if info.negated else shape
    handler = _HANDLERS.get(type(node))
    return handler(node, recognise) if handler else Shape()


def _reference(node: cst.BaseExpression, recognise: Recognise = None) -> Shape:
    ref = dotted(node)
    if ref is None or ref in _CONSTANT_NAMES:
        return Shape()
    return Shape([Leaf(node, READ_TRUTH)], {0})


def _unary(node: cst.UnaryOperation, recognise: Recognise = None) -> Shape:
    if isinstance(node.operator, cst.Not):
        return analyse(node.expression, recognise).negated()
    return Shape()


def _boolean(node: cst.BooleanOperation, recognise: Recognise = None) -> Shape:
    left, right = analyse(node.left, recognise), analyse(node.right, recognise)
    offset = len(left.leaves)
    shifted_true = {i + offset for i in right.on_when_true}
    shifted_false = {i + offset for i in right.on_when_false}
    shape = Shape(left.leaves + right.leaves, tested=left.tested + right.tested)
    if isinstance(node.operator, cst.And):
        shape.on_when_true = left.on_when_true | shifted_true
    else:
        shape.on_when_false = left.on_when_false | shifted_false
    return shape


def _call(node: cst.Call, recognise: Recognise = None) -> Shape:
    if dotted(node.func) == "bool" and len(node.args) == 1 and not node.args[0].keyword:
        return analyse(node.args[0].value, recognise)
    if getattr_reference(node) is not None:
        return Shape([Leaf(node, READ_TRUTH)], {0})
    return Shape()


def reference(node: cst.BaseExpression) -> Optional[str]:
    """The dotted name a node reads: ``settings.X`` as written, or the same
    for ``getattr(settings, "X", default)``."""
    return dotted(node) or getattr_reference(node)


def getattr_reference(node: cst.BaseExpression) -> Optional[str]:
    """``getattr(settings, "ENABLE_X"[, default])`` reads ``settings.ENABLE_X``
    exactly as the attribute would: the default only answers when the
    attribute is missing. A name computed at run time (``getattr(settings,
    name)``) names no attribute, and none is guessed."""
    if not isinstance(node, cst.Call) or dotted(node.func) != "getattr" or len(node.args) not in (2, 3):
        return None
    if any(arg.keyword is not None or arg.star for arg in node.args):
        return None
    receiver, name = dotted(node.args[0].value), node.args[1].value
    if receiver is None or receiver in _CONSTANT_NAMES or not isinstance(name, cst.SimpleString):
        return None
    text = name.evaluated_value
    return f"{receiver}.{text}" if isinstance(text, str) and text.isidentifier() else None


def _bit_and(node: cst.BinaryOperation, recognise: Recognise = None) -> Shape:
    if not isinstance(node.operator, cst.BitAnd):
        return Shape()
    leaves = [
        Leaf(side, READ_BIT, other)
        for side, other in ((node.left, node.right), (node.right, node.left))
        if dotted(side) is not None
    ]
    return Shape(leaves, set(range(len(leaves))))


def _comparison(node: cst.Comparison, recognise: Recognise = None) -> Shape:
    if len(node.comparisons) != 1:
        return Shape()
    target = node.comparisons[0]
    op, right = target.operator, target.comparator
    if isinstance(op, (cst.In, cst.NotIn)):
        shape = _member(node.left, right)
        return shape.negated() if isinstance(op, cst.NotIn) else shape
    if isinstance(op, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual)):
        negate = isinstance(op, (cst.IsNot, cst.NotEqual))
        shape = _equality(node.left, right, isinstance(op, (cst.Is, cst.IsNot)), recognise)
        return shape.negated() if negate else shape
    return Shape()


def _equality(left, right, identity: bool, recognise: Recognise = None) -> Shape:
    """``X is True``, ``x & B != 0``, ``(x & B) == B``, ``x is Perm.R``."""
    for side, other in ((left, right), (right, left)):
        constant = dotted(other)
        if constant in ("True", "False"):
            shape = analyse(side, recognise)
            return shape if constant == "True" else shape.negated()
        if isinstance(side, cst.BinaryOperation) and isinstance(side.operator, cst.BitAnd):
            shape = _bit_and(side)
            shape.tested.append(other)
            return shape.negated() if literal_value(other) == 0 else shape
    if identity:
        return _member(right, left) if dotted(right) else Shape()
    return Shape()


def _member(member: cst.BaseExpression, container: cst.BaseExpression) -> Shape:
    ref = dotted(member)
    if ref is None or ref in _CONSTANT_NAMES:
        return Shape()
    return Shape([Leaf(member, READ_MEMBER, container)], {0})


_HANDLERS: Dict[type, Callable[[Any, Recognise], Shape]] = {
    cst.Name: _reference,
    cst.Attribute: _reference,
    cst.UnaryOperation: _unary,
    cst.BooleanOperation: _boolean,
    cst.Call: _call,
    cst.BinaryOperation: _bit_and,
    cst.Comparison: _comparison,
}

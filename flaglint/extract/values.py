"""Evaluate the small literal expressions flags are written with.

Only what a reader can see at a glance: ``True``, ``0x20``, ``1 << 5``,
``-1``, ``(4)``. Anything else is not a literal, and a flag bound to it is
treated as set from outside (an environment read, a call, a config lookup).
"""

from __future__ import annotations

from typing import Optional, Union

import libcst as cst

_MAX_SHIFT = 4096  # refuse to build absurd integers from hostile input


def literal_value(node: cst.BaseExpression) -> Union[bool, int, None]:
    """The bool or int a literal expression denotes, else None."""
    if isinstance(node, cst.Name):
        return {"True": True, "False": False}.get(node.value)
    return int_value(node)


def int_value(node: cst.BaseExpression) -> Optional[int]:
    """The int a literal integer expression denotes, else None."""
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = int_value(node.expression)
        return None if inner is None else -inner
    if isinstance(node, cst.BinaryOperation):
        return _binary(node)
    return None


def _binary(node: cst.BinaryOperation) -> Optional[int]:
    left, right = int_value(node.left), int_value(node.right)
    if left is None or right is None:
        return None
    op = node.operator
    if isinstance(op, cst.LeftShift) and 0 <= right <= _MAX_SHIFT:
        return left << right
    if isinstance(op, cst.BitOr):
        return left | right
    if isinstance(op, cst.BitAnd):
        return left & right
    if isinstance(op, cst.BitXor):
        return left ^ right
    if isinstance(op, cst.Add):
        return left + right
    return None


def can_be_true(node: cst.BaseExpression) -> bool:
    """Whether assigning ``node`` could turn a flag on.

    Only literals that are certainly false (False, 0, None, "", empty
    containers) cannot; anything computed could.
    """
    if isinstance(node, cst.Name) and node.value in ("False", "None"):
        return False
    if isinstance(node, (cst.SimpleString,)) and node.evaluated_value in ("", b""):
        return False
    if isinstance(node, (cst.List, cst.Tuple, cst.Dict, cst.Set)) and not node.elements:
        return False
    value = int_value(node)
    return value is None or value != 0

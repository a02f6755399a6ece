"""How far a computed environment write reaches.

``os.environ[f"FASTMCP_RUNNING_{port}"] = "1"`` sets a variable whose name
is computed, but every name it can set starts with ``FASTMCP_RUNNING_``.
Treating it as "sets any variable" would mute every environment flag of the
project (FL001 could never report one), so a key is bounded as far as its
text allows: a literal is one name, an f-string, ``%``, ``+`` or
``.format`` with a literal start is a prefix, and only a key with no literal
start is unbounded. ``os.environ.update(d)`` sets the keys of ``d`` when
``d`` is a dict literal, or a name bound only to one with literal keys.

A bound is written as the name (``"X"``), or as a prefix followed by ``*``
(``"FASTMCP_RUNNING_*"``); :func:`flaglint.keys.env_write_matches` is the one place that reads it.
"""

from __future__ import annotations

from typing import Callable, Optional, Tuple

import libcst as cst

from .names import dotted

#: (is a prefix, text): ``(False, "X")`` one name, ``(True, "X_")`` a prefix
Bound = Tuple[bool, str]


def key_bound(node: Optional[cst.BaseExpression], constant: Callable[[str], Optional[str]]) -> Optional[Bound]:
    """The names a key expression can take, or None when it has no literal start."""
    if node is None:
        return None
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return (False, value) if isinstance(value, str) and value else None
    if isinstance(node, cst.FormattedString):
        return _formatted(node)
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Add):
            left = key_bound(node.left, constant)
            if left is None:
                return None
            right = key_bound(node.right, constant)
            if not left[0] and right is not None:
                return (right[0], left[1] + right[1])
            return _prefix(left[1])
        if isinstance(node.operator, cst.Modulo) and isinstance(node.left, cst.SimpleString):
            text = node.left.evaluated_value
            return _prefix(text.split("%", 1)[0]) if isinstance(text, str) else None
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method == "format" and isinstance(node.func.value, cst.SimpleString):
            text = node.func.value.evaluated_value
            return _prefix(text.split("{", 1)[0]) if isinstance(text, str) else None
        if method in ("upper", "lower") and not node.args:
            inner = key_bound(node.func.value, constant)
            return (inner[0], getattr(inner[1], method)()) if inner else None
        return None
    ref = dotted(node)
    value = constant(ref) if ref else None
    return (False, value) if value else None


def _formatted(node: cst.FormattedString) -> Optional[Bound]:
    text = ""
    for part in node.parts:
        if not isinstance(part, cst.FormattedStringText):
            return _prefix(text)
        text += part.value
    return (False, text) if text else None


def _prefix(text: str) -> Optional[Bound]:
    return (True, text) if text else None

"""Flag objects: a module-level object built with its flag's key.

edx-toggles declares a flag as ``NEW_UI = WaffleFlag("ns.new_ui", __name__)``
and reads it with ``NEW_UI.is_enabled()``: the key is given when the object
is built. Extraction records each module-level ``NAME = Callee(key, ...)``
whose key (the first positional argument or ``name=``) is a literal string,
or an f-string of literals and the module's string constants
(:class:`flaglint.facts.FlagObject`). Whether the callee is a flag class is
decided in the graph (:mod:`flaglint.graph.flag_objects`), where it resolves.
"""

from __future__ import annotations

from typing import Callable, Optional

import libcst as cst

from ..facts import FlagObject, Span
from .names import dotted


def flag_object(
    name: str, call: cst.Call, constant: Callable[[str], Optional[str]], span: Span
) -> Optional[FlagObject]:
    """The object ``name = call`` as a possible flag object, or None."""
    callee = dotted(call.func)
    if callee is None or not callee.split(".")[-1][:1].isupper():
        return None
    key_node = None
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        if (arg.keyword is None and index == 0) or (arg.keyword is not None and arg.keyword.value == "name"):
            key_node = arg.value
            break
    key = _key(key_node, constant) if key_node is not None else None
    return FlagObject(name, callee, key, span) if key else None


def _key(node: cst.BaseExpression, constant: Callable[[str], Optional[str]]) -> Optional[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString):
        parts = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
            elif (
                isinstance(part, cst.FormattedStringExpression)
                and isinstance(part.expression, cst.Name)
                and part.conversion is None
                and part.format_spec is None
                and constant(part.expression.value) is not None
            ):
                parts.append(str(constant(part.expression.value)))
            else:
                return None
        return "".join(parts)
    return None

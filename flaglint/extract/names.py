"""Spell expressions as dotted references and storage keys.

A reference is the text a reader would search for (``proto.RLP``); a field
key names the storage a bit is tested on or set in, so that constants used on
the same field can be tied into one family across modules.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .casing import is_constant_like

__all__ = ["dotted", "field_key", "is_constant_like", "keyword_field"]


def dotted(node: cst.BaseExpression) -> Optional[str]:
    """``a.b.C`` for a chain of names and attributes, else None.

    Exact type tests, not ``isinstance``: libcst's node classes are ABCs, so
    ``isinstance`` goes through ``ABCMeta.__instancecheck__``, and this runs
    for most names and attributes of every file. Parsed trees hold only
    libcst's own classes."""
    if type(node) is _NAME:
        return node.value
    parts = []
    while type(node) is _ATTRIBUTE:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not _NAME:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


_NAME, _ATTRIBUTE = cst.Name, cst.Attribute


def field_key(node: cst.BaseExpression, local_scope: str) -> Optional[str]:
    """Name the storage an expression denotes.

    Attributes are keyed by attribute name alone (``order.flags`` and
    ``self.flags`` -> ``.flags``): that is how a legacy reader and a new setter
    in different modules meet on one field. A bare name is a local variable,
    keyed by its scope so unrelated ``flags`` variables never meet.
    """
    if isinstance(node, cst.Attribute):
        return "." + node.attr.value
    if isinstance(node, cst.Name):
        return f"{local_scope}:{node.value}"
    if isinstance(node, cst.Call):
        callee = dotted(node.func)
        return f"{callee.rsplit('.', 1)[-1]}()" if callee else None
    return None


def keyword_field(name: str) -> str:
    """``Order(flags=RLP)`` stores into the attribute ``flags``."""
    return "." + name

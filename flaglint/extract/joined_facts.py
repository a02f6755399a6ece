"""Handlers for collections of keys: keys joined by a missing comma (see
:mod:`.joined`), and the key-like strings a collection lists (a key a
registrar declares and other code lists is read by code flaglint cannot
follow, see flaglint/graph/registrars.py)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..facts import JoinedKey
from ..keys import KEY_LIKE
from .core import Collector
from .joined import joined_parts
from .names import dotted


class JoinedKeys(Collector):
    """Collections of keys: lists, tuples, sets and dicts."""

    def _joined(self, node: cst.CSTNode) -> None:
        for parts, element in joined_in(node):
            self.joined_keys.append(JoinedKey(parts, self.span(element)))

    def _listed(self, values) -> None:
        for value in values:
            text = value.evaluated_value if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) else None
            if isinstance(text, str) and text not in self.listed_keys and KEY_LIKE.fullmatch(text):
                self.listed_keys[text] = self.span(value).line

    def visit_List(self, node: cst.List) -> None:
        self._joined(node)
        self._listed(element.value for element in node.elements)

    def visit_Tuple(self, node: cst.Tuple) -> None:
        self._joined(node)
        self._listed(element.value for element in node.elements)

    def visit_Set(self, node: cst.Set) -> None:
        self._joined(node)
        self._listed(element.value for element in node.elements)

    def visit_Dict(self, node: cst.Dict) -> None:
        self._joined(node)
        keyed = [element for element in node.elements if isinstance(element, cst.DictElement)]
        if not all(dotted(element.value) in ("True", "False") for element in keyed):  # a flag dict defines
            self._listed(element.key for element in keyed)


def joined_in(node: cst.CSTNode) -> List[Tuple[Tuple[str, ...], cst.ConcatenatedString]]:
    """(parts, node) of each string in the collection ``node`` that looks
    like two keys joined by a missing comma."""
    elements = _keys_of(node)
    if elements is None:
        return []
    siblings = [text for text in map(_plain, elements) if text is not None]
    candidates: List[Tuple[List[str], cst.ConcatenatedString]] = []
    for element in elements:
        if isinstance(element, cst.ConcatenatedString):
            parts = _parts(element)
            if parts is not None:
                candidates.append((parts, element))
    if not candidates:
        return []
    bools = isinstance(node, cst.Dict) and _bool_values(node)
    found = joined_parts(siblings, [parts for parts, _ in candidates], bools)
    return [(tuple(candidates[index][0]), candidates[index][1]) for index in found]


def _keys_of(node: cst.CSTNode) -> Optional[List[cst.BaseExpression]]:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [element.value for element in node.elements if isinstance(element, cst.Element)]
    if isinstance(node, cst.Dict):
        return [element.key for element in node.elements if isinstance(element, cst.DictElement)]
    return None


def _bool_values(node: cst.Dict) -> bool:
    values = [element.value for element in node.elements if isinstance(element, cst.DictElement)]
    return bool(values) and all(isinstance(value, cst.Name) and value.value in ("True", "False") for value in values)


def _plain(node: cst.BaseExpression) -> Optional[str]:
    """The text of a plain (not joined, not f-) string literal."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _parts(node: cst.BaseExpression) -> Optional[List[str]]:
    """The literal parts of a joined string, or None if one is not a plain string."""
    if isinstance(node, cst.ConcatenatedString):
        left, right = _parts(node.left), _parts(node.right)
        return left + right if left is not None and right is not None else None
    text = _plain(node)
    return [text] if text is not None else None

"""Handlers for collections of keys: keys joined by a missing comma (see
:mod:`.joined`), and the key-like strings a collection lists (a key a
registrar declares and other code lists is read by code flaglint cannot
follow, see flaglint/graph/registrars.py)."""

from __future__ import annotations

import libcst as cst

from ..facts import JoinedKey
from .core import Collector
from .joined import joined_in
from .keyed import KEY_LIKE
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

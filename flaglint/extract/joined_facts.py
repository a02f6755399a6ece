"""Handlers that record keys joined by a missing comma (see :mod:`.joined`)."""

from __future__ import annotations

import libcst as cst

from ..facts import JoinedKey
from .core import Collector
from .joined import joined_in


class JoinedKeys(Collector):
    """Collections of keys: lists, tuples, sets and dicts."""

    def _joined(self, node: cst.CSTNode) -> None:
        for parts, element in joined_in(node):
            self.joined_keys.append(JoinedKey(parts, self.span(element)))

    def visit_List(self, node: cst.List) -> None:
        self._joined(node)

    def visit_Tuple(self, node: cst.Tuple) -> None:
        self._joined(node)

    def visit_Set(self, node: cst.Set) -> None:
        self._joined(node)

    def visit_Dict(self, node: cst.Dict) -> None:
        self._joined(node)

"""Line and column of every node, as libcst's PositionProvider gives them,
for about half its cost.

PositionProvider regenerates the module's code and records where each node
starts and ends. The recording is what costs: a ``CodeRange`` and two
``CodePosition`` objects per node, a generator-based context manager for
every syntactic position, and a regular-expression split of every token.
Extraction spent about half its time there (docs/performance.md).

:func:`positions` runs the same code generation with a leaner state: plain
tuples, a slotted context manager, and a newline test before any split. The
positions are the same by construction (the same ``_codegen_impl`` methods
drive both, and the same newline rule); tests/test_positions.py compares the
two on real code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst
from libcst._add_slots import add_slots
from libcst._nodes.internal import CodegenState

from .walk import SYNTAX_ONLY

#: (start line, start column, end line, end column); lines 1-based, columns 0-based
Position = Tuple[int, int, int, int]

#: the line breaks libcst's position provider counts (not form feeds)
_NEWLINE = re.compile(r"\r\n?|\n")


def positions(module: cst.Module) -> Dict[cst.CSTNode, Position]:
    """Every node of ``module`` mapped to its syntactic position, but for
    whitespace, comments and punctuation (no fact is ever placed on one)."""
    state = _PositionState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    return state.computed


def _concrete_subclasses(bases: Tuple[type, ...]) -> FrozenSet[type]:
    found: Set[type] = set()
    pending = list(bases)
    while pending:
        kind = pending.pop()
        found.add(kind)
        pending.extend(kind.__subclasses__())
    return frozenset(found)


#: node types whose position nobody asks for (and no statement borrows as
#: its start or end, as ``from x import (a)`` does its closing parenthesis)
_UNRECORDED = _concrete_subclasses(SYNTAX_ONLY)


class _Record:
    """``with state.record_syntactic_position(node, ...)``, without a generator."""

    __slots__ = ("state", "node", "start_node", "end_node", "line", "column")

    def __init__(
        self,
        state: "_PositionState",
        node: cst.CSTNode,
        start_node: Optional[cst.CSTNode],
        end_node: Optional[cst.CSTNode],
    ) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.line, self.column = self.state.line, self.state.column

    def __exit__(self, *exc_info: object) -> None:
        state, computed = self.state, self.state.computed
        start_line, start_column = self.line, self.column
        end_line, end_column = state.line, state.column
        if self.start_node is not None:
            start_line, start_column = computed[self.start_node][:2]
        if self.end_node is not None:
            end_line, end_column = computed[self.end_node][2:]
        computed[self.node] = (start_line, start_column, end_line, end_column)


@add_slots
@dataclass(frozen=False)
class _PositionState(CodegenState):
    line: int = 1
    column: int = 0
    computed: Dict[cst.CSTNode, Position] = field(default_factory=dict)
    _stack: List[Tuple[int, int]] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:  # indents never hold a line break
            self.tokens.append(token)
            self.column += len(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = _NEWLINE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def before_codegen(self, node: cst.CSTNode) -> None:
        if type(node) not in _UNRECORDED:
            self._stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in _UNRECORDED:
            return
        line, column = self._stack.pop()
        if node not in self.computed:  # a syntactic position recorded inside wins
            self.computed[node] = (line, column, self.line, self.column)

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: Optional[cst.CSTNode] = None,
        end_node: Optional[cst.CSTNode] = None,
    ) -> _Record:
        return _Record(self, node, start_node, end_node)

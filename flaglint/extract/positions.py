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


def positions(module: cst.Module) -> "Positions":
    """Every node of ``module`` mapped to its syntactic position, but for
    whitespace, comments and punctuation (no fact is ever placed on one)."""
    state = _PositionState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    return Positions(state.computed)


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


class Positions:
    """``positions[node]``: the node's position. Stored by ``id(node)``: a
    dict keyed by the nodes themselves calls libcst's Python-level
    ``CSTNode.__hash__`` twice per node recorded. Valid while the tree is
    alive (ids are reused after it dies): extraction holds the tree for as
    long as it holds this. Only lookups are offered; the collector needs no
    more."""

    __slots__ = ("by_id",)

    def __init__(self, by_id: Dict[int, Position]) -> None:
        self.by_id = by_id

    def __getitem__(self, node: cst.CSTNode) -> Position:
        return self.by_id[id(node)]

    def __contains__(self, node: object) -> bool:
        return id(node) in self.by_id


@add_slots
@dataclass(frozen=False)
class _PositionState(CodegenState):
    line: int = 1
    column: int = 0
    computed: Dict[int, Position] = field(default_factory=dict)
    _stack: List[Tuple[int, int]] = field(default_factory=list)
    #: open ``record_syntactic_position`` blocks: (node, start node, end node, line, column)
    _records: List[Tuple[cst.CSTNode, Optional[cst.CSTNode], Optional[cst.CSTNode], int, int]] = field(
        default_factory=list
    )
    _pending: Tuple[cst.CSTNode, Optional[cst.CSTNode], Optional[cst.CSTNode]] = field(default=None)  # type: ignore[assignment]

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
        # a syntactic position recorded inside wins
        self.computed.setdefault(id(node), (line, column, self.line, self.column))

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: Optional[cst.CSTNode] = None,
        end_node: Optional[cst.CSTNode] = None,
    ) -> "_PositionState":
        """``with state.record_syntactic_position(node, ...)`` without a
        generator or an object per call: the state is its own context
        manager, and a stack holds what each open block needs."""
        self._pending = (node, start_node, end_node)
        return self

    def __enter__(self) -> None:
        node, start_node, end_node = self._pending
        self._records.append((node, start_node, end_node, self.line, self.column))

    def __exit__(self, kind: object, *exc_info: object) -> None:
        node, start_node, end_node, start_line, start_column = self._records.pop()
        if kind is not None:
            # an error inside the block (a RecursionError on a deep tree) left
            # the inner nodes unrecorded: let it pass, as it is, instead of
            # replacing it with a KeyError for a missing start or end node
            return
        computed = self.computed
        end_line, end_column = self.line, self.column
        if start_node is not None:
            start_line, start_column = computed[id(start_node)][:2]
        if end_node is not None:
            end_line, end_column = computed[id(end_node)][2:]
        computed[id(node)] = (start_line, start_column, end_line, end_column)

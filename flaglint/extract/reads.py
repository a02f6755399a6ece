"""Reads and gates: which flags a condition tests, and what they gate.

``if A and not B:`` reads A and B; the body runs only when A is on, so every
reference inside it is guarded by that read. ``if not FLAG: return`` gates
the rest of its block. A constant named outside a test is a use (what keeps
a flag alive, or feeds a field).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import libcst as cst

from ..facts import (
    CALL_PREFIX,
    READ_TRUTH,
    UNKNOWN_RECEIVER,
    DynamicKey,
    Read,
    Span,
    Use,
)
from ..keys import sdk_key
from . import conditions, registries
from .core import Pending
from .keyed import KeyInfo
from .names import dotted, field_key, is_constant_like
from .wrappers import Wrappers


class Reads(Wrappers):
    """Handlers for tests (``if``, ``while``, ``x if c else y``, ``and``/``or``) and uses."""

    def visit_Module(self, node: cst.Module) -> None:
        self._note_guard_clauses(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._note_guard_clauses(node.body)

    def _note_guard_clauses(self, statements: Sequence[cst.BaseStatement]) -> None:
        """``if not FLAG: return`` gates everything after it in the block."""
        for index, statement in enumerate(statements[:-1]):
            if isinstance(statement, cst.If) and statement.orelse is None and _terminates(statement.body):
                self._rest_after[id(statement)] = tuple(statements[index + 1 :])

    def visit_If(self, node: cst.If) -> None:
        self._gate(node.test, node.body, node.orelse or self._rest_after.get(id(node)))

    def visit_While(self, node: cst.While) -> None:
        self._gate(node.test, node.body, None)

    def visit_MatchCase(self, node: cst.MatchCase) -> None:
        """``case P if FLAG:``: the guard is a test, and the case body runs
        only when it holds (a false guard falls through to the next case)."""
        if node.guard is not None:
            self._gate(node.guard, node.body, None)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._gate(node.test, node.body, node.orelse)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if id(node) in self._consumed:
            return
        shape = conditions.analyse(node.left, self._recognise)
        if isinstance(node.operator, cst.Or):
            shape = shape.negated()
        self._record_shape(shape, node.right, None)
        self._mark_consumed(node.left)

    def _recognise(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        info = self.keyed.environment(node) or self.keyed.sdk(node)
        if info is None and id(node) not in self._keyed_nodes:
            info = self._config_read(node) or self._possible_wrapper_call(node)
        if info is not None:
            self._keyed_nodes.add(id(node))
        return info

    def _config_read(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        """``app.config["FLAGS"]["K"]`` read, not stored (see :func:`registries.config_read`);
        a parameter returned from it is a wrapper's lookup, not a read."""
        returned = [name for name, _ in self.frame.params] if self._returns > 0 else []
        return None if id(node) in self._stores else registries.config_read(node, self.keyed, returned)

    def _gate(self, test, on_true, on_false) -> None:
        self._record_shape(conditions.analyse(test, self._recognise), on_true, on_false)
        self._mark_consumed(test)

    def _record_shape(self, shape: conditions.Shape, on_true, on_false) -> None:
        spans = {True: self._region(on_true), False: self._region(on_false)}
        by_branch: Dict[bool, List[int]] = {True: [], False: []}
        for index, leaf in enumerate(shape.leaves):
            branch = True if index in shape.on_when_true else False if index in shape.on_when_false else None
            read_index = self._add_read(leaf, spans.get(branch) if branch is not None else None)
            if branch is not None and read_index is not None:
                by_branch[branch].append(read_index)
            self._skip_use.add(id(leaf.node))
        self._skip_use.update(id(node) for node in shape.tested)
        for branch, region in ((True, on_true), (False, on_false)):
            if region is not None and by_branch[branch]:
                for node in region if isinstance(region, tuple) else (region,):
                    self._gate_starts[id(node)] = self._gate_starts.get(id(node), ()) + tuple(by_branch[branch])

    def _region(self, node) -> Optional[Span]:
        if node is None:
            return None
        if isinstance(node, tuple):  # the statements after a guard clause
            first, last = self.span(node[0]), self.span(node[-1])
            return Span(first.line, first.column, last.end_line, last.end_column)
        if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.Else)):
            return self.block_span(node)
        return self.span(node)

    def _mark_consumed(self, test: cst.BaseExpression) -> None:
        """Boolean operators inside a test are part of the test, not gates."""
        stack = [test]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.BooleanOperation):
                self._consumed.add(id(node))
                stack.extend((node.left, node.right))
            elif isinstance(node, cst.UnaryOperation):
                stack.append(node.expression)

    def _add_keyed_read(self, node: cst.CSTNode, info: KeyInfo, gate: Optional[Span]) -> Optional[int]:
        if info.callee:  # a possible wrapper call: kept for the graph to match
            return self._add_truth_read(
                CALL_PREFIX + info.callee, node, gate, call_args=info.call_args, root=info.callee.split(".")[0]
            )
        if info.key is None and info.key_ref:  # an imported constant: the graph resolves it
            return self._add_truth_read(
                sdk_key(info.provider, ""), node, gate, default_on=info.default_on, key_ref=info.key_ref
            )
        if info.key is None:
            self.dynamic_keys.append(DynamicKey(info.provider, info.api, info.expression, self.span(node), self.scope))
            return None
        return self._add_truth_read(info.key, node, gate, default_on=info.default_on)

    def _add_read(self, leaf: conditions.Leaf, gate: Optional[Span]) -> Optional[int]:
        if isinstance(leaf.info, KeyInfo):
            return self._add_keyed_read(leaf.node, leaf.info, gate)
        if isinstance(leaf.node, cst.Attribute) and leaf.kind == READ_TRUTH:
            self._chain_gates[id(leaf.node)] = gate  # a settings field's test (see settings.py)
        written = conditions.reference(leaf.node)
        if written is None:
            return None
        ref = self._normalise(written)
        if ref is None:
            return None
        fld = field_key(leaf.other, self.scope) if leaf.other is not None else None
        overridable = written.split(".")[0] in ("self", "cls")
        read = Read(ref, leaf.kind, self.span(leaf.node), self.scope, fld, gate, self.guards, overridable)
        self.reads.append(Pending(read, ref.split(".")[0], self._function_frames()))
        return len(self.reads) - 1

    def visit_Attribute(self, node: cst.Attribute) -> Optional[bool]:
        self._note_chain(node)
        ref = dotted(node)
        if ref is None:  # ``f().send``, ``x[0].send``: an attribute of an unknown object
            self._note_reference(UNKNOWN_RECEIVER + node.attr.value)
            self._skip_name(node.attr)
            return True
        self._note_reference(self._attribute_reference(ref))
        if id(node) not in self._skip_use:
            self._add_use(ref, node)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip_ref:
            self._note_reference(node.value)
        if id(node) not in self._skip_use:
            self._add_use(node.value, node)

    def _add_use(self, ref: str, node: cst.CSTNode) -> None:
        if not is_constant_like(ref):
            return
        normal = self._normalise(ref)
        if normal is None:
            return
        ref = self._class_local(normal)
        fld, bitwise = self._fields.get(id(node), (None, False))
        use = Use(
            ref,
            self.span(node),
            self.scope,
            fld,
            bitwise or self._mask_depth > 0,
            self.guards,
            argument=id(node) in self._argument_values,
        )
        self.uses.append(Pending(use, ref.split(".")[0], self._function_frames()))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, (cst.BitOr, cst.BitXor)):
            self._mask_depth += 1
            if id(node) in self._fields:  # ``flags = A | B`` stores A and B in flags
                key, _ = self._fields[id(node)]
                self._fields[id(node.left)] = self._fields[id(node.right)] = (key, True)

    def leave_BinaryOperation(self, original_node: cst.BinaryOperation) -> None:
        if isinstance(original_node.operator, (cst.BitOr, cst.BitXor)):
            self._mask_depth -= 1


_EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)


def _terminates(body: cst.BaseSuite) -> bool:
    """Whether a block always leaves (ends in return/raise/continue/break)."""
    last = body.body[-1] if body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, _EXITS)

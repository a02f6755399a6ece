"""The libcst codemod behind ``flaglint fix``: bake a flag's value into the
code that tests it, then simplify what that decides.

Two transformers share one way of editing blocks of statements:

- :class:`BakeTransformer` replaces exactly the flag reads the graph located
  (matched by position, never by name), folds the tests they decide
  (``not``, ``and``/``or``, ``bool()``, comparisons, bit tests, conditional
  expressions) and then the statements (``if``/``elif``/``else``, ``while``,
  code after a guard clause that now always leaves);
- :class:`RemoveTransformer` removes definitions, functions and imports the
  cascade found unreferenced.

Every handler returns an updated node; bytes outside the edited statements
are untouched because libcst round-trips everything else exactly. A
statement that goes away is registered as a :class:`Splice` and the
enclosing block (or module) rebuilds its body in one place, which is where
comments and blank lines are moved or dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union

import libcst as cst
from libcst.metadata import PositionProvider

from ..extract.names import dotted
from ..extract.values import literal_value
from ..facts import READ_BIT, READ_MEMBER, READ_TRUTH, Span

_EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)
#: results that never need the parentheses of the construct they replace
_ATOMS = (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Call, cst.Attribute, cst.Subscript)
#: physical lines, as libcst numbers them (after \n, \r\n or a lone \r)
_LINES = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")
_SPACE = frozenset(" \t\f\r\n\\")

#: a node handed back as it came in (registered, or with its separator moved)
_Node = TypeVar("_Node", bound=cst.CSTNode)


@dataclass(frozen=True)
class Target:
    """One read to rewrite: where it is, how it tests, what value to bake in."""

    span: Span
    kind: str  # READ_TRUTH / READ_BIT / READ_MEMBER
    value: bool
    flag: str  # display name, for messages


@dataclass(frozen=True)
class Known:
    """What the fold knows about an expression node that replaced a test.

    ``exact``: the node is a literal standing for the exact value (``False``
    for a bool flag, ``0`` for ``flags & DEAD_BIT``), so it may stay in the
    code. ``bit``: the constant of a bit test, as written, for ``== BIT``.
    """

    truth: bool
    exact: bool = True
    bit: Optional[str] = None


@dataclass(frozen=True)
class Note:
    line: int
    column: int
    message: str


@dataclass
class Splice:
    """What a statement becomes in its block: nothing, or other statements."""

    statements: List[cst.BaseStatement] = field(default_factory=list)
    leading: List[cst.EmptyLine] = field(default_factory=list)  # before the first statement
    trailing: List[cst.EmptyLine] = field(default_factory=list)  # after the last (inlined block footers)
    terminates: bool = False  # the last statement always leaves the block


class StatementEditor(cst.CSTTransformer):
    """Removes and inlines statements, keeping comments and spacing sensible.

    A statement removed outright loses the comment lines directly above it
    (they describe it); lines separated from it by a blank line are kept for
    the next statement. Inlined statements keep their own comments, and the
    removed header's comments (``else:  # why``) go above the first of them.
    A block left empty gets ``pass``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.splices: Dict[int, Splice] = {}
        self.emptied: Set[int] = set()  # blocks this edit left holding only ``pass``
        self._alive: List[object] = []  # nodes whose id() is a key above

    def _splice(self, node: _Node, splice: Splice) -> _Node:
        self.splices[id(node)] = splice
        self._alive.append(node)
        return node

    def _remove(self, node: _Node) -> _Node:
        return self._splice(node, Splice())

    # ------------------------------------------------------------- blocks
    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body, footer, changed = self._rebuild(updated_node.body, updated_node.footer)
        if not changed:
            return updated_node
        emptied = not body
        if emptied:
            body = [cst.SimpleStatementLine([cst.Pass()])]
        block = updated_node.with_changes(body=body, footer=footer)
        if emptied:
            self.emptied.add(id(block))
            self._alive.append(block)
        return block

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body, footer, changed = self._rebuild(
            updated_node.body, updated_node.footer, bool(_comment_lines(updated_node.header))
        )
        if not changed:
            return updated_node
        if not body and not _comment_lines([*updated_node.header, *footer]):
            return updated_node.with_changes(body=(), header=(), footer=(), has_trailing_newline=False)  # "", not "\n"
        return updated_node.with_changes(body=body, footer=footer)

    def _rebuild(
        self, body: Sequence[cst.BaseStatement], footer: Sequence[cst.EmptyLine], after_header: bool = False
    ) -> Tuple[Sequence[cst.BaseStatement], Sequence[cst.EmptyLine], bool]:
        """The block's statements with the splices applied; ``after_header``:
        something (a module's header comments) precedes the first statement,
        so its blank lines stay."""
        out: List[cst.BaseStatement] = []
        carry: List[cst.EmptyLine] = []
        changed = unreachable = False
        column = None  # of the trailing comment of the statement just removed
        for statement in body:
            if unreachable:  # after an inlined return/raise/continue/break
                continue
            splice = self.splices.get(id(statement))
            leading = _without_continuation(_leading_lines(statement), column)
            column = None
            if splice is None:
                out.append(_place(statement, leading, carry, changed and not out and not after_header))
                carry = []
                continue
            at_start = changed and not out and not after_header
            changed = True
            if not splice.statements:
                carry = [*carry, *_detached(leading)]
                column = _trailing_comment_column(statement)
                continue
            first, *rest = splice.statements
            lines = [*leading, *splice.leading, *_leading_lines(first)]
            out.append(_place(first, lines, carry, at_start))
            out.extend(rest)
            carry = list(splice.trailing)
            unreachable = splice.terminates
        if not changed:
            return body, footer, False
        kept = carry if any(line.comment is not None for line in carry) else []
        return out, [*kept, *_without_continuation(footer, column)], True


def _place(
    statement: cst.BaseStatement, lines: Sequence[cst.EmptyLine], carry: Sequence[cst.EmptyLine], at_start: bool
) -> cst.BaseStatement:
    """``statement`` with ``lines`` above it, after what a removed statement left."""
    if carry and all(_blank(line) for line in carry) and lines and _blank(lines[0]):
        combined = list(lines)  # the statement's own spacing wins
    else:
        combined = [*carry, *lines]
    if at_start:
        while combined and _blank(combined[0]):
            combined.pop(0)
    if tuple(combined) == tuple(_leading_lines(statement)):
        return statement
    return statement.with_changes(leading_lines=combined)


def _leading_lines(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The comment and blank lines above a statement. Every statement libcst
    makes is a simple statement line or a compound statement, which both
    have them; their common base class does not declare them."""
    if isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return statement.leading_lines
    raise TypeError(f"not a libcst statement: {type(statement).__name__}")


def _blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def _detached(lines: Sequence[cst.EmptyLine]) -> List[cst.EmptyLine]:
    """The lines above a removed statement that are not about it: everything
    up to the last blank line (comments right above it go with it)."""
    last_blank = max((index for index, line in enumerate(lines) if _blank(line)), default=-1)
    return list(lines[: last_blank + 1])


def _trailing_comment_column(statement: cst.BaseStatement) -> Optional[int]:
    """Where the comment ending a one-line statement starts, relative to
    its block's indentation (``X = False  # why``), else None. Not for a
    statement over several lines: libcst keeps the indentation inside
    brackets as written, so only its first line is relative."""
    if not isinstance(statement, cst.SimpleStatementLine) or statement.trailing_whitespace.comment is None:
        return None
    line = cst.Module([]).code_for_node(statement.with_changes(leading_lines=())).rstrip("\r\n")
    if "\n" in line or "\r" in line:
        return None
    return len(line) - len(statement.trailing_whitespace.comment.value)


def _without_continuation(lines: Sequence[cst.EmptyLine], column: Optional[int]) -> List[cst.EmptyLine]:
    """``lines`` less the comment lines that continue a removed statement's
    trailing comment: directly below it and starting in the same column::

        yaccdevel = False   # Set to True if developing yacc.  This turns
                            # off optimized implementations.
    """
    lines = list(lines)
    if column is None:
        return lines
    index = 0
    while (
        index < len(lines)
        and lines[index].comment is not None
        and lines[index].indent
        and len(lines[index].whitespace.value) == column
    ):
        index += 1
    return lines[index:]


def _comment_lines(lines: Sequence[cst.EmptyLine]) -> List[cst.EmptyLine]:
    return [line for line in lines if line.comment is not None]


def _header_comment(block: cst.BaseSuite) -> List[cst.EmptyLine]:
    """``else:  # why`` -> a ``# why`` line, to go above the inlined body."""
    header = block.header if isinstance(block, cst.IndentedBlock) else None
    if header is not None and header.comment is not None:
        return [cst.EmptyLine(comment=header.comment)]
    return []


def _is_plain_pass(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Pass)
        and statement.trailing_whitespace.comment is None
        and not _comment_lines(statement.leading_lines)
    )


def _terminates(statements: Sequence[cst.BaseStatement]) -> bool:
    last = statements[-1] if statements else None
    return isinstance(last, cst.SimpleStatementLine) and bool(last.body) and isinstance(last.body[-1], _EXITS)


# ----------------------------------------------------------------- purity


def pure(node: cst.CSTNode) -> bool:
    """Whether evaluating ``node`` can be skipped without changing behaviour:
    names, attributes, literals and operators over them. Calls, ``await``,
    ``yield``, walrus, subscripts and f-strings are not."""
    if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis, cst.Lambda)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return pure(node.left) and pure(node.right)
    if isinstance(node, cst.Attribute):
        return pure(node.value)
    if isinstance(node, cst.UnaryOperation):
        return pure(node.expression)
    if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
        return pure(node.left) and pure(node.right)
    if isinstance(node, cst.Comparison):
        return pure(node.left) and all(pure(target.comparator) for target in node.comparisons)
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return all(not isinstance(element, cst.StarredElement) and pure(element.value) for element in node.elements)
    return False


# ------------------------------------------------------------------ baking


class BakeTransformer(StatementEditor):
    """Replace the reads in ``targets`` by their value and fold what follows."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, targets: Sequence[Target], text: str = "") -> None:
        super().__init__()
        self._text = text
        self._starts = [0]  # offset of each line, numbered as libcst numbers them
        for piece in _LINES.split(text)[:-1]:
            self._starts.append(self._starts[-1] + len(piece))
        self.targets: Dict[Tuple[int, int, int, int], Target] = {_key(target.span): target for target in targets}
        self.found: Set[Target] = set()
        self.known: Dict[int, Known] = {}
        self.inexact: List[Tuple[cst.CSTNode, Target]] = []  # bit tests kept in the code (value true)
        self.notes: List[Note] = []
        self._tests: Set[int] = set()  # expressions whose truth is all that matters
        self._elifs: Set[int] = set()

    # ---------------------------------------------------------- helpers
    def _position(self, node: cst.CSTNode) -> Tuple[int, int, int, int]:
        code_range = self.get_metadata(PositionProvider, node)
        return (code_range.start.line, code_range.start.column + 1, code_range.end.line, code_range.end.column + 1)

    def _target(self, node: cst.CSTNode, kind: str) -> Optional[Target]:
        if not self.targets:
            return None
        target = self.targets.get(self._position(node))
        if target is not None and target.kind == kind:
            self.found.add(target)
            return target
        return None

    def _know(self, node: _Node, known: Optional[Known]) -> _Node:
        if known is not None:
            self.known[id(node)] = known
            self._alive.append(node)
        return node

    def _literal(self, truth: bool, parent: cst.CSTNode, original: Optional[cst.CSTNode] = None) -> cst.Name:
        """``True``/``False`` in place of ``parent``; with ``original`` (a
        folded construct, not a read) its parentheses go when they can."""
        node = cst.Name("True" if truth else "False")
        if original is None or not self._parens_removable(node, original):
            node = node.with_changes(lpar=getattr(parent, "lpar", ()), rpar=getattr(parent, "rpar", ()))
        return self._know(node, Known(truth))

    def _adopt(
        self, result: cst.BaseExpression, parent: cst.BaseExpression, original: cst.CSTNode
    ) -> cst.BaseExpression:
        """``result`` where ``parent`` was: it keeps parent's parentheses if
        it has none of its own, unless they are plainly redundant
        (``(960 if F else 1200)`` -> ``960``, ``(x if F else y).z`` -> ``y.z``)."""
        if (
            getattr(parent, "lpar", None)
            and not getattr(result, "lpar", None)
            and not self._parens_removable(result, original)
        ):
            known = self.known.get(id(result))
            result = result.with_changes(lpar=parent.lpar, rpar=parent.rpar)
            self._know(result, known)
        return result

    def _parens_removable(self, result: cst.CSTNode, original: cst.CSTNode) -> bool:
        """Whether ``original``'s parentheses can be dropped around ``result``:
        ``result`` is one token-like unit on one line, no comment sits inside
        the parentheses, and no name, keyword or number touches them from
        outside (``if(a and F):``, ``(x)else``, ``(960).bit_length()``)."""
        lpar, rpar = len(getattr(original, "lpar", ())), len(getattr(original, "rpar", ()))
        if not lpar:
            return True
        if not isinstance(result, _ATOMS) or "\n" in _code(result, limit=None) or not self._text:
            return False
        line, column, end_line, end_column = self._position(original)
        start = self._starts[line - 1] + column - 1
        end = self._starts[end_line - 1] + end_column - 1
        text = self._text
        for _ in range(lpar):  # back over whitespace to each "("
            start -= 1
            while start >= 0 and text[start] in _SPACE:
                start -= 1
            if start < 0 or text[start] != "(":
                return False  # a comment, or not a parenthesis of this node
        for _ in range(rpar):
            while end < len(text) and text[end] in _SPACE:
                end += 1
            if end >= len(text) or text[end] != ")":
                return False
            end += 1
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if _word(before) or _word(after):
            return False
        return not (after == "." and isinstance(result, (cst.Integer, cst.Float, cst.Imaginary)))

    def _note(self, node: cst.CSTNode, message: str) -> None:
        line, column, _, _ = self._position(node)
        self.notes.append(Note(line, column, message))

    # ---------------------------------------------------------- contexts
    def visit_If(self, node: cst.If) -> None:
        self._tests.add(id(node.test))
        if isinstance(node.orelse, cst.If):
            self._elifs.add(id(node.orelse))

    def visit_While(self, node: cst.While) -> None:
        self._tests.add(id(node.test))

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._tests.add(id(node.test))

    def visit_Assert(self, node: cst.Assert) -> None:
        self._tests.add(id(node.test))

    def visit_MatchCase(self, node: cst.MatchCase) -> None:
        if node.guard is not None:
            self._tests.add(id(node.guard))

    def visit_CompIf(self, node: cst.CompIf) -> None:
        self._tests.add(id(node.test))

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._tests.add(id(node.expression))

    def visit_Call(self, node: cst.Call) -> None:
        if _is_bool_call(node):
            self._tests.add(id(node.args[0].value))

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if id(node) in self._tests:
            self._tests.update((id(node.left), id(node.right)))

    # ------------------------------------------------------------- reads
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._truth_read(original_node, updated_node)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        return self._truth_read(original_node, updated_node)

    def _truth_read(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        target = self._target(original, READ_TRUTH)
        if target is None:
            return updated
        return self._literal(target.value, updated)

    def leave_BinaryOperation(
        self, original_node: cst.BinaryOperation, updated_node: cst.BinaryOperation
    ) -> cst.BaseExpression:
        if not isinstance(original_node.operator, cst.BitAnd):
            return updated_node
        for side in (original_node.left, original_node.right):
            target = self._target(side, READ_BIT) if dotted(side) is not None else None
            if target is None:
                continue
            bit = dotted(side)
            if not target.value:  # the bit is never set: ``flags & BIT`` is 0
                zero = cst.Integer("0", lpar=updated_node.lpar, rpar=updated_node.rpar)
                return self._know(zero, Known(False, True, bit))
            self.inexact.append((updated_node, target))
            return self._know(updated_node, Known(True, False, bit))
        return updated_node

    def leave_Comparison(self, original_node: cst.Comparison, updated_node: cst.Comparison) -> cst.BaseExpression:
        if len(updated_node.comparisons) != 1:
            return updated_node
        operator = original_node.comparisons[0].operator
        member = None
        if isinstance(operator, (cst.In, cst.NotIn)):
            member = original_node.left
        elif isinstance(operator, (cst.Is, cst.IsNot)):
            member = original_node.comparisons[0].comparator
        if member is not None and dotted(member) is not None:
            target = self._target(member, READ_MEMBER)
            if target is not None:
                negated = isinstance(operator, (cst.NotIn, cst.IsNot))
                return self._literal(target.value != negated, updated_node, original_node)
        truth = self._compare(updated_node.left, operator, updated_node.comparisons[0].comparator)
        return updated_node if truth is None else self._literal(truth, updated_node, original_node)

    def _compare(self, left: cst.BaseExpression, operator: cst.BaseCompOp, right: cst.BaseExpression) -> Optional[bool]:
        """Fold ``X is True``, ``X == False``, ``flags & B == B``, ``flags & B != 0``."""
        equal = isinstance(operator, (cst.Equal, cst.Is))
        if not (equal or isinstance(operator, (cst.NotEqual, cst.IsNot))):
            return None
        for side, other in ((left, right), (right, left)):
            known = self.known.get(id(side))
            if known is None:
                continue
            if known.bit is None:
                constant = _bool_constant(other, self.known)
                if known.exact and constant is not None:
                    return (known.truth == constant) == equal
                continue
            if isinstance(operator, (cst.Is, cst.IsNot)):
                continue
            if id(other) not in self.known and literal_value(other) == 0:
                return (not known.truth) == equal
            if dotted(other) == known.bit:
                return known.truth == equal
        return None

    # ------------------------------------------------------- expressions
    def leave_UnaryOperation(
        self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
    ) -> cst.BaseExpression:
        known = self.known.get(id(updated_node.expression))
        if isinstance(updated_node.operator, cst.Not) and known is not None:
            return self._literal(not known.truth, updated_node, original_node)
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if _is_bool_call(updated_node):
            known = self.known.get(id(updated_node.args[0].value))
            if known is not None:
                return self._literal(known.truth, updated_node, original_node)
        return updated_node

    def leave_BooleanOperation(
        self, original_node: cst.BooleanOperation, updated_node: cst.BooleanOperation
    ) -> cst.BaseExpression:
        left, right = updated_node.left, updated_node.right
        known_left, known_right = self.known.get(id(left)), self.known.get(id(right))
        is_and = isinstance(updated_node.operator, cst.And)
        if known_left is not None:
            # Python's own short circuit: ``False and e`` is False, ``True and e`` is e.
            keep_left = known_left.truth != is_and
            return self._adopt(left if keep_left else right, updated_node, original_node)
        if known_right is None or id(original_node) not in self._tests:
            return updated_node
        # Only truth matters here: ``e and False`` is false, ``e or False`` is e.
        if known_right.truth != is_and:
            if not pure(left):
                self._note(original_node, f"kept `{_code(updated_node)}`: `{_code(left)}` may have side effects")
                return updated_node
            return self._literal(known_right.truth, updated_node, original_node)
        return self._adopt(left, updated_node, original_node)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        known = self.known.get(id(updated_node.test))
        if known is None:
            return updated_node
        return self._adopt(updated_node.body if known.truth else updated_node.orelse, updated_node, original_node)

    def leave_CompFor(self, original_node: cst.CompFor, updated_node: cst.CompFor) -> cst.CompFor:
        """``[x for x in y if True]``: the condition filters nothing."""
        ifs = [
            test for test in updated_node.ifs if not (id(test.test) in self.known and self.known[id(test.test)].truth)
        ]
        return updated_node.with_changes(ifs=ifs) if len(ifs) != len(updated_node.ifs) else updated_node

    # -------------------------------------------------------- statements
    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.BaseStatement:
        node = updated_node
        orelse = node.orelse
        if isinstance(orelse, cst.If) and id(orelse.test) in self.known:
            if self.known[id(orelse.test)].truth:  # ``elif True: Y`` -> ``else: Y``
                orelse = cst.Else(
                    body=orelse.body,
                    leading_lines=orelse.leading_lines,
                    whitespace_before_colon=orelse.whitespace_after_test,
                )
            else:  # ``elif False: Y ...`` -> what followed it
                orelse = orelse.orelse
        if isinstance(orelse, cst.Else) and id(orelse.body) in self.emptied:
            orelse = None
        if orelse is not node.orelse:
            node = node.with_changes(orelse=orelse)  # same test node: what is known about it still holds
        if id(original_node) in self._elifs:
            return node  # the enclosing ``if`` decides what happens to an ``elif``
        known = self.known.get(id(node.test))
        if known is None:
            if id(node.body) in self.emptied and node.orelse is None and pure(node.test):
                return self._remove(node)
            return node
        if known.truth:
            return self._splice(node, _inline(node.body, self.emptied))
        if node.orelse is None:
            return self._remove(node)
        if isinstance(node.orelse, cst.Else):
            splice = _inline(node.orelse.body, self.emptied)
            splice.leading = [*_comment_lines(node.orelse.leading_lines), *splice.leading]
            return self._splice(node, splice)
        promoted = node.orelse  # ``if False: X elif b: Y`` -> ``if b: Y``
        return self._splice(node, Splice([promoted]))

    def leave_Match(self, original_node: cst.Match, updated_node: cst.Match) -> cst.BaseStatement:
        """``case P if False:`` never runs: the case goes; ``case P if True:``
        is ``case P:``. A match left without a case still evaluates its
        subject, unless that has no side effects (then it goes too)."""
        cases: List[cst.MatchCase] = []
        for case in updated_node.cases:
            known = self.known.get(id(case.guard)) if case.guard is not None else None
            if known is None:
                cases.append(case)
            elif known.truth:
                cases.append(
                    case.with_changes(
                        guard=None,
                        whitespace_before_if=cst.SimpleWhitespace(""),
                        whitespace_after_if=cst.SimpleWhitespace(""),
                    )
                )
        if len(cases) == len(updated_node.cases) and all(a is b for a, b in zip(cases, updated_node.cases)):
            return updated_node
        if cases:
            return updated_node.with_changes(cases=cases)
        if pure(updated_node.subject):
            return self._remove(updated_node)
        subject = cst.SimpleStatementLine([cst.Expr(updated_node.subject)])
        return self._splice(updated_node, Splice([subject]))

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.BaseStatement:
        known = self.known.get(id(updated_node.test))
        if known is None or known.truth:
            return updated_node
        if updated_node.orelse is None:
            return self._remove(updated_node)
        return self._splice(updated_node, _inline(updated_node.orelse.body, self.emptied))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        body = self._drop_decided(updated_node.body)
        if body is None:
            return updated_node
        return updated_node.with_changes(body=body) if body else self._remove(updated_node)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.BaseSuite:
        body = self._drop_decided(updated_node.body)
        return updated_node if body is None else updated_node.with_changes(body=body or [cst.Pass()])

    def _drop_decided(self, body: Sequence[cst.BaseSmallStatement]) -> Optional[List[cst.BaseSmallStatement]]:
        """Small statements the bake made pointless: a bare ``False`` left by
        ``FLAG and f()``, ``assert True``. None when nothing is dropped."""
        kept = [None if self._pointless(small) else small for small in body]
        if all(small is not None for small in kept):
            return None
        if all(small is None for small in kept):
            return []
        return _close(kept, body, "semicolon")

    def _pointless(self, small: cst.BaseSmallStatement) -> bool:
        if isinstance(small, cst.Expr):
            known = self.known.get(id(small.value))
            return known is not None and known.exact
        if isinstance(small, cst.Assert):
            known = self.known.get(id(small.test))
            return known is not None and known.truth
        return False


def _inline(block: cst.BaseSuite, emptied: Set[int]) -> Splice:
    """The statements of ``block``, ready to stand in the enclosing block."""
    statements: List[cst.BaseStatement]
    if isinstance(block, cst.SimpleStatementSuite):
        line = cst.SimpleStatementLine(body=block.body, trailing_whitespace=block.trailing_whitespace)
        statements = [] if _is_plain_pass(line) else [line]
        return Splice(statements, terminates=_terminates(statements))
    if not isinstance(block, cst.IndentedBlock):  # libcst has no third kind of block
        raise TypeError(f"not a libcst block: {type(block).__name__}")
    statements = [] if id(block) in emptied else list(block.body)
    if len(statements) == 1 and _is_plain_pass(statements[0]):
        statements = []
    return Splice(statements, _header_comment(block), list(block.footer), _terminates(statements))


def _close(items: Sequence[Optional[_Node]], original: Sequence[_Node], separator: str) -> List[_Node]:
    """``items`` without the removed ones (None); when the last one went, the
    new last takes its separator (``;``/``,`` or none, with its whitespace:
    the newline before a closing parenthesis)."""
    kept = [item for item in items if item is not None]
    if items[-1] is None:
        kept[-1] = kept[-1].with_changes(**{separator: getattr(original[-1], separator)})
    return kept


def _is_bool_call(node: cst.Call) -> bool:
    return (
        dotted(node.func) == "bool" and len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star
    )


def _bool_constant(node: cst.BaseExpression, known: Dict[int, Known]) -> Optional[bool]:
    if id(node) in known:
        entry = known[id(node)]
        return entry.truth if entry.exact and entry.bit is None else None
    name = dotted(node)
    return {"True": True, "False": False}.get(name) if name else None


def _word(char: str) -> bool:
    return bool(char) and (char.isalnum() or char == "_")


def _key(span: Span) -> Tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


def _code(node: cst.CSTNode, limit: Optional[int] = 60) -> str:
    text = cst.Module([]).code_for_node(node)
    if limit is None:
        return text
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def remaining(module: cst.Module, nodes: Sequence[cst.CSTNode]) -> List[cst.CSTNode]:
    """Which of ``nodes`` are still part of ``module``."""
    wanted = {id(node): node for node in nodes}
    if not wanted:
        return []
    present: List[cst.CSTNode] = []

    class _Find(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if id(node) in wanted:
                present.append(node)
            return True

    module.visit(_Find())
    return present


# ---------------------------------------------------------------- removing


class RemoveTransformer(StatementEditor):
    """Remove named definitions, functions and imports from one module.

    ``definitions``: module- or class-level names (``"X"``, ``"Config.X"``)
    bound by a simple ``X = ...`` / ``X: T = ...`` statement;
    ``functions``: qualified names of ``def`` and ``class`` statements; ``imports``: names
    bound by unconditional ``import``/``from ... import`` statements outside
    any function (a function's own import binds its local).
    """

    def __init__(self, definitions: Set[str], functions: Set[str], imports: Set[str]) -> None:
        super().__init__()
        self.definitions, self.functions, self.imports = definitions, functions, imports
        self.removed: List[Tuple[str, str]] = []  # (kind, name)
        self._scopes: List[Tuple[str, str]] = []  # (kind, qualname)
        self._conditional = 0

    def _qualname(self, name: str) -> str:
        return f"{self._scopes[-1][1]}.{name}" if self._scopes else name

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.append(("class", self._qualname(node.name.value)))

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.BaseStatement:
        _, qualname = self._scopes.pop()
        if qualname in self.functions:  # a dead class goes like a dead function
            self.removed.append(("class", qualname))
            return self._remove(updated_node)
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(("function", self._qualname(node.name.value)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.BaseStatement:
        _, qualname = self._scopes.pop()
        if qualname in self.functions:
            self.removed.append(("function", qualname))
            return self._remove(updated_node)
        return updated_node

    def visit_Try(self, node: Union[cst.Try, cst.TryStar]) -> None:
        self._conditional += 1

    def leave_Try(
        self, original_node: Union[cst.Try, cst.TryStar], updated_node: Union[cst.Try, cst.TryStar]
    ) -> cst.BaseStatement:
        self._conditional -= 1
        return updated_node

    visit_TryStar = visit_Try
    leave_TryStar = leave_Try

    def visit_If(self, node: cst.If) -> None:
        self._conditional += 1

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.BaseStatement:
        self._conditional -= 1
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        edited = [self._edit(small) for small in updated_node.body]
        if all(new is old for new, old in zip(edited, updated_node.body)):
            return updated_node
        if all(new is None for new in edited):
            return self._remove(updated_node)
        return updated_node.with_changes(body=_close(edited, updated_node.body, "semicolon"))

    def _edit(self, small: cst.BaseSmallStatement) -> Optional[cst.BaseSmallStatement]:
        at_definition_level = not self._scopes or self._scopes[-1][0] == "class"
        if at_definition_level and not self._conditional:
            name = defined_name(small)
            if name is not None and self._qualname(name) in self.definitions:
                self.removed.append(("definition", self._qualname(name)))
                return None
        in_function = any(kind == "function" for kind, _ in self._scopes)
        if (
            isinstance(small, (cst.Import, cst.ImportFrom))
            and not self._conditional
            and not in_function
            and self.imports
        ):
            # a function's own ``import x`` binds a local: the module's
            # unused ``import x`` going does not make it unused
            return self._edit_import(small)
        return small

    def _edit_import(self, small: Union[cst.Import, cst.ImportFrom]) -> Optional[Union[cst.Import, cst.ImportFrom]]:
        names = small.names
        if isinstance(names, cst.ImportStar):  # only ``from m import *``
            return small
        kept: List[Optional[cst.ImportAlias]] = []
        for alias in names:
            bound = import_binding(alias, isinstance(small, cst.ImportFrom))
            if bound in self.imports:
                self.removed.append(("import", bound))
                kept.append(None)
            else:
                kept.append(alias)
        if all(alias is not None for alias in kept):
            return small
        if all(alias is None for alias in kept):
            return None
        return small.with_changes(names=_close(kept, names, "comma"))


def defined_name(small: cst.BaseSmallStatement) -> Optional[str]:
    """``X`` for ``X = v`` and ``X: T = v`` (one plain target), else None."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value
    if isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name):
        return small.target.value
    return None


def import_binding(alias: cst.ImportAlias, from_import: bool) -> Optional[str]:
    """The name an import alias binds: ``c`` for ``import a.b as c``, ``a``
    for ``import a.b``, ``b`` for ``from a import b``."""
    if alias.asname is not None:
        name = alias.asname.name
        return name.value if isinstance(name, cst.Name) else None
    written = dotted(alias.name) or ""
    return written if from_import else written.split(".")[0]

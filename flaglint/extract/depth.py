"""Refuse, before libcst sees it, a file libcst cannot parse in reasonable
time or memory: one whose syntax tree nests too deeply.

libcst's cost grows much faster than linearly with nesting. Brackets: a
2,000-deep list takes gigabytes and 100,000 parentheses crash the process,
while CPython refuses more than 200 levels outright. Chains without brackets
nest too (``a | b | c ...`` is a left-leaning tree, and so are ``a[0][0]...``,
``- - x``, ``not not x``, ``lambda: lambda: ...`` and ``elif`` ladders): a
4,000-term ``|`` chain takes libcst about 4 s, 4,000 subscripts 22 s, and
the time quadruples each time the depth doubles.
Real code nests far less (measured: at most 33 levels in CPython's standard
library, 87 in a site-packages with pip, setuptools and pygments; see
docs/performance.md), so a file deeper than :data:`DEPTH_LIMIT` is reported
as FL000 instead of being parsed.

CPython 3.12 analyses less deep a tree than the others: it caps recursion
through C at 1,500 calls whatever ``sys.setrecursionlimit`` says (3.11
counts those calls against the raised Python limit, 3.13 allows far more),
and libcst's code generation goes through C twice per node (a ``**kwargs``
call of a bound method is not inlined in 3.12). Measured on 3.12.1: about 740
libcst levels, which is 497 ``ast`` levels for the costliest shape
(``lambda a=lambda a=...``). So the limit there is :data:`DEPTH_LIMIT` = 400,
and a tree CPython 3.12 itself cannot build (its own ``ast`` construction
stops near 2,000 levels) is reported without a count.

The check costs about 1.7 ms of CPU per file (1.2% of extraction): counts over
the text decide whether to ask CPython's parser, an order of magnitude
faster than libcst, for the real depth, which only a few files a thousand
need (10 of the 1,785 standard library files, 77 of 2,710 in site-packages).
How many marks a logical line may hold is bounded per file
(:func:`chain_room`), from the file's own indentation: a fixed bound has no
room at 3.12's limit, and sent every file to CPython's parser there.
"""

from __future__ import annotations

import ast
import re
import sys
from typing import Optional, Tuple

from ..facts import Problem

#: CPython 3.12's fixed cap on recursion through C (see the module docstring)
_C_RECURSION_CAPPED = sys.version_info[:2] == (3, 12)
#: deepest syntax tree analysed (CPython's ``ast`` depth, module = 1)
DEPTH_LIMIT = 400 if _C_RECURSION_CAPPED else 1000
#: bracket depth beyond which CPython's parser is asked first (it stops at 200)
NAIVE_BRACKET_LIMIT = 50 if _C_RECURSION_CAPPED else 100
#: chain marks in one logical line beyond which CPython's parser is asked,
#: whatever the file. A mark adds at most two levels (``lambda a=lambda
#: a=...``, ``f(a=f(a=...``), and so does each of at most 100 braces and 100
#: indents (both tokenizers refuse more), so a tree deeper than DEPTH_LIMIT
#: has more marks than this. On 3.12 that leaves no room (0): every file
#: with an operator would be measured, so each file gets its own bound
#: (:func:`chain_room`)
CHAIN_LIMIT = (DEPTH_LIMIT - 2 * NAIVE_BRACKET_LIMIT - 2 * 100) // 2 - 50
#: levels kept free below DEPTH_LIMIT by the per-file bound: the module and
#: statement levels, a one-line body (``if a: b``) per line, and the same
#: 100 levels of margin as CHAIN_LIMIT
_MARGIN = 110

_BRACKET = re.compile(r"[()\[\]{}]")
_OPENERS = frozenset("([{")
#: what can add a level to an expression without a bracket pair around it
_CHAIN_MARKS = tuple("+-*/%@&|^~<>.[(") + ("not", "lambda", "if", "and", "or", "await")
#: everything :func:`longest_chain` counts in a logical line (every bracket
#: too): over the whole text, at least the most any one line has
_COUNTED = _CHAIN_MARKS + tuple("{)]}") + ("elif",)
#: a line's indentation
_INDENT = re.compile(r"^[ \t\f]+", re.MULTILINE)
#: comments and string literals, left to right as the tokenizer meets them
_STRINGS_AND_COMMENTS = re.compile(
    r"#[^\n]*|'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\""
)
_WORDS = re.compile(r"\b(?:not|lambda|if|and|or|await|elif)\b")
_NOT_CHAIN = re.compile(r"[^-+*/%@&|^~<>.()\[\]{}\n\\]+")


def depth_problem(text: str) -> Optional[Problem]:
    """The Problem that keeps ``text`` from libcst, or None to parse it."""
    if not may_be_deep(text):
        return None
    try:
        tree = compile(text, "<flaglint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return Problem(f"syntax error: {error.msg}", error.lineno, error.offset)
    except RecursionError:
        # CPython could not even build the tree: far deeper than the limit
        # (3.12 stops near 2,000 levels, and counts nothing), so name the
        # logical line with the longest chain instead of the deepest node
        return Problem(
            f"too deeply nested to analyse: more levels than Python can count (the limit is {DEPTH_LIMIT})",
            longest_chain_line(text),
        )
    except (MemoryError, ValueError):
        return Problem("too deeply nested to parse")
    depth, line = tree_depth(tree)
    if depth > DEPTH_LIMIT:
        return Problem(f"too deeply nested to analyse: {depth} levels (the limit is {DEPTH_LIMIT})", line)
    return None


def tree_depth(tree: ast.AST) -> Tuple[int, Optional[int]]:
    """The depth of an ``ast`` tree (a lone module is 1) and the line of its
    deepest node, without recursion, as libcst would nest it: ``a and b and
    c`` is one flat node in ``ast`` but a chain of nested ones in libcst."""
    deepest, line, stack = 0, None, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest, line = depth, getattr(node, "lineno", line)
        step = len(node.values) - 1 if isinstance(node, ast.BoolOp) else 1
        stack.extend((child, depth + step) for child in ast.iter_child_nodes(node))
    return deepest, line


def may_be_deep(text: str) -> bool:
    if naive_bracket_depth(text) > NAIVE_BRACKET_LIMIT:
        return True
    room = chain_room(text)
    return room < 0 or longest_chain(text, room) > room


def chain_room(text: str) -> int:
    """How many chain marks one logical line of ``text`` may hold and still
    be proved shallow without CPython's parser: a tree's depth is at most
    two levels per mark and bracket of its deepest logical line (which
    :func:`longest_chain` counts), two per indentation level and one per
    ``elif``. Levels are bounded by the file's own indentation: nested
    blocks indent further each, so they are at most the distinct leading
    whitespaces of its lines (a string's or a continuation's lines only add
    to that). A file of ten indentation levels and no ``elif`` gets 135
    marks on 3.12, where the file-blind :data:`CHAIN_LIMIT` has none (435
    at the 1,000-level limit, against 250)."""
    levels = min(100, len(set(_INDENT.findall(text))))
    return (DEPTH_LIMIT - _MARGIN - 2 * levels - text.count("elif")) // 2


def naive_bracket_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def longest_chain(text: str, limit: int = CHAIN_LIMIT) -> int:
    """An estimate of how deep one statement's expression can nest: the most
    chain marks and brackets in one logical line, or the number of ``elif``s.

    Strings and comments are dropped first (a regular expression that knows
    their usual forms; what it misreads can only cost time, never a crash).
    Whole-file counts come first (C loops); only a file with more marks in
    all than ``limit`` is split into logical lines (0 when it has no more)."""
    if sum(map(text.count, _COUNTED)) <= limit:
        return 0
    code = _STRINGS_AND_COMMENTS.sub(_line_breaks, text)
    marks = _NOT_CHAIN.sub("", _WORDS.sub("~", code))  # one character per mark; brackets, newlines, "\\"
    deepest = ops = depth = 0
    for line in marks.split("\n"):
        ops += len(line)
        depth += sum(map(line.count, "([{")) - sum(map(line.count, ")]}"))
        if depth <= 0 and not line.endswith("\\"):
            deepest, ops, depth = max(deepest, ops), 0, 0
    return max(deepest, ops, text.count("elif"))


def longest_chain_line(text: str) -> Optional[int]:
    """The line where the logical line with the most chain marks starts (the
    count :func:`longest_chain` takes the most of), or None if none has any."""
    code = _STRINGS_AND_COMMENTS.sub(_line_breaks, text)
    marks = _NOT_CHAIN.sub("", _WORDS.sub("~", code))
    best_line, best = None, 0
    ops = depth = 0
    start = 1
    for number, line in enumerate(marks.split("\n"), start=1):
        if ops == 0 and depth <= 0:
            start = number
        ops += len(line)
        depth += sum(map(line.count, "([{")) - sum(map(line.count, ")]}"))
        if depth <= 0 and not line.endswith("\\"):
            if ops > best:
                best_line, best = start, ops
            ops, depth = 0, 0
    if ops > best:
        best_line = start
    return best_line


def _line_breaks(match: "re.Match[str]") -> str:
    """A string or comment is dropped but for its line breaks (brackets in
    it would blur where logical lines end)."""
    return "\n" * match.group().count("\n")

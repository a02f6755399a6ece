"""Parse a data module without libcst, or refuse it.

A data module (generated tables, ``__init__.py`` files that only import,
settings of literals) is a docstring, imports and assignments of literals
to names. libcst spends about 5 s and 400 MB on a 40,000-entry dict
literal; such a module holds no gate, call or flag read, so its facts need
far less: what each name is bound to, the strings, the dicts and the
collections' keys, with their positions (docs/performance.md).

:func:`parse_data_module` reads that restricted grammar with one regular
expression over the text (a C loop per token) and a small recursive-descent
parser, and returns the statements as plain tuples (:class:`Statement`,
values as ``(kind, start, end, payload)`` with character offsets, so a
position is counted the way libcst counts it: characters, lines broken at
``\\r\\n`` or ``\\n``).

It refuses (returns None) at the first token outside the grammar, and
whenever it is unsure that libcst and CPython would both accept the file
and nest it shallowly: any name but ``True``/``False``/``None`` in a value,
a call, an operator but unary minus before a number, an f-string, an
indented line, a form feed, a lone ``\\r``, non-ASCII outside strings,
brackets nested deeper than :data:`MAX_NESTING`, a ``__future__`` import
CPython would reject, a literal CPython cannot evaluate. Refusing only
costs time: the file then goes through libcst as any other. Normal code is
refused within its first lines (a ``def``, a call), and a prescreen over
the text refuses most of it before the first token.
"""

from __future__ import annotations
import __future__

import ast
import keyword
import re
import tokenize
from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union

from .literals import prefix_of

#: deepest bracket nesting accepted (CPython refuses 200; the depth check
#: of extract/depth.py never needs to look at an accepted file)
MAX_NESTING = 50
#: longest chain of unary minus or of implicitly joined strings accepted
#: (libcst nests both, one level each)
MAX_CHAIN = 50
#: longest number token accepted (CPython refuses an int of over 4,300 digits)
_MAX_NUMBER = 100

#: statements no data module holds, at the start of a line: most code is
#: refused here, by a C scan, before a single token is read
_PRESCREEN = re.compile(
    r"^(?:(?:def|class|if|for|while|try|with|async|return|raise|assert|del|global|nonlocal|pass|lambda|print)\b"
    r"|@|[A-Za-z_][\w.]*[ \t]*\()",
    re.MULTILINE,
)


def _plain_groups(pattern: str) -> str:
    return re.sub(r"\((?!\?)", "(?:", pattern)


_TOKEN = re.compile(
    r"[ \t]*(?:"
    r"(?P<nl>\r?\n)"
    r"|(?P<comment>\#[^\r\n]*)"
    r"|(?P<cont>\\\r?\n)"
    r"|(?P<str>(?:[bB][rR]|[rR][bB]|[rRuUbB])?"
    r"(?:'''(?:[^\\']|\\[\s\S]|'(?!''))*'''"
    r'|"""(?:[^\\"]|\\[\s\S]|"(?!""))*"""'
    r"|'(?:[^\\'\r\n]|\\\r\n|\\[\s\S])*'"
    r'|"(?:[^\\"\r\n]|\\\r\n|\\[\s\S])*"))'
    rf"|(?P<num>{_plain_groups(tokenize.Imagnumber)}|{_plain_groups(tokenize.Floatnumber)})"
    rf"|(?P<int>{_plain_groups(tokenize.Intnumber)})"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<dots>\.\.\.)"
    r"|(?P<op>[()\[\]{},:;=.*\-])"
    r")"
)

_RESERVED = frozenset(keyword.kwlist) | {"__debug__"}
_CONSTANTS = frozenset({"True", "False", "None"})
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_FUTURES = frozenset(__future__.all_feature_names)
_AFTER_NUMBER = re.compile(r"[\w.]")

#: a value: (kind, start, end, payload); start and end are character
#: offsets, parentheses around it left out (as libcst places a value); a
#: dict's payload is (key, value, where the entry starts) triples
Value = Tuple[str, int, int, Any]
#: a name as written: (name, start, end)
Word = Tuple[str, int, int]


class Statement(NamedTuple):
    """One top-level statement: ``kind`` is ``expr`` (a string), ``assign``,
    ``annotated``, ``import`` or ``from``."""

    kind: str
    start: int
    end: int
    #: assign and annotated: the target names (annotated: one); import:
    #: (dotted name, its end, as-name or None) per alias; from: the names
    targets: Tuple[Any, ...] = ()
    value: Optional[Value] = None
    #: annotated: the annotation's names; from: (level, module)
    extra: Tuple[Any, ...] = ()


class DataModule(NamedTuple):
    """A parsed data module: its statements, and the value of every string
    token that needs evaluating (by start offset)."""

    statements: List[Statement]
    evaluated: Dict[int, Union[str, bytes]]


class _Refused(Exception):
    """The text is not a data module this parser is sure of."""


def parse_data_module(text: str) -> Optional[DataModule]:
    """The statements of ``text`` if it is a data module, else None."""
    if _PRESCREEN.search(text) or "\ufeff" in text[:1] or text.count("\r") != text.count("\r\n"):
        return None
    try:
        parser = _Parser(text)
        statements = parser.module()
        evaluated = _evaluate(text, parser.escaped)
    except (_Refused, RecursionError):
        return None
    if evaluated is None:
        return None
    return DataModule(statements, evaluated)


def _evaluate(text: str, escaped: List[Tuple[int, int]]) -> Optional[Dict[int, Union[str, bytes]]]:
    """The values of the string tokens at ``escaped``, all at once (one
    compile), or None when CPython refuses one (``"\\N{nope}"``, non-ASCII
    in bytes): libcst would then parse a file CPython rejects."""
    if not escaped:
        return {}
    source = "(" + ",\n".join(text[start:end] for start, end in escaped) + ",)"
    try:
        values = ast.literal_eval(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return {start: value for (start, _), value in zip(escaped, values)}


class _Parser:
    """Recursive descent over the token stream; raises :class:`_Refused`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _TOKEN.finditer(text)
        self.pos = 0  # where the next token must start
        self.depth = 0
        self.escaped: List[Tuple[int, int]] = []
        self.kind = ""
        self.start = self.stop = 0
        self.continued = False  # a line continuation since the last token
        self.advance()

    # -- tokens ---------------------------------------------------------

    def advance(self) -> None:
        """Move to the next significant token: ``kind`` is ``str``, ``num``,
        ``int``, ``name``, ``...``, an operator character, ``nl`` (a line
        end outside brackets) or ``eof``."""
        text = self.text
        while True:
            match = next(self.tokens, None)
            if match is None or match.start() != self.pos:
                if match is not None or text[self.pos :].strip(" \t") or self.continued:
                    raise _Refused  # a character no token of the grammar starts with
                self.kind, self.start, self.stop = "eof", len(text), len(text)
                return
            kind = match.lastgroup or ""
            self.pos = stop = match.end()
            if kind == "cont":
                self.continued = True
                continue
            if self.continued:
                if kind == "nl" or kind == "comment":
                    raise _Refused  # a continuation into a blank or comment line
                self.continued = False
            if kind == "comment" or (kind == "nl" and self.depth):
                continue
            start = match.start(kind)
            if kind == "op":
                kind = text[start]
                if kind in "([{":
                    self.depth += 1
                    if self.depth > MAX_NESTING:
                        raise _Refused
                elif kind in ")]}":
                    self.depth -= 1
            elif kind == "str":
                if text[start] not in "'\"" or text.find("\\", start, stop) >= 0 or text.find("\r", start, stop) >= 0:
                    self._string_prefix(start, stop)
            elif kind == "num" or kind == "int":
                if stop - start > _MAX_NUMBER or _AFTER_NUMBER.match(text, stop):
                    raise _Refused  # ``1if``, ``0_7``, ``1__0``: CPython's business
            elif kind == "name":
                if text[stop : stop + 1] in ("'", '"'):
                    raise _Refused  # an f-string, or a prefix Python does not know
            elif kind == "dots":
                kind = "..."
            self.kind, self.start, self.stop = kind, start, stop
            return

    def _string_prefix(self, start: int, stop: int) -> None:
        token = self.text[start:stop]
        prefix = prefix_of(token)
        if "\\" in token or "\r" in token or "b" in prefix:
            self.escaped.append((start, stop))

    def expect(self, kind: str) -> int:
        """Consume a token of ``kind``; its end."""
        if self.kind != kind:
            raise _Refused
        stop = self.stop
        self.advance()
        return stop

    def word(self) -> Word:
        """A name that may be bound or imported (no keyword)."""
        if self.kind != "name":
            raise _Refused
        name = self.text[self.start : self.stop]
        if name in _RESERVED:
            raise _Refused
        found = (name, self.start, self.stop)
        self.advance()
        return found

    # -- statements -----------------------------------------------------

    def module(self) -> List[Statement]:
        statements: List[Statement] = []
        futures_allowed = True
        while self.kind != "eof":
            if self.kind == "nl":
                self.advance()
                continue
            start = self.start
            if start and self.text[start - 1] != "\n" or _continued(self.text, start):
                raise _Refused  # indented (an error, or a block libcst reads differently)
            while True:
                statement = self.statement()
                if statement.kind == "from" and statement.extra[1] == "__future__":
                    if not futures_allowed or not set(statement.targets) <= _FUTURES:
                        raise _Refused  # CPython: "from __future__ imports must occur at the beginning"
                elif not (statement.kind == "expr" and not statements):
                    futures_allowed = False
                statements.append(statement)
                if self.kind != ";":
                    break
                self.advance()
                if self.kind in ("nl", "eof"):
                    break
            if self.kind not in ("nl", "eof"):
                raise _Refused
        return statements

    def statement(self) -> Statement:
        if self.kind == "str":
            value = self.atom()
            return Statement("expr", value[1], value[2], value=value)
        if self.kind != "name":
            raise _Refused
        head = self.text[self.start : self.stop]
        if head == "import":
            return self.import_statement()
        if head == "from":
            return self.from_statement()
        start = self.start
        target = self.word()
        if self.kind == ":":
            self.advance()
            annotation = self.annotation()
            if self.kind != "=":
                return Statement("annotated", start, self.start, (target,), None, annotation)
            self.advance()
            value = self.atom()
            return Statement("annotated", start, value[2], (target,), value, annotation)
        targets = [target]
        self.expect("=")
        while self.kind == "name" and self.text[self.start : self.stop] not in _CONSTANTS:
            targets.append(self.word())  # ``A = B = 1``
            self.expect("=")
        value = self.value_list()
        if self.kind == "=":
            raise _Refused
        return Statement("assign", start, value[2], tuple(targets), value)

    def annotation(self) -> Tuple[Word, ...]:
        """A name or a dotted name (``Final``, ``typing.Final``)."""
        if self.kind != "name":
            raise _Refused
        first = self.text[self.start : self.stop]
        if first in _RESERVED and first not in _CONSTANTS:
            raise _Refused
        names = [(first, self.start, self.stop)]
        self.advance()
        while self.kind == ".":
            self.advance()
            names.append(self.word())
        if len(names) > 1 and first in _CONSTANTS or len(names) > MAX_CHAIN:
            raise _Refused
        return tuple(names)

    def dotted(self) -> Tuple[str, int]:
        """``a.b.c`` (spaces allowed around the dots): the name and its end."""
        name, _, stop = self.word()
        parts = [name]
        while self.kind == ".":
            self.advance()
            part, _, stop = self.word()
            parts.append(part)
        return ".".join(parts), stop

    def import_statement(self) -> Statement:
        start = self.start
        self.advance()
        aliases = []
        while True:
            name, stop = self.dotted()
            alias = None
            if self.kind == "name" and self.text[self.start : self.stop] == "as":
                self.advance()
                alias, _, stop = self.word()
            aliases.append((name, stop, alias))
            if self.kind != ",":
                break
            self.advance()
        return Statement("import", start, stop, tuple(aliases))

    def from_statement(self) -> Statement:
        start = self.start
        self.advance()
        level = 0
        while self.kind in (".", "..."):
            level += len(self.kind)
            self.advance()
        module = ""
        if not (self.kind == "name" and self.text[self.start : self.stop] == "import"):
            module, _ = self.dotted()
        if not (self.kind == "name" and self.text[self.start : self.stop] == "import"):
            raise _Refused
        self.advance()
        if self.kind == "*":
            stop = self.stop
            self.advance()
            return Statement("from", start, stop, ("*",), None, (level, module))
        parens = self.kind == "("
        if parens:
            self.advance()
        names = []
        while True:
            name, _, stop = self.word()
            alias = None
            if self.kind == "name" and self.text[self.start : self.stop] == "as":
                self.advance()
                alias, _, stop = self.word()
                if module == "__future__" and not level:
                    raise _Refused  # keep CPython's rules for futures simple: no aliases
            names.append((name, alias))
            if self.kind != ",":
                break
            self.advance()
            if parens and self.kind == ")":
                break
        if parens:
            stop = self.expect(")")
        if module == "__future__" and not level:
            return Statement("from", start, stop, tuple(name for name, _ in names), None, (level, module))
        return Statement("from", start, stop, tuple(names), None, (level, module))

    # -- values ---------------------------------------------------------

    def value_list(self) -> Value:
        """The value of an assignment: one atom, or a tuple without parentheses."""
        first = self.atom()
        if self.kind != ",":
            return first
        elements = [first]
        stop = first[2]
        while self.kind == ",":
            stop = self.stop
            self.advance()
            if self.kind in ("nl", "eof", ";"):
                break
            element = self.atom()
            elements.append(element)
            stop = element[2]
        return ("tuple", first[1], stop, elements)

    def atom(self) -> Value:
        kind, start = self.kind, self.start
        if kind == "str":
            return self.strings()
        if kind == "int":
            token = self.text[start : self.stop]
            stop = self.stop
            self.advance()
            try:
                number: Optional[int] = int(token.replace("_", ""), 0)
            except ValueError:
                number = None
            return ("int", start, stop, number)
        if kind == "num":
            stop = self.stop
            self.advance()
            return ("num", start, stop, None)
        if kind == "...":
            stop = self.stop
            self.advance()
            return ("...", start, stop, None)
        if kind == "name":
            name = self.text[start : self.stop]
            if name not in _CONSTANTS:
                raise _Refused
            stop = self.stop
            self.advance()
            return ("const", start, stop, name)
        if kind == "-":
            return self.negative()
        if kind == "(":
            return self.parenthesized()
        if kind == "[":
            self.advance()
            elements, stop = self.elements("]")
            return ("list", start, stop, elements)
        if kind == "{":
            return self.braces()
        raise _Refused

    def negative(self) -> Value:
        """``-1``, ``- -1.5``: unary minus on a number, as deep as :data:`MAX_CHAIN`."""
        start, signs = self.start, 0
        while self.kind == "-":
            signs += 1
            self.advance()
        if self.kind not in ("int", "num") or signs > MAX_CHAIN:
            raise _Refused
        value = self.atom()
        for _ in range(signs):
            value = ("neg", start, value[2], value)
        return value

    def strings(self) -> Value:
        """One string literal, or several joined (``"a" "b"``)."""
        start = self.start
        parts = []
        while self.kind == "str":
            parts.append((self.start, self.stop))
            self.advance()
        if len(parts) > MAX_CHAIN:
            raise _Refused
        text = self.text
        kinds = {
            text[part_start] not in "'\"" and "b" in prefix_of(text[part_start:part_stop])
            for part_start, part_stop in parts
        }
        if len(kinds) > 1:
            raise _Refused  # bytes joined to str: CPython refuses it
        return ("str", start, parts[-1][1], (tuple(parts), kinds.pop()))

    def parenthesized(self) -> Value:
        start = self.start
        self.advance()
        if self.kind == ")":
            stop = self.stop
            self.advance()
            return ("tuple", start, stop, [])
        first = self.atom()
        if self.kind == ")":
            stop = self.stop
            self.advance()
            return first  # libcst places a value inside its parentheses
        elements = [first]
        while self.kind == ",":
            self.advance()
            if self.kind == ")":
                break
            elements.append(self.atom())
        stop = self.expect(")")
        return ("tuple", start, stop, elements)

    def elements(self, closer: str) -> Tuple[List[Value], int]:
        """Comma-separated atoms up to ``closer`` (a trailing comma allowed)."""
        elements: List[Value] = []
        while self.kind != closer:
            elements.append(self.atom())
            if self.kind != ",":
                break
            self.advance()
        return elements, self.expect(closer)

    def braces(self) -> Value:
        start = self.start
        self.advance()
        if self.kind == "}":
            stop = self.stop
            self.advance()
            return ("dict", start, stop, [])
        first_start = self.start
        first = self.atom()
        if self.kind != ":":
            elements = [first]
            while self.kind == ",":
                self.advance()
                if self.kind == "}":
                    break
                elements.append(self.atom())
            return ("set", start, self.expect("}"), elements)
        pairs = []
        key, key_start = first, first_start
        while True:
            self.expect(":")
            pairs.append((key, self.atom(), key_start))  # an entry starts at its key's parentheses
            if self.kind != ",":
                break
            self.advance()
            if self.kind == "}":
                break
            key_start = self.start
            key = self.atom()
        return ("dict", start, self.expect("}"), pairs)


def _continued(text: str, start: int) -> bool:
    """Whether the line before offset ``start`` ends in a backslash."""
    index = start - 2
    if index >= 0 and text[index] == "\r":
        index -= 1
    return index >= 0 and text[index] == "\\"

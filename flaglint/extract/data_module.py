"""Facts for a data module, from :mod:`.data_parse`, without libcst.

Extraction's fast path: for a module that only holds a docstring, imports
and literals bound to names (see :mod:`.data_parse`), the facts are the few
the libcst visitor would record for those statements, and nothing else (no
gate, read, call or function can be in such a file):

- a :class:`~flaglint.facts.Definition` per name bound (``A = B = 1``: B an
  alias of A), with the literal value of a bool or int;
- an :class:`~flaglint.facts.Import` per name imported;
- module string constants, and ``__all__``'s names;
- a :class:`~flaglint.facts.FlagDict` for a dict literal of string keys to
  ``True``/``False`` (and the rebinding of one);
- keys of a collection joined by a missing comma (:mod:`.joined`);
- the references the visitor notes: ``True``/``False``/``None``, the
  identifiers named in strings (:mod:`.literals`), an annotation's names
  (and a use of a constant-like one).

Every rule here restates one handler of the visitor (``definitions.py``,
``scopes.py``, ``registries.py``, ``joined_facts.py``, ``references.py``,
``reads.py``) for these shapes; the shared parts are shared code.
tests/test_data_module.py runs both paths on hand-written shapes,
generated modules and real files, and requires equal facts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import partial
from typing import Any, Dict, List, Optional, Set, Tuple, Union

from ..facts import (
    ORIGIN_ALIAS,
    ORIGIN_DYNAMIC,
    ORIGIN_LITERAL,
    STRING_REF,
    AttrChain,
    Definition,
    FileFacts,
    FlagDict,
    Import,
    JoinedKey,
    Span,
    Use,
)
from ..keys import KEY_LIKE
from .casing import is_constant_like
from .data_parse import Statement, Value, Word, parse_data_module
from .joined import joined_parts
from .literals import identifiers_of, prefix_of
from .relative import absolute_module
from .suppressions import find_suppressions

_LINE_BREAK = re.compile(r"\n")  # a lone \r is refused by the parser


def data_module_facts(text: str, display: str, module: str, is_package: bool) -> Optional[FileFacts]:
    """The facts of ``text`` if it is a data module, else None (extract it
    with libcst)."""
    parsed = parse_data_module(text)
    if parsed is None:
        return None
    builder = _Builder(text, parsed.evaluated, module, is_package)
    for statement in parsed.statements:
        builder.statement(statement)
    return builder.facts(display, module, is_package)


class _Builder:
    def __init__(self, text: str, evaluated: Dict[int, Union[str, bytes]], module: str, is_package: bool) -> None:
        self.text = text
        self.evaluated = evaluated
        self.module, self.is_package = module, is_package
        self._line_starts: Optional[List[int]] = None
        self.definitions: List[Definition] = []
        self.imports: List[Import] = []
        self.uses: List[Use] = []
        self.refs: Set[str] = set()
        self.string_constants: Dict[str, str] = {}
        self.flag_dicts: List[FlagDict] = []
        self.dict_names: Set[str] = set()
        self.joined: List[JoinedKey] = []
        self.listed: Dict[str, int] = {}
        self.chains: Dict[Tuple[str, Tuple[str, ...]], Tuple[int, int]] = {}

    # -- positions ------------------------------------------------------

    def where(self, offset: int) -> Tuple[int, int]:
        """(line, 0-based column in characters) of ``offset``."""
        starts = self._line_starts
        if starts is None:
            starts = self._line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(self.text))]
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1]

    def span(self, start: int, end: int) -> Span:
        line, column = self.where(start)
        end_line, end_column = self.where(end)
        return Span(line, column + 1, end_line, end_column + 1)

    # -- strings --------------------------------------------------------

    def part(self, start: int, stop: int) -> Any:
        """The value of the string token at ``start:stop``."""
        found = self.evaluated.get(start)
        if found is not None:
            return found
        text = self.text
        prefix = 0 if text[start] in "'\"" else len(prefix_of(text[start:stop]))
        quote = 3 if text.startswith(('"""', "'''"), start + prefix, stop) else 1
        return text[start + prefix + quote : stop - quote]

    def string(self, value: Value) -> Any:
        parts, _ = value[3]
        pieces = [self.part(start, stop) for start, stop in parts]
        return pieces[0] if len(pieces) == 1 else pieces[0][:0].join(pieces)

    def simple_text(self, value: Value) -> Optional[str]:
        """The text of a single (not joined) str literal, else None."""
        if value[0] != "str":
            return None
        parts, is_bytes = value[3]
        if is_bytes or len(parts) != 1:
            return None
        text = self.part(*parts[0])
        return text if isinstance(text, str) else None

    # -- statements -----------------------------------------------------

    def statement(self, statement: Statement) -> None:
        kind, value = statement.kind, statement.value
        if kind == "import":
            self.import_statement(statement)
        elif kind == "from":
            self.from_statement(statement)
        elif kind == "annotated":
            if value is None:
                self.refs.add(statement.targets[0][0])  # ``X: int``: the target is read, not bound
            else:
                self.assign(statement.targets, value, annotated=True)
            self.annotation(statement.extra)
            if value is not None:
                self.walk(value)
        elif value is not None:  # expr, assign
            if kind == "assign":
                self.assign(statement.targets, value, annotated=False)
            self.walk(value)

    def import_statement(self, statement: Statement) -> None:
        span = self.span(statement.start, statement.end)
        for name, _, alias in statement.targets:
            if alias is not None:
                self.imports.append(Import(alias, name, span=span))
            else:
                head = name.split(".")[0]
                self.imports.append(Import(head, head, span=span))

    def from_statement(self, statement: Statement) -> None:
        level, name = statement.extra
        module = absolute_module(self.module, self.is_package, level, name)
        if module is None:
            return
        span = self.span(statement.start, statement.end)
        if statement.targets == ("*",):
            self.imports.append(Import("*", module, "*", span))
            return
        for target in statement.targets:
            imported, alias = (target, None) if isinstance(target, str) else target  # futures: names alone
            self.imports.append(Import(alias or imported, module, imported, span))

    def assign(self, targets: Tuple[Word, ...], value: Value, annotated: bool) -> None:
        """``definitions.visit_Assign``/``visit_AnnAssign`` at module level."""
        first, *others = targets
        name = first[0]
        literal = _literal(value)
        origin = ORIGIN_DYNAMIC if literal is None else ORIGIN_LITERAL
        if value[0] == "str" and not value[3][1]:
            self.string_constants[name] = self.string(value)
        self.definitions.append(Definition(name, self.span(first[1], first[2]), origin, literal, annotated=annotated))
        if name == "__all__":
            self.all_names(value)
        self.flag_dict(first, value)
        for other in others:  # ``A = B = 1``: B is an alias of A
            self.definitions.append(Definition(other[0], self.span(other[1], other[2]), ORIGIN_ALIAS, None, name))

    def all_names(self, value: Value) -> None:
        """``__all__ = [...]``: each single string element names code."""
        kind, payload = value[0], value[3]
        if kind in ("list", "tuple", "set"):
            elements = payload
        elif kind == "dict":
            elements = [item for _, item, _ in payload]
        else:
            return
        for element in elements:
            text = self.simple_text(element)
            if text is not None:
                self.refs.add(STRING_REF + text)

    def flag_dict(self, target: Word, value: Value) -> None:
        """``registries.DictFacts.bound`` for a module-level name."""
        name, line = target[0], self.where(target[1])[0]
        entries = self.dict_entries(value) if value[0] == "dict" else None
        if entries is not None:
            self.dict_names.add(name)
            self.flag_dicts.append(FlagDict(name, line, entries, (), False, True))
        elif name in self.dict_names:
            self.flag_dicts.append(FlagDict(name, line, (), (), True, False))

    def dict_entries(self, value: Value) -> Optional[Tuple[Tuple[str, bool, int], ...]]:
        entries = []
        for key, item, start in value[3]:
            if key[0] != "str" or key[3][1] or item[0] != "const" or item[3] == "None":
                return None
            entries.append((self.string(key), item[3] == "True", self.where(start)[0]))
        return tuple(entries)

    def annotation(self, names: Tuple[Word, ...]) -> None:
        ref = ".".join(name for name, _, _ in names)
        self.refs.add(ref)
        if len(names) > 1:  # ``settings.SettingsFacts``: an attribute chain from a module-level name
            line, column = self.where(names[0][1])
            self.chains.setdefault(("name:" + names[0][0], tuple(name for name, _, _ in names[1:])), (line, column + 1))
        if is_constant_like(ref):
            self.uses.append(Use(ref, self.span(names[0][1], names[-1][2]), ""))

    # -- values ---------------------------------------------------------

    def walk(self, value: Value) -> None:
        """What the visitor notes inside a value, in its order (pre-order)."""
        kind, payload = value[0], value[3]
        if kind == "str":
            text = self.text
            for start, stop in payload[0]:
                for name in identifiers_of(text[start:stop], partial(self.part, start, stop)):
                    self.refs.add(STRING_REF + name)
        elif kind == "const":
            self.refs.add(payload)
        elif kind == "neg":
            self.walk(payload)
        elif kind == "dict":
            self.joined_keys([key for key, _, _ in payload], [item for _, item, _ in payload])
            if not all(item[0] == "const" and item[3] in ("True", "False") for _, item, _ in payload):
                self.listed_keys([key for key, _, _ in payload])  # a flag dict defines its keys
            for key, item, _ in payload:
                self.walk(key)
                self.walk(item)
        elif kind in ("list", "tuple", "set"):
            self.joined_keys(payload, None)
            self.listed_keys(payload)
            for element in payload:
                self.walk(element)

    def listed_keys(self, values: List[Value]) -> None:
        """``joined_facts.JoinedKeys._listed``: the key-like strings a
        collection lists, each at the line it is first listed."""
        for value in values:
            if value[0] != "str" or value[3][1]:
                continue  # not a str literal (bytes are no key)
            text = self.string(value)
            if isinstance(text, str) and text not in self.listed and KEY_LIKE.fullmatch(text):
                self.listed[text] = self.where(value[1])[0]

    def joined_keys(self, keys: List[Value], items: Optional[List[Value]]) -> None:
        """``joined_facts.joined_in`` for one collection."""
        candidates = []
        for key in keys:
            if key[0] == "str" and len(key[3][0]) > 1 and not key[3][1]:
                parts = [self.part(start, stop) for start, stop in key[3][0]]
                candidates.append((parts, key))
        if not candidates:
            return
        siblings = [text for text in map(self.simple_text, keys) if text is not None]
        bools = bool(items) and all(item[0] == "const" and item[3] != "None" for item in items or ())
        for index in joined_parts(siblings, [parts for parts, _ in candidates], bools):
            parts, key = candidates[index]
            self.joined.append(JoinedKey(tuple(parts), self.span(key[1], key[2])))

    def facts(self, display: str, module: str, is_package: bool) -> FileFacts:
        return FileFacts(
            path=display,
            module=module,
            is_package=is_package,
            definitions=tuple(self.definitions),
            uses=tuple(self.uses),
            imports=tuple(self.imports),
            scope_refs=(("", tuple(sorted(self.refs))),) if self.refs else (),
            suppressions=find_suppressions(self.text),
            string_constants=tuple(sorted(self.string_constants.items())),
            flag_dicts=tuple(self.flag_dicts),
            joined_keys=tuple(self.joined),
            listed_keys=tuple(sorted(self.listed.items())),
            attr_chains=tuple(
                AttrChain(root, attrs, line, column, None)
                for (root, attrs), (line, column) in sorted(self.chains.items(), key=lambda item: item[1])
            ),
        )


def _literal(value: Value) -> Union[bool, int, None]:
    """``values.literal_value`` for the values a data module holds."""
    kind, payload = value[0], value[3]
    if kind == "const":
        return {"True": True, "False": False}.get(payload)
    if kind == "int":
        return payload
    if kind == "neg":
        inner = _literal(payload)
        return None if inner is None or type(inner) is bool else -inner
    return None

"""Where a boolean flag is turned on by assignment, for the audit's "set at".

The facts record only *that* a name is given a true value somewhere
(``obj.X = True``, ``setattr(obj, "X", v)``, ``f(X=v)``, ``global X; X = 1``),
which is all the rules need. A person reading an audit wants the line, so
the few files that do so are read again here with :mod:`ast` (only those
whose facts say they set one of the flags' names). Best effort: a file that
no longer parses just gives no sites.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from ..facts import FileFacts
from ..graph.reasons import SetBy, has_code
from ..quiet import user_code


@dataclass(frozen=True)
class SetSite:
    path: str
    line: int
    column: int
    end_line: int
    name: str  # the short name set
    how: str  # "attribute assignment", "setattr", "keyword argument", "global assignment", "class attribute"


def find_set_sites(
    files: Iterable[FileFacts], attribute_names: Set[str], global_names: Dict[str, Set[str]], cwd: Path
) -> List[SetSite]:
    """Sites giving ``attribute_names`` (anywhere) or ``global_names``
    (path -> names, in that module only) a value that can be true."""
    sites: List[SetSite] = []
    for facts in files:
        attributes = attribute_names & set(facts.attribute_sets)
        globals_ = global_names.get(facts.path, set()) & set(facts.global_sets)
        if not attributes and not globals_:
            continue
        tree = _parse(cwd / facts.path)
        if tree is not None:
            sites.extend(_Finder(facts.path, attributes, globals_).run(tree))
    return sorted(set(sites), key=lambda site: (site.path, site.line, site.column, site.name))


def _parse(path: Path):
    try:
        with user_code():
            return ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _can_be_true(node) -> bool:
    return not (isinstance(node, ast.Constant) and not node.value)


class _Finder(ast.NodeVisitor):
    def __init__(self, path: str, attributes: Set[str], globals_: Set[str]) -> None:
        self.path = path
        self.attributes = attributes
        self.globals = globals_
        self.sites: List[SetSite] = []
        self._scopes: List[Tuple[str, Set[str]]] = []  # ("function", its ``global`` names) or ("class", {})

    def run(self, tree) -> List[SetSite]:
        self.visit(tree)
        return self.sites

    def _add(self, node, name: str, how: str) -> None:
        end = getattr(node, "end_lineno", None) or node.lineno
        self.sites.append(SetSite(self.path, node.lineno, node.col_offset + 1, end, name, how))

    # scopes
    def visit_FunctionDef(self, node) -> None:
        self._scopes.append(("function", set()))  # filled by visit_Global as the body is walked
        self.generic_visit(node)
        self._scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Global(self, node) -> None:
        # Python requires ``global X`` before any assignment to X in the
        # function, so recording it when met is enough (and walking each
        # function's subtree again cost the audit of the stdlib 20 s)
        if self._scopes and self._scopes[-1][0] == "function":
            self._scopes[-1][1].update(node.names)

    def visit_ClassDef(self, node) -> None:
        self._scopes.append(("class", set()))
        self.generic_visit(node)
        self._scopes.pop()

    # assignments
    def visit_Assign(self, node) -> None:
        for target in node.targets:
            self._target(target, node.value, augmented=False)
        self.generic_visit(node)

    def visit_AnnAssign(self, node) -> None:
        if node.value is not None:
            self._target(node.target, node.value, augmented=False)
        self.generic_visit(node)

    def visit_AugAssign(self, node) -> None:
        self._target(node.target, node.value, augmented=True)
        self.generic_visit(node)

    def _target(self, target, value, augmented: bool) -> None:
        if not (augmented or _can_be_true(value)):
            return
        if isinstance(target, ast.Attribute) and target.attr in self.attributes:
            self._add(target, target.attr, "attribute assignment")
        elif isinstance(target, ast.Name):
            kind, declared = self._scopes[-1] if self._scopes else ("module", set())
            if kind == "function" and target.id in declared and target.id in self.globals:
                self._add(target, target.id, "global assignment")
            elif kind == "class" and target.id in self.attributes:
                self._add(target, target.id, "class attribute")
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, ast.Name("x"), augmented)  # unknown value: can be true

    def visit_Call(self, node) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value in self.attributes:
                if len(node.args) < 3 or _can_be_true(node.args[2]):
                    self._add(node, name.value, "setattr")
        for keyword in node.keywords:
            if keyword.arg in self.attributes and _can_be_true(keyword.value):
                self._add(keyword, keyword.arg, "keyword argument")
        self.generic_visit(node)


def names_to_find(flags: Iterable[Tuple[str, str, Sequence[str]]]) -> Tuple[Set[str], Dict[str, Set[str]]]:
    """(attribute names, path -> global names) from (path, short name, set_by)
    triples, by the reasons' codes (:mod:`flaglint.graph.reasons`)."""
    attributes: Set[str] = set()
    globals_: Dict[str, Set[str]] = {}
    for path, short, reasons in flags:
        if has_code(reasons, SetBy.ATTRIBUTE_ASSIGNMENT):
            attributes.add(short)
        if has_code(reasons, SetBy.GLOBAL_ASSIGNMENT):
            globals_.setdefault(path, set()).add(short)
    return attributes, globals_

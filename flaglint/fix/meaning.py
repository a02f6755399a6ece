"""Keep what removed code meant beyond its own statements.

Code that never runs can still decide what the code around it means, at
compile time:

- a ``yield`` makes its function a generator (an async generator under
  ``async def``), even in a branch that never runs;
- ``global X`` / ``nonlocal X`` decide where every ``X`` of the function
  lives;
- any binding (``x = 1``, ``import x``, ``for x in``...) makes ``x`` local
  to its function, so that a read elsewhere in it raises UnboundLocalError
  instead of reading the module's ``x``; a nested function's ``x`` is the
  enclosing one's only while that binding exists.

:func:`preserve` compares the old module with the rewritten one, scope by
scope (:mod:`symtable` for where each name lives, the AST for what kind of
function each scope is), and repairs what it can in the rewritten text: a
function that stopped being a generator gets an unreachable ``yield`` after
a ``return``; a lost ``global``/``nonlocal`` goes back at the top of its
function. What it cannot repair is a refusal, with the reason: the caller
leaves the file as it is.
"""

from __future__ import annotations

import ast
import symtable
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..quiet import user_code

#: scopes where a name bound nowhere is read with LOAD_NAME: local or
#: global makes no difference there
_NAME_SCOPES = ("module", "class")


@dataclass
class Scope:
    """One scope of a module: what kind it is and where each name lives."""

    kind: str  # module / class / function
    name: str  # as symtable names it: the def's name, "lambda", "genexpr"...
    line: int
    #: "" for a plain function, else "generator" / "async generator" / "coroutine"
    runs_as: str
    names: Dict[str, str]
    children: List["Scope"] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.name in _ANONYMOUS:
            return _ANONYMOUS[self.name]
        return f"{self.name}()" if self.kind == "function" else self.name


_ANONYMOUS = {
    "lambda": "a lambda",
    "genexpr": "a generator expression",
    "listcomp": "a list comprehension",
    "setcomp": "a set comprehension",
    "dictcomp": "a dict comprehension",
    "top": "the module",
}


@dataclass
class Repairs:
    """What to put back into the rewritten text, by (function name, def line)."""

    generators: Dict[Tuple[str, int], str] = field(default_factory=dict)  # -> runs_as
    declarations: Dict[Tuple[str, int], List[Tuple[str, str]]] = field(default_factory=dict)  # -> (keyword, name)
    notes: List[str] = field(default_factory=list)


@dataclass
class Outcome:
    text: str
    notes: List[str]
    refusal: Optional[str] = None


def preserve(old: str, new: str) -> Outcome:
    """``new`` (repaired if needed) with what ``old`` meant, or a refusal.

    Both texts must compile; the caller checks that first."""
    before, after = scopes(old), scopes(new)
    if before is None or after is None:
        return Outcome(new, [])
    repairs = Repairs()
    refusal = _compare(before, after, repairs)
    if refusal:
        return Outcome(new, [], refusal)
    if not repairs.generators and not repairs.declarations:
        return Outcome(new, [])
    repaired = _apply(new, repairs)
    if repaired is None:
        return Outcome(
            new, [], "the removed code changed what its function means, and the function cannot be repaired here"
        )
    check = scopes(repaired)
    if check is None or _compare(before, check, Repairs()):
        return Outcome(new, [], "the removed code changed what its function means, and the repair did not restore it")
    return Outcome(repaired, repairs.notes)


# ------------------------------------------------------------------ scopes


def scopes(text: str) -> Optional[Scope]:
    """The scope tree of ``text``, or None if it does not compile."""
    try:
        with user_code():
            table = symtable.symtable(text, "<fix>", "exec")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return _scope(table, _runs_as(tree))


def _scope(table: symtable.SymbolTable, kinds: Dict[Tuple[str, int], List[str]]) -> Scope:
    kind = table.get_type()
    kind = kind if isinstance(kind, str) else kind.name.lower()  # an enum from Python 3.13
    if kind not in ("module", "class"):
        kind = "function"
    name, line = table.get_name(), table.get_lineno()
    found = kinds.get((name, line), [""])
    runs_as = found.pop(0) if len(found) > 1 else found[0]
    names = {symbol.get_name(): _where(symbol) for symbol in table.get_symbols()}
    scope = Scope(kind, name, line, runs_as if kind == "function" else "", names)
    scope.children = [_scope(child, kinds) for child in table.get_children()]
    return scope


def _where(symbol: symtable.Symbol) -> str:
    if symbol.is_declared_global():
        return "declared global"
    if symbol.is_nonlocal():
        return "nonlocal"
    if symbol.is_free():
        return "free"
    if symbol.is_local():
        return "local"
    return "global"


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPES = (*_FUNCTIONS, ast.ClassDef, ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)


def _runs_as(tree: ast.AST) -> Dict[Tuple[str, int], List[str]]:
    """(symtable name, line) -> what each function-like scope there runs as."""
    kinds: Dict[Tuple[str, int], List[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, _FUNCTIONS):
            name = "lambda" if isinstance(node, ast.Lambda) else node.name
            kinds.setdefault((name, node.lineno), []).append(_function_kind(node))
        elif isinstance(node, ast.GeneratorExp):
            kinds.setdefault(("genexpr", node.lineno), []).append(_genexp_kind(node))
    return kinds


def _own_nodes(node: ast.AST):
    """The nodes of ``node``'s own scope (not of scopes nested in it)."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, _SCOPES):
            stack.extend(ast.iter_child_nodes(child))


def _function_kind(node: ast.AST) -> str:
    generator = any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in _own_nodes(node))
    if isinstance(node, ast.AsyncFunctionDef):
        return "async generator" if generator else "coroutine"
    return "generator" if generator else ""


def _genexp_kind(node: ast.GeneratorExp) -> str:
    own = list(_own_nodes(node))
    is_async = any(isinstance(child, ast.Await) for child in own) or any(
        isinstance(child, ast.comprehension) and child.is_async for child in own
    )
    return "async generator" if is_async else "generator"


# --------------------------------------------------------------- compare


def _compare(before: Scope, after: Scope, repairs: Repairs) -> Optional[str]:
    """The first change of meaning repairs cannot cover, or None."""
    refusal = _compare_one(before, after, repairs)
    if refusal:
        return refusal
    remaining = list(before.children)
    for child in after.children:
        match = _match(child, remaining)
        if match is None:
            return f"cannot match {child.label} (line {child.line}) with the original"
        remaining = remaining[remaining.index(match) + 1 :]
        refusal = _compare(match, child, repairs)
        if refusal:
            return refusal
    return None


def _match(scope: Scope, candidates: Sequence[Scope]) -> Optional[Scope]:
    """The first candidate of the same kind and name, preferring one that
    means the same (the fix only removes scopes, never reorders them)."""
    same = [other for other in candidates if (other.kind, other.name) == (scope.kind, scope.name)]
    for other in same:
        if other.runs_as == scope.runs_as and all(
            other.names.get(name) == where for name, where in scope.names.items()
        ):
            return other
    return same[0] if same else None


def _compare_one(before: Scope, after: Scope, repairs: Repairs) -> Optional[str]:
    key = (after.name, after.line)
    if before.runs_as != after.runs_as:
        if after.name in ("lambda", "genexpr") or before.runs_as not in ("generator", "async generator"):
            return f"{before.label} (line {before.line}) would stop being {_a(before.runs_as or 'plain function')}"
        repairs.generators[key] = before.runs_as
        repairs.notes.append(
            f"{before.line}: kept {after.label} {_a(before.runs_as)}: its only yield was in the removed code"
        )
    for name, where in sorted(after.names.items()):
        was = before.names.get(name)
        if was == where or after.kind == "module":  # module names all live in the module
            continue
        if was in ("declared global", "nonlocal") and after.kind != "module":
            keyword = "global" if was == "declared global" else "nonlocal"
            repairs.declarations.setdefault(key, []).append((keyword, name))
            repairs.notes.append(
                f"{before.line}: kept `{keyword} {name}` in {after.label}: the removed code declared it"
            )
            continue
        if after.kind in _NAME_SCOPES and {was, where} <= {"local", "global"}:
            continue
        return _binding_refusal(before, name, was, where)
    return None


def _binding_refusal(scope: Scope, name: str, was: Optional[str], now: str) -> str:
    if was == "local":
        return (
            f"`{name}` in {scope.label} (line {scope.line}) is bound only in the removed code: "
            f"without that binding `{name}` would stop being local to {scope.label} "
            f"and would be read from an outer scope instead"
        )
    return f"`{name}` in {scope.label} (line {scope.line}) would change scope ({was or 'unknown'} -> {now})"


# ----------------------------------------------------------------- repair


def _apply(text: str, repairs: Repairs) -> Optional[str]:
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
        transformer = _Repair(repairs)
        module = wrapper.visit(transformer)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    if transformer.pending:
        return None
    return module.code


class _Repair(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, repairs: Repairs) -> None:
        super().__init__()
        self.repairs = repairs
        self.pending: Set[Tuple[str, int]] = set(repairs.generators) | set(repairs.declarations)
        self._keys: List[Optional[Tuple[str, int]]] = []

    def _key(self, node) -> Tuple[str, int]:
        return (node.name.value, self.get_metadata(PositionProvider, node.name).start.line)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._keys.append(self._key(node))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._keys.append(self._key(node))

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        return self._leave(updated)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        return self._leave(updated)

    def _leave(self, node):
        key = self._keys.pop()
        if key not in self.pending or not isinstance(node.body, cst.IndentedBlock):
            return node
        self.pending.discard(key)
        body = list(node.body.body)
        declarations = [
            cst.parse_statement(
                f"{keyword} {', '.join(name for kw, name in self.repairs.declarations[key] if kw == keyword)}\n"
            )
            for keyword in dict.fromkeys(kw for kw, _ in self.repairs.declarations.get(key, []))
        ]
        if declarations:
            at = 1 if body and _is_docstring(body[0]) else 0
            body[at:at] = declarations
        if key in self.repairs.generators:
            body = _keep_generator(body, node.name.value, self.repairs.generators[key])
        return node.with_changes(body=node.body.with_changes(body=body))


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _keep_generator(body: list, name: str, runs_as: str) -> list:
    """``body`` ending in ``return`` then an unreachable ``yield``."""
    if (
        len(body) == 1
        and isinstance(body[0], cst.SimpleStatementLine)
        and all(isinstance(small, cst.Pass) for small in body[0].body)
    ):
        body = []
    last = body[-1] if body else None
    ends = isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], (cst.Return, cst.Raise))
    tail = [] if ends else [cst.parse_statement("return\n")]
    tail.append(cst.parse_statement(f"yield  # unreachable: keeps {name}() {_a(runs_as)}\n"))
    return [*body, *tail]


def _a(kind: str) -> str:
    return f"an {kind}" if kind.startswith("a") else f"a {kind}"

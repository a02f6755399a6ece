"""Who still names what: the cascade's reference checks.

A :class:`Scan` of one module lists the identifiers it references, with
the function they are referenced from, after Python's own scoping: a name a
function binds (assignment, parameter, ``for``, ``with``, ``except``,
import, nested ``def``) is that function's local there, not a reference to
the module-level name, unless declared ``global``. Everything uncertain
counts as a reference, so a miss can only keep code, never remove code
still in use: comprehension and lambda variables are not treated as
locals, and every identifier inside a string counts (``__all__``,
``getattr(m, "name")``, string annotations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from ..extract.names import dotted
from .transform import defined_name, import_binding

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ImportBinding:
    bound: str
    module: str  # as written (relative dots included)
    name: Optional[str]  # for ``from m import name``
    conditional: bool  # inside try/if: a fallback import, never removed


@dataclass
class Scan:
    """Who names what in one module."""

    #: identifier -> scopes (function qualname, "" for module/class level)
    #: where it is used as a bare name that is not that function's local
    refs: Dict[str, Set[str]] = field(default_factory=dict)
    #: identifier -> scopes where it is an attribute name (``obj.NAME``):
    #: these can reach any module's or class's names without importing them
    #: (a module passed around, ``self.method()``)
    attributes: Dict[str, Set[str]] = field(default_factory=dict)
    #: ``from m import *``: any bare name may come from another module
    star: bool = False
    #: every identifier in import statements (modules, names, aliases)
    imported: Set[str] = field(default_factory=set)
    imports: List[ImportBinding] = field(default_factory=list)
    #: module/class-level bindings: qualified name -> whether each is simple
    #: (a one-target assignment directly in the module or class body)
    bindings: Dict[str, List[bool]] = field(default_factory=dict)
    #: qualified names of every ``def``
    functions: Set[str] = field(default_factory=set)
    #: qualified names of every ``class``
    classes: Set[str] = field(default_factory=set)

    def referenced(self, name: str, outside: Optional[str] = None) -> bool:
        """``name`` is referenced here in any way (not counting code inside
        function ``outside``)."""
        if name in self.imported:
            return True
        scopes = [*self.refs.get(name, ()), *self.attributes.get(name, ())]
        return any(not (outside and within(scope, outside)) for scope in scopes)

    def reaches(self, name: str) -> bool:
        """Whether this module can reference another module's ``name``: by
        importing it, as an attribute or a string, or through ``import *``.
        A bare ``name`` here otherwise means this module's own (or a builtin)."""
        return name in self.imported or name in self.attributes or (self.star and name in self.refs)


class Scanner(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.scan = Scan()
        self._frames: List[Tuple[str, str]] = []  # (kind, qualname)
        self._skip: Set[int] = set()
        self._conditional = 0
        self._simple: Set[int] = set()  # targets of simple definition statements
        self._raw: List[Tuple[str, str]] = []  # (name, function scope) as written
        self._bound: Dict[str, Set[str]] = {}  # function -> its locals
        self._globals: Dict[str, Set[str]] = {}  # function -> names declared global
        self._parent: Dict[str, str] = {}  # function -> enclosing function ("" if none)
        self._own: Dict[int, str] = {}  # simple definition statement -> the name it binds
        self._defining: List[str] = []  # inside such statements: their names
        self._members: List[Tuple[str, str, str]] = []  # ``self.X`` in a method: (class, X, scope)

    def finish(self) -> Scan:
        for name, scope in self._raw:
            if not self._local(name, scope):
                self.scan.refs.setdefault(name, set()).add(scope)
        for owner, name, scope in self._members:
            member = f"{owner}.{name}"
            if (
                member not in self.scan.functions
                and member not in self.scan.classes
                and member not in self.scan.bindings
            ):
                # not defined in the class itself (inherited, set at run time): any same-named code may be meant
                self.scan.attributes.setdefault(name, set()).add(scope)
        return self.scan

    def _local(self, name: str, scope: str) -> bool:
        while scope:
            if name in self._globals.get(scope, ()):
                return False
            if name in self._bound.get(scope, ()):
                return True
            scope = self._parent.get(scope, "")
        return False

    # ------------------------------------------------------------ scopes
    @property
    def _scope(self) -> str:
        for kind, qualname in reversed(self._frames):
            if kind == "function":
                return qualname
        return ""

    def _qualname(self, name: str) -> str:
        return f"{self._frames[-1][1]}.{name}" if self._frames else name

    def _in_function(self) -> bool:
        return any(kind == "function" for kind, _ in self._frames)

    def _bind_local(self, name: str) -> None:
        if self._in_function():
            self._bound.setdefault(self._scope, set()).add(name)

    def _bind_target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._bind_local(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._skip.add(id(node.name))
        self._bind_local(node.name.value)
        self.scan.classes.add(self._qualname(node.name.value))
        self._frames.append(("class", self._qualname(node.name.value)))

    def leave_ClassDef(self, original_node) -> None:
        self._frames.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._skip.add(id(node.name))
        self._bind_local(node.name.value)
        qualname = self._qualname(node.name.value)
        self.scan.functions.add(qualname)
        self._parent[qualname] = self._scope
        self._frames.append(("function", qualname))

    def leave_FunctionDef(self, original_node) -> None:
        self._frames.pop()

    def visit_Param(self, node: cst.Param) -> None:
        self._bind_local(node.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        self._globals.setdefault(self._scope, set()).update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self._bound.setdefault(self._scope, set()).update(item.name.value for item in node.names)

    def visit_Try(self, node) -> None:
        self._conditional += 1

    def leave_Try(self, original_node) -> None:
        self._conditional -= 1

    visit_TryStar = visit_Try
    leave_TryStar = leave_Try

    def visit_If(self, node) -> None:
        self._conditional += 1

    def leave_If(self, original_node) -> None:
        self._conditional -= 1

    # ---------------------------------------------------------- bindings
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        at_definition_level = not self._frames or self._frames[-1][0] == "class"
        if at_definition_level and not self._conditional:
            for small in node.body:
                name = defined_name(small)
                if name is None:
                    continue
                if isinstance(small, cst.Assign):
                    self._simple.add(id(small.targets[0].target))
                elif isinstance(small, cst.AnnAssign):
                    self._simple.add(id(small.target))
                self._own[id(small)] = name

    def visit_Assign(self, node: cst.Assign) -> None:
        self._enter_own(node)
        for target in node.targets:
            self._binding(target.target)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._leave_own(original_node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._enter_own(node)
        self._binding(node.target)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        self._leave_own(original_node)

    def _enter_own(self, node) -> None:
        """``X = os.getenv("X") == "1"``, ``X = X or 0``: what a plain
        definition says about its own name goes away with it."""
        if id(node) in self._own:
            self._defining.append(self._own[id(node)])

    def _leave_own(self, node) -> None:
        if id(node) in self._own:
            self._defining.pop()

    def _is_own(self, name: str) -> bool:
        return bool(self._defining) and self._defining[-1] == name

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._bind_target(node.target)

    def _binding(self, target: cst.BaseExpression) -> None:
        at_definition_level = not self._frames or self._frames[-1][0] == "class"
        if at_definition_level and isinstance(target, cst.Name):
            self._skip.add(id(target))
            simple = id(target) in self._simple
            self.scan.bindings.setdefault(self._qualname(target.value), []).append(simple)
        else:
            self._bind_target(target)

    # ----------------------------------------------------------- imports
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            self._import(alias, dotted(alias.name) or "", None)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        written = dotted(node.module) if node.module is not None else None
        module = "." * len(node.relative) + (written or "")
        self.scan.imported.update(part for part in module.split(".") if part)
        if isinstance(node.names, cst.ImportStar):
            self.scan.star = True
            return False
        for alias in node.names:
            self._import(alias, module, dotted(alias.name) or "")
        return False

    def _import(self, alias: cst.ImportAlias, module: str, name: Optional[str]) -> None:
        bound = import_binding(alias, name is not None)
        written = name if name is not None else module
        self.scan.imported.update(part for part in written.split(".") if part)
        if bound:
            self.scan.imported.add(bound)
            self._bind_local(bound)
            self.scan.imports.append(ImportBinding(bound, module, name, bool(self._conditional) or self._in_function()))

    # -------------------------------------------------------- references
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))
        owner = (
            self._method_owner() if isinstance(node.value, cst.Name) and node.value.value in ("self", "cls") else None
        )
        if owner is not None:  # ``self.send()`` in a method of C: C.send if C defines it (see finish)
            self._members.append((owner, node.attr.value, self._scope))
            return
        self.scan.attributes.setdefault(node.attr.value, set()).add(self._scope)

    def _method_owner(self) -> Optional[str]:
        """The class whose method the innermost function is, if it is one."""
        if len(self._frames) >= 2 and self._frames[-1][0] == "function" and self._frames[-2][0] == "class":
            return self._frames[-2][1]
        return None

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip and not self._is_own(node.value):
            self._raw.append((node.value, self._scope))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._strings(node.value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self._strings(node.value)

    def _strings(self, text: str) -> None:
        """``__all__ = ["x"]``, ``getattr(m, "x")``, ``"List[X]"``: any
        identifier in a string may name something (never a local)."""
        for name in _IDENTIFIER.findall(text):
            if self._is_own(name):
                continue
            self.scan.refs.setdefault(name, set()).add(self._scope)
            self.scan.attributes.setdefault(name, set()).add(self._scope)


def scan_module(module: cst.Module) -> Scan:
    scanner = Scanner()
    module.visit(scanner)
    return scanner.finish()


def within(scope: str, qualname: str) -> bool:
    return scope == qualname or scope.startswith(qualname + ".")

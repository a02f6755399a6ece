"""Facts for the dead-code search that are not about flags.

Mixed into the fact collector, in methods of their own: class definitions,
identifiers named inside strings (``"app.legacy.export"`` in Django settings,
a ``mock.patch`` target, an entry point in ``setup.py``), and lookups by a
computed name (``globals()[name]``, ``getattr(module, name)``), which may
reach any function of a module. All of these only ever keep code alive.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple, Union

import libcst as cst

from ..facts import UNKNOWN_RECEIVER, Function
from .core import Collector
from .literals import identifiers_of, plain_text, string_identifiers
from .names import dotted

#: class decorators that only add methods; any other may register the class
_PURE_CLASS_DECORATORS = frozenset(
    {"dataclass", "dataclasses.dataclass", "total_ordering", "functools.total_ordering", "unique", "enum.unique"}
)
_MODULE_NAMESPACES = frozenset({"globals", "vars", "locals"})

__all__ = ["ReferenceFacts", "plain_value", "shim_lookups", "string_identifiers"]


class ReferenceFacts(Collector):
    """Mixin for :class:`~flaglint.extract.visitor.FactCollector`."""

    classes: List[Function]
    dynamic_lookups: Set[str]
    #: ``getattr(module, name)`` calls (by node id) in a module ``__getattr__``
    #: that only run for these literal names
    shim_lookups: Dict[int, Tuple[str, ...]]

    def _note_class(self, node: cst.ClassDef, qualname: str) -> None:
        registering = [
            decorator
            for decorator in node.decorators
            if (dotted(getattr(decorator.decorator, "func", decorator.decorator)) or "") not in _PURE_CLASS_DECORATORS
        ]
        self.classes.append(Function(qualname, node.name.value, self.span(node), bool(registering), self.guards))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        for name in identifiers_of(node.value, lambda: _value(node)):
            self._note_identifier(name)

    def _note_dynamic_lookup(self, node: cst.Call) -> None:
        """``getattr(module, name)`` or ``globals().get(name)`` with a computed name."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and _is_namespace_call(func.value):
            if node.args and not isinstance(node.args[0].value, cst.SimpleString):
                self.dynamic_lookups.add("")
            return
        if dotted(func) not in ("getattr", "hasattr") or len(node.args) < 2:
            return
        if isinstance(node.args[1].value, cst.SimpleString):
            return
        target = node.args[0].value
        shim = self.shim_lookups.get(id(node))
        if shim is not None:  # ``if name in {"A", "B"}: return getattr(_mod, name)``: only A and B
            ref = dotted(target)
            for name in shim:
                self._note_reference(self._attribute_reference(f"{ref}.{name}") if ref else UNKNOWN_RECEIVER + name)
            return
        if _is_namespace_call(target) or _is_own_module(target):
            self.dynamic_lookups.add("")
            return
        ref = dotted(target)
        if ref and ref.split(".")[0] not in ("self", "cls"):
            self.dynamic_lookups.add(ref)

    def _note_shim(self, node: cst.FunctionDef) -> None:
        """A module ``__getattr__``: its lookups by the requested name that
        only run for a literal set of names (see :func:`shim_lookups`)."""
        if self.frame.kind == "module" and node.name.value == "__getattr__":
            self.shim_lookups.update(shim_lookups(node))

    def _note_namespace_subscript(self, node: cst.Subscript) -> None:
        """``globals()[name]``: any module-level name may be fetched (a
        literal name is a string, and counts as a reference by itself).
        Called by the collector's ``visit_Subscript``."""
        if _is_namespace_call(node.value) and not all(
            isinstance(getattr(element.slice, "value", None), cst.SimpleString) for element in node.slice
        ):
            self.dynamic_lookups.add("")


def plain_value(node: cst.SimpleString) -> Optional[str]:
    """The value of a str literal with nothing to evaluate (see
    :func:`~flaglint.extract.literals.plain_text`), else None."""
    return plain_text(node.value, node.prefix, len(node.quote))


def _value(node: cst.SimpleString) -> Union[str, bytes, None]:
    plain = plain_value(node)
    if plain is not None:
        return plain
    try:
        return node.evaluated_value
    except Exception:  # an odd literal libcst cannot evaluate names nothing
        return None


def _is_namespace_call(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and dotted(node.func) in _MODULE_NAMESPACES and not node.args


def _is_own_module(node: cst.BaseExpression) -> bool:
    """``sys.modules[__name__]``."""
    return (
        isinstance(node, cst.Subscript)
        and dotted(node.value) == "sys.modules"
        and any(
            isinstance(element.slice, cst.Index)
            and isinstance(element.slice.value, cst.Name)
            and element.slice.value.value == "__name__"
            for element in node.slice
        )
    )


def shim_lookups(function: cst.FunctionDef) -> Dict[int, Tuple[str, ...]]:
    """``getattr(x, name)`` calls in a module ``__getattr__(name)`` that run
    only inside ``if name in {"A", "B"}:`` (a set, tuple or list of string
    literals, or ``name == "A"``, joined by ``or``): call id -> those names.
    A re-export shim like this fetches only its listed names, so they, not
    every name of the target module, are what it uses."""
    params = function.params.posonly_params or function.params.params
    if not params:
        return {}
    visitor = _ShimVisitor(params[0].name.value)
    function.body.visit(visitor)
    return visitor.found


class _ShimVisitor(cst.CSTVisitor):
    def __init__(self, param: str) -> None:
        super().__init__()
        self.param = param
        self.found: Dict[int, Tuple[str, ...]] = {}
        self._bodies: Dict[int, Tuple[str, ...]] = {}  # if-body id -> the names it runs for
        self._allowed: List[Tuple[str, ...]] = []

    def visit_If(self, node: cst.If) -> None:
        names = _tested_names(node.test, self.param)
        if names is not None:
            self._bodies[id(node.body)] = names

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self._bodies:
            self._allowed.append(self._bodies[id(node)])
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return False  # another scope: its ``name`` is not the parameter
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if id(original_node) in self._bodies:
            self._allowed.pop()
        super().on_leave(original_node)

    def visit_Call(self, node: cst.Call) -> None:
        if (
            self._allowed
            and dotted(node.func) == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1].value, cst.Name)
            and node.args[1].value.value == self.param
        ):
            self.found[id(node)] = self._allowed[-1]


def _tested_names(test: cst.BaseExpression, param: str) -> Optional[Tuple[str, ...]]:
    """The names ``test`` lets through: ``param in {"A", "B"}``,
    ``param == "A"``, or several joined by ``or``; None for any other test."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        left, right = _tested_names(test.left, param), _tested_names(test.right, param)
        return None if left is None or right is None else left + right
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return None
    if not (isinstance(test.left, cst.Name) and test.left.value == param):
        return None
    operator, comparator = test.comparisons[0].operator, test.comparisons[0].comparator
    if isinstance(operator, cst.Equal):
        elements: List[cst.BaseExpression] = [comparator]
    elif isinstance(operator, cst.In) and isinstance(comparator, (cst.Set, cst.Tuple, cst.List)):
        elements = [element.value for element in comparator.elements]
        if any(isinstance(element, cst.StarredElement) for element in comparator.elements):
            return None
    else:
        return None
    names = []
    for element in elements:
        value = element.evaluated_value if isinstance(element, cst.SimpleString) else None
        if not isinstance(value, str):
            return None
        names.append(value)
    return tuple(names)

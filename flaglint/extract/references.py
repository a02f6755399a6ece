"""Facts for the dead-code search that are not about flags.

Mixed into the fact collector, in methods of their own: class definitions,
identifiers named inside strings (``"app.legacy.export"`` in Django settings,
a ``mock.patch`` target, an entry point in ``setup.py``), and lookups by a
computed name (``globals()[name]``, ``getattr(module, name)``), which may
reach any function of a module. All of these only ever keep code alive.
"""

from __future__ import annotations

import re
from typing import List, Optional, Set, Union

import libcst as cst

from ..facts import Function
from .core import Collector
from .names import dotted

#: a dotted path, optionally ``module:attribute`` (an entry point's value)
_PATH = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_DOTTED = re.compile(rf"\s*{_PATH}(?:\s*:\s*{_PATH})?\s*")
#: ``name = module:attribute [extras]`` as written in ``entry_points``
_ENTRY_POINT = re.compile(rf"\s*[\w.\-]+\s*=\s*({_PATH}(?:\s*:\s*{_PATH})?)\s*(?:\[[^\]]*\])?\s*")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_MAX_PATH_STRING = 300
#: class decorators that only add methods; any other may register the class
_PURE_CLASS_DECORATORS = frozenset(
    {"dataclass", "dataclasses.dataclass", "total_ordering", "functools.total_ordering", "unique", "enum.unique"}
)
_MODULE_NAMESPACES = frozenset({"globals", "vars", "locals"})


def string_identifiers(text: str) -> List[str]:
    """The identifiers a string may name code by: every part of a dotted
    path or an entry point; nothing for prose."""
    match = _DOTTED.fullmatch(text) or _ENTRY_POINT.fullmatch(text)
    if match is None:
        return []
    return _IDENTIFIER.findall(match.group(1) if match.re is _ENTRY_POINT else text)


class ReferenceFacts(Collector):
    """Mixin for :class:`~flaglint.extract.visitor.FactCollector`."""

    classes: List[Function]
    dynamic_lookups: Set[str]

    def _note_class(self, node: cst.ClassDef, qualname: str) -> None:
        registering = [
            decorator
            for decorator in node.decorators
            if (dotted(getattr(decorator.decorator, "func", decorator.decorator)) or "") not in _PURE_CLASS_DECORATORS
        ]
        self.classes.append(Function(qualname, node.name.value, self.span(node), bool(registering), self.guards))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if len(node.value) > _MAX_PATH_STRING or " " in node.value.strip("'\"") and "=" not in node.value:
            return  # prose, or too long to name code: not worth evaluating
        value: Union[str, bytes, None] = plain_value(node)
        if value is None:
            try:
                value = node.evaluated_value
            except Exception:  # an odd literal libcst cannot evaluate names nothing
                return
        if isinstance(value, str):
            for name in string_identifiers(value):
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
        if _is_namespace_call(target) or _is_own_module(target):
            self.dynamic_lookups.add("")
            return
        ref = dotted(target)
        if ref and ref.split(".")[0] not in ("self", "cls"):
            self.dynamic_lookups.add(ref)

    def _note_namespace_subscript(self, node: cst.Subscript) -> None:
        """``globals()[name]``: any module-level name may be fetched (a
        literal name is a string, and counts as a reference by itself).
        Called by the collector's ``visit_Subscript``."""
        if _is_namespace_call(node.value) and not all(
            isinstance(getattr(element.slice, "value", None), cst.SimpleString) for element in node.slice
        ):
            self.dynamic_lookups.add("")


def plain_value(node: cst.SimpleString) -> Optional[str]:
    """The value of a str literal with nothing to evaluate (no escape, no
    ``\\r`` newline, not bytes): its text between the quotes. None for any
    other, whose value ``evaluated_value`` must work out (it compiles the
    literal, which cost more than the rest of the visit of a string)."""
    text = node.value
    if "\\" in text or "\r" in text or "b" in node.prefix:
        return None
    return node.raw_value


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

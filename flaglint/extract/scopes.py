"""Scopes: classes, functions, lambdas, loops and imports.

Each class and function body is a frame on the collector's stack; a
function's parameters and loop variables are locals, and a decorator such as
``@waffle_flag("x")`` gates the whole body. Imports bind module-wide.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..facts import (
    Function,
    Import,
)
from .core import Frame
from .definitions import Definitions
from .keyed import key_list, literal_of
from .names import dotted
from .references import ReferenceFacts
from .relative import absolute_module
from .wrappers import Wrappers

_FLAG_ENUM_BASES = frozenset({"Flag", "IntFlag"})


class Scopes(Definitions, Wrappers, ReferenceFacts):
    """Handlers that open and close scopes and bind names in them."""

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._skip_name(node.name)
        self._bind(node.name.value)
        self._bind_definition(node.name.value)
        bases = tuple(dotted(arg.value) or "" for arg in node.bases if not arg.keyword)
        simple = {base.rsplit(".", 1)[-1] for base in bases}
        enum_kind = next(iter(sorted(simple & _FLAG_ENUM_BASES)), None)
        qualname = self._qualify(node.name.value)
        self.class_bases.append((qualname, bases))
        self._note_settings_class(node, qualname)
        self._note_class(node, qualname)
        self.frames.append(Frame("class", qualname, enum_kind=enum_kind))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.frames.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._skip_name(node.name)
        self._bind(node.name.value)
        self._bind_definition(node.name.value)
        self._note_shim(node)
        qualname = self._qualify(node.name.value)
        self.functions.append(Function(qualname, node.name.value, self.span(node), bool(node.decorators), self.guards))
        self._function_nodes[qualname] = node.name
        self._flag_decorators(node)
        params, positional = _call_site_params(node, self.frame.kind == "class")
        frame = Frame("function", qualname, params=params, positional=positional)
        for param in _params(node.params):
            frame.bound.add(param.name.value)
            self.fed_fields.add(f"{qualname}:{param.name.value}")
            self._skip_name(param.name)
        self._note_typed_params(node, frame, qualname)
        self.frames.append(frame)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._registry_wrapper(self.frame)
        self.frames.pop()

    def _flag_decorators(self, node: cst.FunctionDef) -> None:
        """``@waffle_flag("x")``: the function body runs only when the flag is on."""
        for decorator in node.decorators:
            info = self.keyed.decorator(decorator.decorator)
            if info is None or info.key is None:  # decorator() always names a key
                continue
            gate = None if info.negated else self.block_span(node.body)
            index = self._add_truth_read(info.key, decorator.decorator, gate, default_on=info.default_on)
            if gate is not None:
                self._gate_starts[id(node.body)] = self._gate_starts.get(id(node.body), ()) + (index,)

    def _bind_definition(self, name: str) -> None:
        """A ``def`` or ``class`` inside a function: its name is a local that
        names a definition (see :meth:`_note_reference`)."""
        if self.frame.kind == "function" and name not in self.frame.globals:
            self.frame.defs.add(name)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        frame = Frame("function", self._qualify("<lambda>"))
        for param in _params(node.params):
            frame.bound.add(param.name.value)
            self._skip_name(param.name)
        self.frames.append(frame)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.frames.pop()

    def visit_Global(self, node: cst.Global) -> bool:
        self.frame.globals.update(item.name.value for item in node.names)
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        self.frame.bound.update(item.name.value for item in node.names)
        return False

    def visit_For(self, node: cst.For) -> None:
        self._bind_targets(node.target)
        self._note_each(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_targets(node.target)
        self._note_each(node.target, node.iter)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._note_comprehension(node.for_in)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._note_comprehension(node.for_in)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._note_comprehension(node.for_in)

    def _note_comprehension(self, for_in: Optional[cst.CompFor]) -> None:
        """A comprehension's element is visited before its ``for``: note the
        loop variables first."""
        while for_in is not None:
            self._note_each(for_in.target, for_in.iter)
            for_in = for_in.inner_for_in

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._note_comprehension(node.for_in)

    def _note_each(self, target, iterable) -> None:
        """``for name in names`` with ``names`` a parameter (of this function
        or one it is nested in, as in a decorator factory); or with
        ``names`` a literal list of keys, or a name bound to one here or at
        module level: ``name`` is one of those keys."""
        if isinstance(target, cst.Name):
            keys = self._key_list_of(iterable)
            if keys:
                self.frame.loop_keys[target.value] = keys
        if self.frame.kind != "function" or not isinstance(target, cst.Name) or not isinstance(iterable, cst.Name):
            return
        for frame in reversed(self.frames):
            if frame.kind != "function":
                continue
            if any(name == iterable.value for name, _ in frame.params):
                self.frame.each[target.value] = (frame, iterable.value)
                return
            if iterable.value in frame.bound:
                return  # a local of that name hides the outer parameter

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_targets(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_targets(node.name.name)

    def visit_Import(self, node: cst.Import) -> bool:
        """Imports anywhere bind module-wide for flaglint: a function that
        imports a flag locally still reads the module's flag."""
        for alias in node.names:
            module = dotted(alias.name) or ""
            if alias.asname and isinstance(alias.asname.name, cst.Name):
                self.imports.append(Import(alias.asname.name.value, module, span=self.span(node)))
                self._imported[alias.asname.name.value] = module
            else:
                head = module.split(".")[0]
                self.imports.append(Import(head, head, span=self.span(node)))
                self._imported[head] = head
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = absolute_module(
            self.module, self.is_package, len(node.relative), (dotted(node.module) or "") if node.module else ""
        )
        if module is None:
            return False
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(Import("*", module, "*", self.span(node)))
            return False
        for alias in node.names:
            name = dotted(alias.name) or ""
            bound = alias.asname.name if alias.asname else alias.name
            if isinstance(bound, cst.Name):
                self.imports.append(Import(bound.value, module, name, self.span(node)))
                self._imported[bound.value] = f"{module}.{name}" if module else name
        return False

    def _key_list_of(self, node: cst.BaseExpression) -> Tuple[str, ...]:
        """The keys of a literal list of key-like strings, or of a name bound
        to one in this scope (or, unbound here, at module level)."""
        keys = key_list(node)
        if keys or not isinstance(node, cst.Name):
            return keys
        if node.value in self.frame.key_lists:
            return self.frame.key_lists[node.value]
        if node.value in self.frame.bound and self.frame.kind == "function":
            return ()
        return self.frames[0].key_lists.get(node.value, ())


def _call_site_params(node: cst.FunctionDef, in_class: bool) -> Tuple[Tuple[Tuple[str, object], ...], int]:
    """(parameters as a caller passes them, with literal defaults; how many
    of them can be passed by position). A method's ``self``/``cls`` is not
    passed (a staticmethod has none); keyword-only ones come last."""
    params = [*node.params.posonly_params, *node.params.params]
    static = any(dotted(decorator.decorator) == "staticmethod" for decorator in node.decorators)
    if in_class and not static and params:
        params = params[1:]
    positional = len(params)
    params += list(node.params.kwonly_params)
    return tuple(
        (param.name.value, literal_of(param.default) if param.default is not None else None) for param in params
    ), positional


def _params(params: cst.Parameters) -> List[cst.Param]:
    stars = [star for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]
    return [*params.posonly_params, *params.params, *params.kwonly_params, *stars]

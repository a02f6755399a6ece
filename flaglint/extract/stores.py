"""Sets and stores: where values go.

A true value stored in an attribute or a ``global`` sets a flag; a value
stored in a field (``order.flags = A | B``, ``Order(flags=A)``) ties the
constants used on that field together; ``os.environ[...] = ...`` turns an
environment flag on; a flag dict bound or updated is kept as written for the
graph.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .core import Collector
from .names import dotted, field_key, is_constant_like, keyword_field
from .values import can_be_true, literal_value


class Stores(Collector):
    """Handlers for stores into fields, attributes, the environment and flag dicts."""

    def _set_field(self, value, target, *, bitwise: bool) -> None:
        """Remember where ``value`` is stored; a module or class constant
        (``MASK = A | B``) is a definition, not a field."""
        stored = isinstance(target, cst.Attribute) or self.frame.kind == "function"
        key = field_key(target, self.scope) if stored else None
        self._fields[id(value)] = (key, bitwise)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip_name(node.keyword)
            self._fields[id(node.value)] = (keyword_field(node.keyword.value), False)
            if not constant_expression(node.value):
                self.fed_fields.add(keyword_field(node.keyword.value))
            if can_be_true(node.value):
                self.attribute_sets.add(node.keyword.value)

    def _env_set(self, key_node: Optional[cst.BaseExpression]) -> None:
        key = self.keyed.key_of(key_node) if key_node is not None else None
        self.env_sets.add(key or "*")

    def _env_setter(self, node: cst.Call) -> None:
        """``os.environ.setdefault("X", v)``, ``os.putenv``, ``monkeypatch.setenv``,
        ``os.environ.update(X=v)``: the code turns a variable on itself."""
        func = dotted(node.func) or ""
        full = self.keyed.resolve(func)
        if full in ("os.environ.setdefault", "os.putenv") or func.endswith(".setenv"):
            self._env_set(node.args[0].value if node.args and not node.args[0].keyword else None)
        elif full == "os.environ.update":
            for arg in node.args:
                if arg.keyword is not None:
                    self.env_sets.add(arg.keyword.value)
                elif isinstance(arg.value, cst.Dict):
                    for element in arg.value.elements:
                        self._env_set(getattr(element, "key", None))
                else:
                    self.env_sets.add("*")

    def _assign_attribute(self, target: cst.Attribute, value, augmented: bool) -> None:
        if augmented or can_be_true(value):
            self.attribute_sets.add(target.attr.value)
        if not constant_expression(value):
            self.fed_fields.add("." + target.attr.value)

    def _feed_attributes(self, target: cst.BaseExpression) -> None:
        """``(x.flag_bits, x.size) = unpack(...)``: attributes filled from data."""
        for element in getattr(target, "elements", ()):
            value = element.value
            if isinstance(value, cst.Attribute):
                self.fed_fields.add("." + value.attr.value)
            else:
                self._feed_attributes(value)

    def _note_flag_dict(self, target, value, augmented: bool) -> None:
        """Bindings and updates of flag dicts: ``FLAGS = {...}`` at module
        level, ``self._flags = dict(DEFAULTS)`` in a method,
        ``FLAGS["X"] = True``, ``FLAGS |= {...}``."""
        if isinstance(target, cst.Subscript):
            name = self._dict_name(target.value)
            if name and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                self.flag_dicts.item_set(name, target.slice[0].slice.value, value, target)
            return
        name = self._dict_name(target)
        if not name:
            return
        if augmented:
            self.flag_dicts.merged(name, value, target)
        else:
            self.flag_dicts.bound(name, value, target, attribute="." in name)

    def _dict_name(self, node) -> str:
        """The name a flag dict goes by: a module-level name, or ``Class.x``
        for ``self.x`` in a method ("" for anything else)."""
        if isinstance(node, cst.Name) and self.frame.kind == "module":
            return node.value
        ref = dotted(node)
        if self.frame.kind == "function" and ref and ref.startswith("self.") and ref.count(".") == 1:
            return self._normalise(ref) or ""
        return ""

    def _dynamic_setattr(self, target: cst.BaseExpression) -> None:
        """``setattr(cls, name, value)``: the class's attributes are data-driven."""
        ref = dotted(target) or ""
        if ref not in ("self", "cls"):  # a parameter, ``self.options``: whatever it was handed
            self.opaque_setattr = True
        if ref.split(".")[0] in ("self", "cls"):
            owner = self._method_owner()
            if owner:
                self.dynamic_classes.add(owner.rsplit(".", 1)[-1])
        elif ref:
            self.dynamic_classes.add(ref.rsplit(".", 1)[-1])


def constant_expression(node: cst.BaseExpression) -> bool:
    """Built only from literals and constant-like names (``A | B``, ``~MASK``, 0)."""
    if literal_value(node) is not None:
        return True
    ref = dotted(node)
    if ref is not None:
        return is_constant_like(ref) or ref in ("None", "True", "False")
    if isinstance(node, cst.BinaryOperation):
        return constant_expression(node.left) and constant_expression(node.right)
    if isinstance(node, cst.UnaryOperation):
        return constant_expression(node.expression)
    return False

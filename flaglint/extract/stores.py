"""Sets and stores: where values go.

A true value stored in an attribute or a ``global`` sets a flag; a value
stored in a field (``order.flags = A | B``, ``Order(flags=A)``) ties the
constants used on that field together; ``os.environ[...] = ...`` turns an
environment flag on (a computed name only as far as
:mod:`.env_writes` can bound it); a flag dict bound or updated is kept as
written for the graph.
"""

from __future__ import annotations

from typing import List, Optional, Set, Tuple

import libcst as cst

from ..keys import env_write_pattern
from .env_writes import key_bound
from .names import dotted, field_key, is_constant_like, keyword_field
from .settings import SettingsFacts
from .settings_names import literal, named_settings
from .values import can_be_true, literal_value


class Stores(SettingsFacts):
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
            self._argument_values.add(id(node.value))
            if not constant_expression(node.value):
                self.fed_fields.add(keyword_field(node.keyword.value))
            if can_be_true(node.value):
                self.attribute_sets.add(node.keyword.value)
                self._note_field_set(node.keyword.value)

    def _env_set(self, key_node: Optional[cst.BaseExpression], where: cst.CSTNode) -> None:
        """A write of one variable: its name, its prefix, or (unbounded) the
        write itself, as written and where, for the messages that name it."""
        bound = key_bound(key_node, self.keyed.constant)
        if bound is not None:
            self.env_sets.add(env_write_pattern(bound))
        elif isinstance(key_node, cst.Name):  # ``key = f"X_{port}"; os.environ[key] = v``
            self._env_named_writes.append((self._env_scope(key_node.value), key_node.value, where))
        else:
            self._env_open(where)

    def _env_open(self, where: cst.CSTNode) -> None:
        self.env_open_writes.append(self._env_written(where))

    def _env_written(self, where: cst.CSTNode) -> Tuple[str, int]:
        """(the write as written, shortened to one line; its line)."""
        text = " ".join(cst.Module([]).code_for_node(where).split())
        return (text[:57] + "..." if len(text) > 60 else text), self.span(where).line

    def _env_setter(self, node: cst.Call) -> None:
        """``os.environ.setdefault("X", v)``, ``os.putenv``, ``monkeypatch.setenv``,
        ``os.environ.update(X=v)``: the code turns a variable on itself."""
        func = dotted(node.func) or ""
        full = self.keyed.resolve(func)
        if full in ("os.environ.setdefault", "os.putenv") or func.endswith(".setenv"):
            positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
            self._env_set(node.args[0].value if node.args and not node.args[0].keyword else None, node)
            if len(positional) >= 2:
                self._settings_named(literal(positional[0]), positional[1])
        elif full == "os.environ.update":
            for arg in node.args:
                if arg.keyword is not None:
                    self.env_sets.add(arg.keyword.value)
                    self._settings_named(arg.keyword.value, arg.value)
                elif isinstance(arg.value, cst.Dict):
                    self._env_dict_literal(arg.value, node)
                elif isinstance(arg.value, cst.Name) and not arg.star:
                    self._env_updates.append((self._env_scope(arg.value.value), arg.value.value, node))
                else:
                    self._env_open(node)

    def _settings_named(self, key: Optional[str], value: Optional[cst.BaseExpression]) -> None:
        """``DJANGO_SETTINGS_MODULE`` set to a literal module name: Django's
        settings module (:mod:`.settings_names`)."""
        named = named_settings(key, value)
        if named is not None:
            self.settings_names.add(named)

    def _env_dict_literal(self, value: cst.Dict, where: cst.CSTNode) -> None:
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                self._env_set(element.key, where)
                self._settings_named(literal(element.key), element.value)
            else:  # ``**other``
                self._env_open(where)

    # Dicts handed to ``os.environ.update(d)``: (scope, name) -> the literal
    # keys of every binding and store, None once one is computed.
    def _env_scope(self, name: str) -> str:
        return self.frame.qualname if self.frame.kind == "function" and name in self.frame.bound else ""

    def _note_env_dict(self, target, value, augmented: bool) -> None:
        """``d = {"X": "1"}``, ``d["Y"] = v``: the keys ``d`` can hold."""
        if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            slot = (self._env_scope(target.value.value), target.value.value)
            keys = self._env_dict_keys.get(slot)
            index = target.slice[0].slice if len(target.slice) == 1 else None
            bound = key_bound(index.value, self.keyed.constant) if isinstance(index, cst.Index) else None
            if keys is not None and bound is not None and not bound[0]:
                keys.add(bound[1])
            elif slot in self._env_dict_keys:
                self._env_dict_keys[slot] = None
            return
        if not isinstance(target, cst.Name):
            return
        slot = (self._env_scope(target.value), target.value)
        literal = _literal_keys(value, self.keyed.constant) if not augmented else None
        bound = key_bound(value, self.keyed.constant) if not augmented else None
        twice = slot in self._env_dict_keys  # bound twice: unknown
        self._env_dict_keys[slot] = None if twice else literal
        self._env_key_names[slot] = None if twice else bound

    def _env_dict_changed(self, node: cst.Call) -> None:
        """``d.update(...)``, ``d.setdefault(...)``: ``d`` may hold any key."""
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            if node.func.attr.value in ("update", "setdefault", "__setitem__"):
                slot = (self._env_scope(node.func.value.value), node.func.value.value)
                if slot in self._env_dict_keys:
                    self._env_dict_keys[slot] = None

    def env_writes(self) -> Tuple[List[str], List[Tuple[str, int]]]:
        """Every variable the file's code sets (names and ``prefix*``), and
        the writes no name bounds: (text, line)."""
        names = set(self.env_sets)
        open_writes = list(self.env_open_writes)
        for scope, name, node in self._env_updates:
            keys = self._env_dict_keys.get((scope, name))
            if keys is None:
                open_writes.append(self._env_written(node))
            else:
                names |= keys
        for scope, name, where in self._env_named_writes:
            bound = self._env_key_names.get((scope, name))
            if bound is None:
                open_writes.append(self._env_written(where))
            else:
                names.add(env_write_pattern(bound))
        return sorted(names), sorted(set(open_writes), key=lambda item: (item[1], item[0]))

    def _assign_attribute(self, target: cst.Attribute, value, augmented: bool) -> None:
        if augmented or can_be_true(value):
            self.attribute_sets.add(target.attr.value)
            self._note_field_set(target.attr.value)
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


def _literal_keys(value, constant) -> Optional[Set[str]]:
    """The keys of ``{"X": v}`` or ``dict(X=v)``, when every one is a literal."""
    keys: Set[str] = set()
    if isinstance(value, cst.Dict):
        for element in value.elements:
            bound = key_bound(element.key, constant) if isinstance(element, cst.DictElement) else None
            if bound is None or bound[0]:
                return None
            keys.add(bound[1])
        return keys
    if isinstance(value, cst.Call) and dotted(value.func) == "dict":
        if all(arg.keyword is not None for arg in value.args):
            return {arg.keyword.value for arg in value.args if arg.keyword is not None}
    return None


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

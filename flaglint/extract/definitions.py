"""Definitions: what a module or class binds a name to.

``FLAG = True``, ``MASK = A | B``, ``B = A``, an enum member, a string
constant, ``ENABLE_X = os.getenv("X") == "1"``; in a function, which names
are locals and which ``global`` flags it sets. Also remembers which names are
SDK clients and which are instances of a class.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from ..facts import (
    ORIGIN_ALIAS,
    ORIGIN_COMPOSITE,
    ORIGIN_DYNAMIC,
    ORIGIN_LITERAL,
    Definition,
)
from . import conditions
from .flag_objects import flag_object
from .keyed import KeyInfo, key_list
from .names import dotted
from .settings_names import literal
from .stores import Stores, constant_expression
from .values import can_be_true, literal_value


class Definitions(Stores):
    """Handlers for assignments and the names they bind."""

    def _note_clients(self, targets, value) -> None:
        """``client = ldclient.get()``: remember names bound to an SDK client.

        A module-level name is a client only when every binding of it makes
        the same SDK's client (each branch of an ``if``/``elif``/``else``):
        one bound to anything else (a stub, another SDK) is not; ``None``
        (a placeholder filled later) does not count."""
        provider = self.keyed.provider_of(value) if isinstance(value, cst.Call) else None
        for target in targets:
            ref = dotted(target)
            if ref is None:
                continue
            known = self.keyed.clients.get(ref)
            if provider is not None:
                self._maybe_clients.setdefault(ref, set()).add(provider)
            if self.frame.kind == "module" and ref not in self._not_clients and not _is_none(value):
                if provider is None or (known is not None and known != provider):
                    self._not_clients.add(ref)
                    self.keyed.clients.pop(ref, None)
                    continue
            if provider is not None and ref not in self._not_clients:
                self.keyed.clients[ref] = provider

    def _note_instance(self, targets, value) -> None:
        """``flags = FeatureFlags(client)`` at module level: ``flags.is_on``
        is the class's method (for wrapper calls)."""
        if (
            self.frame.kind == "module"
            and len(targets) == 1
            and isinstance(targets[0], cst.Name)
            and isinstance(value, cst.Call)
        ):
            callee = dotted(value.func)
            if callee is not None:
                self.instances[targets[0].value] = callee
                found = flag_object(targets[0].value, value, self.string_constants.get, self.span(targets[0]))
                if found is not None:
                    self.flag_objects.append(found)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._note_clients([target.target for target in node.targets], node.value)
        self._note_instance([target.target for target in node.targets], node.value)
        first, *others = [target.target for target in node.targets]
        self._note_typed_local(first, node.value, None)
        self._assign(first, node.value, annotated=False)
        for target in others:
            if isinstance(first, cst.Name) and isinstance(target, cst.Name) and self.frame.kind != "function":
                # ``A = ASCII = 0x80``: one value, two names; the second is an alias
                self._skip_name(target)
                self._define(
                    target, ORIGIN_ALIAS, self.frame.members.get(first.value), self._class_local(first.value), False
                )
            else:
                self._assign(target, node.value, annotated=False)
        self._set_field(node.value, node.targets[-1].target, bitwise=False)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._note_clients([node.target], node.value)
            self._note_instance([node.target], node.value)
            self._note_typed_local(node.target, node.value, node.annotation.annotation)
            self._assign(node.target, node.value, annotated=True)
            self._set_field(node.value, node.target, bitwise=False)
        else:
            self._skip_use.add(id(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assign(node.target, node.value, annotated=False, augmented=True)
        bitwise = isinstance(node.operator, (cst.BitOrAssign, cst.BitXorAssign))
        self._set_field(node.value, node.target, bitwise=bitwise)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._assign(node.target, node.value, annotated=False)

    def _bind_targets(self, target: cst.BaseExpression) -> None:
        """Names bound to values flaglint cannot know (loop variables, ...)."""
        self._feed_attributes(target)
        for name in _target_names(target):
            self._skip_name(name)
            self._forget_key(name.value)
            if self.frame.kind == "function" and name.value in self.frame.globals:
                self.global_sets.add(name.value)  # ``global X; _, X = ...``: any value, so maybe true
            elif self.frame.kind == "function":
                self._bind(name.value)
            else:
                self._define(name, ORIGIN_DYNAMIC, None, None, annotated=False)

    def _forget_key(self, name: str) -> None:
        frame = self.frame
        frame.key_lists.pop(name, None)
        frame.loop_keys.pop(name, None)
        frame.key_bounds.pop(name, None)
        frame.rebound.add(name)

    def _note_key_binding(self, name: str, value: cst.BaseExpression, augmented: bool) -> None:
        """``FEATURES = ["a:x", "a:y"]`` (a loop over it reads one of them),
        ``flag = "org:integrations-%s" % key`` (only keys with that start):
        kept for a name bound once in its scope."""
        frame = self.frame
        first = name not in frame.rebound and name not in frame.key_lists and name not in frame.key_bounds
        self._forget_key(name)
        if augmented or not first:
            return
        keys = key_list(value)
        bound = None if keys else self.keyed.bounded(value)
        if keys:
            frame.key_lists[name] = keys
        elif bound is not None:
            frame.key_bounds[name] = bound[1]
        if keys or bound is not None:
            frame.rebound.discard(name)

    def _assign(self, target, value, *, annotated: bool, augmented: bool = False) -> None:
        self._stores.add(id(target))
        if isinstance(target, cst.Name):
            self._skip_name(target)
            self._note_key_binding(target.value, value, augmented)
            self._assign_name(target, value, annotated, augmented)
        elif isinstance(target, cst.Attribute):
            self._skip_use.add(id(target))
            self._assign_attribute(target, value, augmented)
        elif isinstance(target, (cst.Tuple, cst.List)):
            self._bind_targets(target)
        elif isinstance(target, cst.Subscript) and self.keyed.resolve(dotted(target.value) or "") in (
            "os.environ",
            "os.environb",
        ):
            key = (
                target.slice[0].slice.value
                if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index)
                else None
            )
            self._env_set(key, target)
            self._settings_named(literal(key), value)
        if isinstance(target, cst.Name) and target.value == "__all__":
            self._refs_from_strings(value)
        self._note_flag_dict(target, value, augmented)
        self._note_env_dict(target, value, augmented)

    def _assign_name(self, target: cst.Name, value, annotated: bool, augmented: bool) -> None:
        name = target.value
        if self.frame.kind == "function":
            if name in self.frame.globals:
                if augmented or can_be_true(value):
                    self.global_sets.add(name)
            else:
                self.frame.bound.add(name)
            if not constant_expression(value):
                self.fed_fields.add(f"{self.scope}:{name}")
            return
        origin, literal, alias = (ORIGIN_DYNAMIC, None, None) if augmented else self._value(value)
        if origin == ORIGIN_ALIAS:
            self._skip_use.add(id(value))  # ``B = A`` names A again; it does not set it
        if self.frame.kind == "module" and isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            text = value.evaluated_value
            if isinstance(text, str) and not augmented:
                self.string_constants[name] = text
        self._str_enum_member(name, value, augmented)
        key = self._environment_binding(value) if origin == ORIGIN_DYNAMIC and not augmented else None
        self._define(target, origin, literal, alias, annotated, key)

    def _str_enum_member(self, name: str, value, augmented: bool) -> None:
        """``class Flags(str, Enum): NEW_UI = "new-ui"``: ``Flags.NEW_UI`` (and
        ``Flags.NEW_UI.value``) is the string ``"new-ui"`` wherever a flag key
        is expected, like a module-level string constant."""
        frame = self.frame
        if (
            frame.kind != "class"
            or augmented
            or _is_dunder(name)
            or not isinstance(value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            return
        bases = next((bases for qualname, bases in reversed(self.class_bases) if qualname == frame.qualname), ())
        simple = {base.rsplit(".", 1)[-1] for base in bases}
        text = value.evaluated_value
        if isinstance(text, str) and ("StrEnum" in simple or {"str", "Enum"} <= simple):
            member = f"{frame.qualname}.{name}"
            self.string_constants[member] = self.string_constants[f"{member}.value"] = text

    def _environment_binding(self, value) -> Optional[KeyInfo]:
        """``ENABLE_X = os.getenv("X") == "1"``: a constant true exactly when
        the environment flag is on."""
        shape = conditions.analyse(value, self.keyed.environment)
        if len(shape.leaves) == 1 and shape.on_when_true == {0} and not shape.on_when_false:
            info = shape.leaves[0].info
            if isinstance(info, KeyInfo) and info.key:
                return info
        return None

    def _define(self, target: cst.Name, origin, literal, alias, annotated: bool, key: Optional[KeyInfo] = None) -> None:
        frame = self.frame
        frame.bound.add(target.value)
        if frame.kind == "class" and frame.enum_kind and not _is_dunder(target.value):
            frame.members[target.value] = literal
        if frame.kind == "class" and can_be_true_origin(origin, literal):
            # A subclass or class body giving the attribute a true value sets
            # it for every class that reads it through ``self``.
            self.attribute_sets.add(target.value)
        self.definitions.append(
            Definition(
                name=self._qualify(target.value),
                span=self.span(target),
                origin=origin,
                value=literal,
                alias_of=alias,
                owner_class=frame.qualname if frame.kind == "class" else None,
                enum_kind=frame.enum_kind if frame.kind == "class" else None,
                annotated=annotated,
                key=key.key if key else None,
                key_default_on=key.default_on if key else False,
            )
        )

    def _value(self, value: cst.BaseExpression):
        """(origin, literal, alias_of) for the value of a module/class binding."""
        frame = self.frame
        if frame.enum_kind and _is_auto(value):
            return ORIGIN_LITERAL, _next_flag_value(frame.members), None
        literal = literal_value(value)
        if literal is not None:
            return ORIGIN_LITERAL, literal, None
        if frame.enum_kind and isinstance(value, cst.Attribute) and value.attr.value == "value":
            value = value.value  # MEMBER = OTHER.value: an explicit alias
        ref = dotted(value)
        if ref is not None and ref not in ("None",):
            return ORIGIN_ALIAS, frame.members.get(ref), self._class_local(ref)
        if _is_mask(value):
            return ORIGIN_COMPOSITE, self._mask_value(value), None
        return ORIGIN_DYNAMIC, None, None

    def _mask_value(self, node: cst.BaseExpression) -> Optional[int]:
        """Value of ``A | B`` when every operand is a member seen earlier."""
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            left, right = self._mask_value(node.left), self._mask_value(node.right)
            return None if left is None or right is None else left | right
        value = self.frame.members.get(dotted(node) or "")
        return value if type(value) is int else literal_value(node)

    def _refs_from_strings(self, value: cst.BaseExpression) -> None:
        for element in getattr(value, "elements", ()):
            if isinstance(element.value, cst.SimpleString):
                name = element.value.evaluated_value
                if isinstance(name, str):
                    self._note_identifier(name)


def _is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def can_be_true_origin(origin: str, literal) -> bool:
    return origin != ORIGIN_LITERAL or bool(literal)


def _target_names(target: cst.BaseExpression) -> List[cst.Name]:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: List[cst.Name] = []
        for element in target.elements:
            names.extend(_target_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") or name == "_ignore_"


def _is_auto(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] == "auto"


def _is_mask(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitOr, cst.BitXor, cst.BitAnd))


def _next_flag_value(members: Dict[str, object]) -> int:
    """What ``auto()`` gives in a Flag: the next power of two above the highest."""
    values = [value for value in members.values() if type(value) is int and value > 0]
    return 1 << max(values).bit_length() if values else 1

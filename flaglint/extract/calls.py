"""Calls: SDK reads outside a test, environment setters, lookups by a parameter.

A call is where most keyed facts come from: an SDK read that gates nothing,
``os.environ.setdefault``, ``setattr(obj, "FLAG", True)``, a mock patching a
flag on, ``getattr(settings, "ENABLE_X")``, and (inside a function) a
parameter looked up in a dict, which may make the function a registry
wrapper.
"""

from __future__ import annotations

import libcst as cst

from ..facts import (
    UNKNOWN_RECEIVER,
    DynamicKey,
)
from ..sdk import PROVIDERS
from . import conditions, registries
from .keyed import argument
from .names import dotted
from .patching import patched_attribute
from .reads import Reads
from .references import ReferenceFacts
from .stores import Stores
from .values import can_be_true


class Calls(Stores, Reads, ReferenceFacts):
    """Handlers for calls, subscripts and comparisons."""

    def visit_Call(self, node: cst.Call) -> None:
        self._env_setter(node)
        self._env_dict_changed(node)
        self._note_lookup(node)
        self._maybe_sdk_call(node)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "update":
            name = self._dict_name(node.func.value)
            if name:
                self.flag_dicts.updated(name, node)
        self._note_dynamic_lookup(node)
        if id(node) not in self._keyed_nodes:
            info = self.keyed.sdk(node) or self._config_read(node) or self._possible_wrapper_call(node)
            if info is not None:  # a read outside a test: a read that gates nothing
                self._add_keyed_read(node, info, None)
        args = node.args
        self._note_field_access(node)
        if dotted(node.func) not in ("isinstance", "issubclass"):
            self.passed_names.update(arg.value.value for arg in args if isinstance(arg.value, cst.Name))
        if (
            dotted(node.func) in ("getattr", "hasattr")
            and len(args) >= 2
            and isinstance(args[1].value, cst.SimpleString)
        ):
            text = args[1].value.evaluated_value  # ``getattr(settings, "ENABLE_X", False)`` reads ENABLE_X
            if isinstance(text, str):
                self._note_identifier(text)
                if text.isidentifier():  # ``getattr(legacy, "export")`` reads like ``legacy.export``
                    target = dotted(args[0].value)
                    self._note_reference(
                        self._attribute_reference(f"{target}.{text}") if target else UNKNOWN_RECEIVER + text
                    )
            written = conditions.getattr_reference(node)
            if written is not None and id(node) not in self._skip_use:
                self._add_use(written, node)  # ``x = getattr(settings, "ENABLE_X", False)``, like ``settings.ENABLE_X``
        if dotted(node.func) == "setattr" and len(args) >= 2:
            attribute = args[1].value
            if isinstance(attribute, cst.SimpleString) and isinstance(attribute.evaluated_value, str):
                if len(args) < 3 or can_be_true(args[2].value):
                    self.attribute_sets.add(attribute.evaluated_value)
            else:
                self._dynamic_setattr(args[0].value)
        patched = patched_attribute(node)  # monkeypatch.setattr / mock.patch: a test turns the flag on
        if patched is not None:
            self.attribute_sets.add(patched)

    def _maybe_sdk_call(self, node: cst.Call) -> None:
        """``client.variation(...)`` where ``client`` is an SDK's client in
        one branch and something else in another: the call may read any
        flag of that SDK (so none of them is unused), but proves nothing.
        A call read as that SDK's whatever the receiver (a distinctive
        method: ``client.check_gate(user, gate)``) is recorded as such, a
        read or an unknown key, and only once."""
        if not isinstance(node.func, cst.Attribute) or not self._maybe_clients:
            return
        receiver = dotted(node.func.value)
        if receiver not in self._not_clients:
            return
        recognised = self.keyed.sdk_call(node)
        for provider in sorted(self._maybe_clients.get(receiver, ())):
            api = PROVIDERS[provider].methods.get(node.func.attr.value)
            if api is not None and not (recognised is not None and recognised[0] == provider):
                key = argument(node, api.key)
                expression = cst.Module([]).code_for_node(key) if key is not None else ""
                self.dynamic_keys.append(
                    DynamicKey(provider, node.func.attr.value, expression, self.span(node), self.scope)
                )

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._note_lookup(node)
        self._note_namespace_subscript(node)
        info = self._config_read(node) if id(node) not in self._keyed_nodes else None
        if info is not None:  # ``x = app.config["FLAGS"]["K"]``: a read that gates nothing
            self._add_keyed_read(node, info, None)

    def visit_Del(self, node: cst.Del) -> None:
        self._stores.add(id(node.target))  # ``del app.config["FLAGS"]["K"]`` reads nothing

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._note_lookup(node)

    def _note_lookup(self, node: cst.CSTNode) -> None:
        """Inside a function: a parameter looked up in a dict (``D[key]``,
        ``D.get(key)``, ``key in D``), or an environment variable named
        after a parameter (``get_bool_env(key)``); see :meth:`leave_FunctionDef`."""
        frame = self.frame
        if frame.kind != "function" or not frame.params:
            return
        params = [name for name, _ in frame.params]
        env = registries.env_override(node, params, self.keyed.resolve)
        if env is not None:
            frame.env_overrides.setdefault(*env)
            return
        found = registries.lookup(node, params)
        if found is None:
            return
        ref, param = found
        head = ref.split(".")[0]
        if head in ("self", "cls"):
            ref = self._normalise(ref) or ""
        elif head in frame.bound:
            return  # a parameter or a local: not a dict the graph can see
        if ref:  # ``return key in D`` returns presence, not what D says of the key
            frame.lookups.append((ref, param, self._returns > 0 and not isinstance(node, cst.Comparison)))

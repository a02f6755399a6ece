"""Calls and wrappers: functions that read a flag for their callers.

``def is_on(key): return client.variation(key, False)`` is a wrapper: the
flags are read where it is called. A call that might be a wrapper call
(``is_on("new-ui")``) is kept with its arguments for the graph to match, since
only the graph knows what the callee is.
"""

from __future__ import annotations

import builtins
import sys
from typing import Collection, List, Optional, Tuple

import libcst as cst

from ..facts import (
    ARG_OTHER,
    ArgSlot,
    Span,
    Wrapper,
)
from .core import Frame
from .keyed import KEY_LIKE, UNKNOWN, KeyInfo, literal_of, placed, truthy
from .names import dotted
from .settings import SettingsFacts

_BUILTINS = frozenset(dir(builtins))


#: top-level standard-library modules (Python 3.10+ knows them; 3.9 keeps none)
_STDLIB_MODULES = frozenset(getattr(sys, "stdlib_module_names", ())) - {"__future__"}


class Wrappers(SettingsFacts):
    """Handlers that recognise wrappers and the calls that may reach one."""

    def _callee(self, call: cst.Call) -> Optional[str]:
        """The callee as a reference the graph can resolve (``self.is_on``
        in a method is the class's ``is_on``)."""
        return self._normalise(dotted(call.func))

    def _possible_wrapper_call(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        """``is_on("new-ui")``: a call that reads a flag if its callee turns
        out to be a wrapper (the graph decides). Calls with no key-like
        argument only leave their callee's name behind, in case a wrapper is
        called with a key built at run time."""
        if not isinstance(node, cst.Call) or not node.args:
            return None
        callee = self._callee(node)
        if callee is None or self._library_call(callee):
            self._note_passed_strings(node)  # ``options.get("x")`` on a parameter: a mention of "x"
            return None
        if id(node) in self._forwarding:  # a forwarder's call is described by its Wrapper fact,
            return self._forwarded_read(node, callee)  # but ``return is_on("x", user=user)`` reads "x"
        if self._each_forwarder(node, callee):
            return None
        args, keyed = self.keyed.call_args(node)
        if any(arg.star for arg in node.args) or (not keyed and any(arg.kind == ARG_OTHER for arg in args)):
            self.dynamic_callees.add(callee)  # ``is_on(*names)``, ``is_on(name)``: a key built at run time
            if callee not in self.dynamic_callee_sites:
                self.dynamic_callee_sites[callee] = (callee, self.span(node).line, _as_written(node))
        return KeyInfo(None, callee=callee, call_args=args) if keyed else None

    def _note_passed_strings(self, node: cst.Call) -> None:
        """Key-like strings passed to a call flaglint keeps no read of (its
        callee is a parameter, a local or a library): listed, so a key a
        registrar declares that such code names is not called unused."""
        for arg in node.args:
            value = arg.value
            text = value.evaluated_value if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) else None
            if isinstance(text, str) and text not in self.listed_keys and KEY_LIKE.fullmatch(text):
                self.listed_keys[text] = self.span(value).line

    def _forwarded_read(self, node: cst.Call, callee: str) -> Optional[KeyInfo]:
        """A forwarding call that also passes a literal key reads that key.
        The forwarded parameters are left out of its arguments, so where one
        of them is the key (the call is a real forwarder) the read has no key
        and the graph leaves it to the Wrapper fact."""
        params = {name for name, _ in self.frame.params} if self.frame.kind == "function" else set()
        forwarded = {(slot.position, slot.keyword) for _, slot in _params_passed(node, params)}
        args, keyed = self.keyed.call_args(node)
        if not keyed:
            return None
        kept = tuple(arg for arg in args if (arg.position, arg.keyword) not in forwarded)
        return KeyInfo(None, callee=callee, call_args=kept)

    def _each_forwarder(self, node: cst.Call, callee: str) -> bool:
        """``all(is_on(name) for name in names)``, ``names`` a parameter: the
        function holding ``names`` forwards each item as a key (its callers
        pass a list of keys). A call that also passes a key-like string
        (``is_on("x", user)`` for each user) reads that key instead."""
        if not self.frame.each or self.keyed.call_args(node)[1]:
            return False
        for name, slot in _params_passed(node, self.frame.each):
            owner, param = self.frame.each[name]
            self._forwarding.add(id(node))
            self.wrappers.append(self._wrapper(owner, param, callee=callee, callee_key=slot, each=True))
            return True
        return False

    def _library_call(self, callee: str) -> bool:
        """A builtin or a standard-library call is never a project's wrapper."""
        head = callee.split(".")[0]
        if head in self._imported:
            return self.keyed.resolve(callee).split(".")[0] in _STDLIB_MODULES
        return "." not in callee and callee in _BUILTINS and not any(callee in frame.bound for frame in self.frames)

    def visit_Return(self, node: cst.Return) -> None:
        """``return client.variation(key, ...)`` with ``key`` a parameter: the
        function is a wrapper, and its callers read the flags.

        So is ``return ENABLED and client.variation(key, ...)``, and
        ``return client.variation(key, ...) if client else False``: when the
        call is not made the wrapper returns something false, so a flag never
        on still reads as off (FL001, FL002 hold), but a flag always on may
        read as off: such a wrapper is ``conditional`` (no FL006)."""
        self._returns += 1
        self._note_returned(node.value)
        frame = self.frame
        if frame.kind != "function" or node.value is None:
            return
        call, conditional, fallbacks = _unwrap_result(node.value)
        if call is None:
            return
        params = [name for name, _ in frame.params]
        sdk = self.keyed.sdk_call(call)
        if sdk is not None:
            provider, _, api, key_node, default_node = sdk
            if not all(_falls_back_off(other, default_node) for other in fallbacks):
                return
            if isinstance(key_node, cst.Name) and key_node.value in params and not api.negated:
                self._keyed_nodes.add(id(call))  # its callers read the flags, not it
                frame.sdk_wrapper = True
                param = key_node.value
                lookup = next((ref for ref, name, _ in frame.lookups if name == param), "")
                self.wrappers.append(
                    self._wrapper(
                        frame,
                        param,
                        provider=provider,
                        default_node=default_node,
                        conditional=conditional,
                        lookup=lookup,
                        env_override=frame.env_overrides.get(param, ""),
                    )
                )
            return
        callee = self._callee(call)
        if callee is None or not all(_falls_back_off(other, None) for other in fallbacks):
            return
        for name, slot in _params_passed(call, params):
            self._forwarding.add(id(call))
            self.wrappers.append(
                self._wrapper(
                    frame,
                    name,
                    default_node=cst.Name(name),  # used if the callee takes it as its default
                    callee=callee,
                    callee_key=slot,
                    callee_args=self.keyed.call_args(call)[0],
                    conditional=conditional,
                )
            )

    def leave_Return(self, original_node: cst.Return) -> None:
        self._returns -= 1

    def _registry_wrapper(self, frame: Frame) -> None:
        """A function that returns what a dict says of its parameter
        (``return FLAGS.get(key, False)``), and calls no SDK: a wrapper of
        an in-house registry, if the graph finds the dict is a flag dict."""
        if frame.sdk_wrapper:
            return
        for ref, param, returned in frame.lookups:
            if returned:
                self.wrappers.append(self._wrapper(frame, param, default_node=cst.Name("False"), lookup=ref))
                return

    def _wrapper(self, frame: Frame, param: str, default_node=None, **target) -> Wrapper:
        names = [name for name, _ in frame.params]
        default, default_on = ArgSlot(), True
        if default_node is not None:
            if isinstance(default_node, cst.Name) and default_node.value in names:
                default = self._slot(frame, default_node.value)
                default_on = truthy(frame.params[names.index(default_node.value)][1])
            else:
                default_on = truthy(literal_of(default_node))
        span = (
            self.span(self._function_nodes[frame.qualname])
            if frame.qualname in self._function_nodes
            else Span(1, 1, 1, 1)
        )
        return Wrapper(frame.qualname, self._slot(frame, param), span, default_on=default_on, default=default, **target)

    @staticmethod
    def _slot(frame: Frame, param: str) -> ArgSlot:
        """Where a caller passes parameter ``param``: by its name, and by
        position unless it is keyword-only."""
        index = [name for name, _ in frame.params].index(param)
        return ArgSlot(index if index < frame.positional else -1, param)


def _params_passed(call: cst.Call, params: Collection[str]) -> List[Tuple[str, ArgSlot]]:
    """(parameter, where) for each of ``params`` that ``call`` passes on as
    itself (``is_on(name)``, ``is_on(key=name)``), placed by
    :func:`.keyed.placed`, the rule :meth:`ArgSlot.find` matches: one passed
    by position after ``*args`` is left out, since no one can tell which
    parameter of the callee it lands in."""
    return [
        (arg.value.value, ArgSlot(arg.position, arg.keyword))
        for arg in placed(call)
        if isinstance(arg.value, cst.Name) and arg.value.value in params and (arg.position >= 0 or arg.keyword)
    ]


def _unwrap_result(node: cst.BaseExpression) -> Tuple[Optional[cst.Call], bool, Tuple[cst.BaseExpression, ...]]:
    """(the call whose value a ``return`` hands back, whether it is only made
    under a condition, what is returned instead): ``x(...)``, ``await
    x(...)``, ``bool(x(...))``; ``cond and x(...)`` (conditional);
    ``x(...) if cond else other`` and ``other if cond else x(...)``
    (conditional, returning ``other`` otherwise: the caller checks it is
    off). ``x(...) or cond`` and ``cond or x(...)`` are not: they can be on
    when the flag is off."""
    conditional, fallbacks = False, []
    while True:
        if isinstance(node, cst.Await):
            node = node.expression
        elif (
            isinstance(node, cst.Call)
            and dotted(node.func) == "bool"
            and len(node.args) == 1
            and not node.args[0].keyword
        ):
            node = node.args[0].value
        elif isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And):
            node, conditional = node.right, True
        elif isinstance(node, cst.IfExp):
            call_first = isinstance(node.body, _CALL_SHAPES)
            node, other = (node.body, node.orelse) if call_first else (node.orelse, node.body)
            conditional = True
            fallbacks.append(other)
        else:
            return (node if isinstance(node, cst.Call) else None), conditional, tuple(fallbacks)


#: what the branch of ``a if cond else b`` that makes the call looks like
_CALL_SHAPES = (cst.Call, cst.Await, cst.BooleanOperation, cst.IfExp)


def _falls_back_off(node: cst.BaseExpression, default_node: Optional[cst.BaseExpression]) -> bool:
    """What a conditional wrapper returns instead of the call is off: a false
    literal (``False``, ``None``, ``0``, ``""``), or the very default it passes
    to the SDK (whose value the wrapper's ``default_on`` already accounts for)."""
    if isinstance(node, cst.Name) and isinstance(default_node, cst.Name) and node.value == default_node.value:
        return True
    value = literal_of(node)
    return value is not UNKNOWN and not truthy(value)


def _as_written(call: cst.Call, limit: int = 60) -> str:
    """``features.has(feature)``: the callee and its first argument as
    written, shortened, to name the call in a message."""
    first = call.args[0].value if call.args else None
    text = cst.Module([]).code_for_node(first) if first is not None else ""
    if call.args and call.args[0].star:
        text = call.args[0].star + text
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{dotted(call.func)}({text})"

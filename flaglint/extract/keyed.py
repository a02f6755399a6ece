"""Recognise keyed flag reads: environment variables and feature-flag SDK calls.

``os.getenv("X", "0") == "1"`` reads the flag ``env:X``;
``client.variation("new-ui", ctx, False)`` reads ``sdk:launchdarkly:new-ui``.
Resolution is per file (imports, module-level string constants, names
assigned from an SDK client); the SDK table is data (:mod:`flaglint.sdk`).

For an environment read the idiom around it decides what the test is when
the variable is absent: its literal default is pushed through ``.lower()``,
``int()``, ``strtobool()``, ``== "1"``, ``in ("1", "true")`` and so on. A
default that is not a literal is unknown, which counts as possibly on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

import libcst as cst

from ..facts import ARG_KEYS, ARG_LITERAL, ARG_ONE_OF, ARG_OTHER, ARG_PREFIX, ARG_REF, ARG_STRING, ArgSlot, CallArg
from ..keys import ENV_PREFIX_MARK, KEY_LIKE, env_key, env_write_pattern, sdk_key
from ..sdk import DECORATORS, DISTINCTIVE_METHODS, FUNCTIONS, PROVIDERS, Api
from .env_writes import key_bound
from .names import dotted, is_constant_like

ENV_GETTERS = frozenset({"os.getenv", "os.environ.get"})
ENV_MAPPINGS = frozenset({"os.environ"})
#: helpers that turn a string into a bool the way ``distutils.util.strtobool`` does
TRUTHY_HELPERS = frozenset(
    {
        "strtobool",
        "str2bool",
        "str_to_bool",
        "to_bool",
        "as_bool",
        "asbool",
        "parse_bool",
        "env_bool",
        "is_truthy",
        "truthy",
    }
)
TRUTHY_STRINGS = frozenset({"1", "true", "yes", "y", "on", "t"})
_STRING_METHODS = frozenset({"lower", "upper", "strip", "casefold", "lstrip", "rstrip", "title"})


_KEY_LIKE = KEY_LIKE  # what a flag key looks like (flaglint/keys.py)


#: words that make an environment variable read as an on/off switch when the
#: code only tests whether it is set (``if os.getenv("ENABLE_BETA"):``);
#: ``REDIS_URL``, ``AWS_STORAGE_BUCKET_NAME`` tested that way are optional
#: configuration, which deployments set without any source in the repository
SWITCH_WORDS = frozenset(
    {
        "ENABLE",
        "ENABLED",
        "DISABLE",
        "DISABLED",
        "USE",
        "FEATURE",
        "FEATURES",
        "FF",
        "FLAG",
        "FLAGS",
        "TOGGLE",
        "DEBUG",
        "BETA",
        "ALPHA",
        "EXPERIMENT",
        "EXPERIMENTAL",
        "LEGACY",
        "ALLOW",
        "SKIP",
        "NO",
        "DRY",
        "VERBOSE",
        "STRICT",
        "FORCE",
        "MOCK",
        "FAKE",
        "TESTING",
        "ON",
        "OFF",
        "ACTIVE",
        "SWITCH",
        "KILL",
        "PREVIEW",
        "CANARY",
        "ROLLOUT",
        "OPT",
        "TRACE",
        "PROFILE",
        "PROFILING",
        "SHOW",
        "HIDE",
        "IGNORE",
        "ONLY",
        "NEW",
        "OLD",
        "V1",
        "V2",
    }
)


def looks_like_switch(name: str) -> bool:
    """``ENABLE_BETA``, ``DEBUG``, ``USE_V2_PRICING``; not ``REDIS_URL``."""
    return bool(SWITCH_WORDS & set(name.upper().replace("-", "_").split("_")))


class _Unknown:
    """A value flaglint cannot know (a computed default): possibly true."""


UNKNOWN = _Unknown()
_ERROR = object()  # what a conversion of the default would raise on: off


@dataclass(frozen=True)
class KeyInfo:
    """A keyed read: ``key`` is ``env:X`` / ``sdk:p:k``, or None when the key
    is built at run time (``expression`` is then the key as written)."""

    key: Optional[str]
    default_on: bool = False
    negated: bool = False
    provider: str = ""
    api: str = ""
    expression: str = ""
    key_ref: Optional[str] = None  # a constant of another module, resolved by the graph
    #: a call that may be a project's flag wrapper: its callee and arguments
    callee: str = ""
    call_args: Tuple[CallArg, ...] = ()


def truthy(value) -> bool:
    if value is UNKNOWN:
        return True
    if value is None or value is _ERROR:
        return False
    return bool(value)


def literal_of(node: cst.BaseExpression):
    """A literal default: str, bool, int, None; UNKNOWN otherwise."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else UNKNOWN
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return UNKNOWN
    return UNKNOWN


class _Placed(NamedTuple):
    """An argument of a call with its place, for :meth:`ArgSlot.find`."""

    position: int  # -1: a keyword argument, or a positional one after ``*args``
    keyword: str
    value: cst.BaseExpression


def placed(call: cst.Call) -> List[_Placed]:
    """``call``'s arguments with their places, as :meth:`ArgSlot.find`
    matches them: a positional one after ``*args`` has no known position
    (-1, and no keyword: no slot finds it), ``*args`` and ``**kwargs``
    themselves are left out. The one rule for where an argument is passed."""
    found, position, known = [], 0, True
    for arg in call.args:
        if arg.star == "*":
            known = False  # the positions of what follows are unknown
        elif arg.keyword is not None:
            found.append(_Placed(-1, arg.keyword.value, arg.value))
        elif not arg.star:
            found.append(_Placed(position if known else -1, "", arg.value))
            position += 1
    return found


def argument(call: cst.Call, slot: ArgSlot) -> Optional[cst.BaseExpression]:
    """The argument ``call`` passes in ``slot``, or None (not passed, or
    passed where no one can tell: after ``*args``, inside ``**kwargs``)."""
    found = slot.find(placed(call))
    return found.value if found is not None else None


class Recogniser:
    """Per-file context: ``imported`` maps each name an import binds to the
    full dotted name it stands for (filled while the file is visited);
    ``constant`` gives a module-level string constant's value."""

    def __init__(self, imported: Dict[str, str], constant: Callable[[str], Optional[str]]) -> None:
        self.imported = imported
        self.constant = constant
        #: what a name can hold as a key: (CallArg kind, value), or None
        #: (set by the collector, which knows the scopes)
        self.bound_name: Callable[[str], Optional[Tuple[str, str]]] = lambda name: None
        self.clients: Dict[str, str] = {}  # dotted name as written -> provider

    def resolve(self, ref: str) -> str:
        head, dot, rest = ref.partition(".")
        full = self.imported.get(head)
        return f"{full}{dot}{rest}" if full else ref

    # ---------------------------------------------------------- environment
    def environment(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        """A test on an environment variable, with its value when absent."""
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            return self._env_comparison(node)
        found = self._env_value(node)
        if found is None:
            return None
        key, value = found
        if self._raw(node) and not looks_like_switch(key):
            return None  # ``if os.environ.get("REDIS_URL"):``: configuration, not a flag
        return KeyInfo(env_key(key), truthy(value))

    def _raw(self, node: cst.BaseExpression) -> bool:
        """The variable's text itself (``os.getenv("X")``, ``.strip()``-ed),
        not a value converted to a truth (``== "1"``, ``strtobool``, ``int``)."""
        while (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in _STRING_METHODS
        ):
            node = node.func.value
        if isinstance(node, cst.Subscript):
            return True
        return isinstance(node, cst.Call) and self._full(node.func) in ENV_GETTERS

    def _env_comparison(self, node: cst.Comparison) -> Optional[KeyInfo]:
        target = node.comparisons[0]
        op, right = target.operator, target.comparator
        if isinstance(op, (cst.In, cst.NotIn)):
            negated = isinstance(op, cst.NotIn)
            if self._full(right) in ENV_MAPPINGS:  # "X" in os.environ
                key = self.key_of(node.left)
                return KeyInfo(env_key(key), False, negated) if key and looks_like_switch(key) else None
            found = self._env_value(node.left)
            options = _literals(right)
            if found is None or options is None:
                return None
            key, value = found
            on = value is UNKNOWN or (value not in (None, _ERROR) and value in options)
            return KeyInfo(env_key(key), on, negated)
        if isinstance(op, (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)):
            negated = isinstance(op, (cst.NotEqual, cst.IsNot))
            for side, other in ((node.left, right), (right, node.left)):
                found = self._env_value(side)
                if found is None:
                    continue
                key, value = found
                expected = literal_of(other)
                if expected is UNKNOWN:
                    return None
                if isinstance(op, (cst.Is, cst.IsNot)) and expected is None:
                    # ``getenv("X") is not None``: on when set (a presence test,
                    # like ``if getenv("X"):``, is a flag only by its name)
                    if not looks_like_switch(key):
                        return None
                    return KeyInfo(env_key(key), value is UNKNOWN or value is not None, not negated)
                on = value is UNKNOWN or (value is not _ERROR and value == expected)
                return KeyInfo(env_key(key), on, negated)
        return None

    def _env_value(self, node: cst.BaseExpression) -> Optional[Tuple[str, object]]:
        """(variable, value when absent) for an expression built on one read."""
        if isinstance(node, cst.Subscript) and self._full(node.value) in ENV_MAPPINGS:
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = self.key_of(node.slice[0].slice.value)
                return (key, None) if key else None
            return None
        if not isinstance(node, cst.Call):
            return None
        func = node.func
        name = self._full(func)
        if name in ENV_GETTERS:
            key_node = argument(node, ArgSlot(0, "key"))
            key = self.key_of(key_node) if key_node is not None else None
            if not key:
                return None
            default = argument(node, ArgSlot(1, "default"))
            return key, (None if default is None else literal_of(default))
        if isinstance(func, cst.Attribute) and func.attr.value in _STRING_METHODS and not node.args:
            found = self._env_value(func.value)
            if found is None:
                return None
            key, value = found
            method = func.attr.value
            return key, (getattr(value, method)() if isinstance(value, str) else value if value is UNKNOWN else _ERROR)
        simple = (dotted(func) or "").rsplit(".", 1)[-1]
        if simple in ("int", "float", "bool") or simple in TRUTHY_HELPERS:
            if len(node.args) != 1 or node.args[0].keyword or node.args[0].star:
                return None
            found = self._env_value(node.args[0].value)
            if found is None:
                return None
            key, value = found
            return key, _convert(simple, value)
        return None

    def key_of(self, node: Optional[cst.BaseExpression]) -> Optional[str]:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            value = node.evaluated_value
            return value if isinstance(value, str) and value else None
        ref = dotted(node) if node is not None else None
        return self.constant(ref) if ref else None

    def _full(self, node: cst.BaseExpression) -> str:
        ref = dotted(node)
        return self.resolve(ref) if ref else ""

    # ------------------------------------------------------------------ SDK
    def sdk(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        """A flag-SDK call, with its key (None when built at run time)."""
        parts = self.sdk_call(node)
        if parts is None:
            return None
        provider, method, api, key_node, default_node = parts
        # the value the code falls back to when the flag is not served
        default_on = default_node is None or truthy(literal_of(default_node))
        key = self.key_of(key_node)
        if key is None:
            expression = cst.Module([]).code_for_node(key_node)
            ref = dotted(key_node)
            key_ref = ref if ref and ref.split(".")[0] in self.imported else None
            return KeyInfo(None, default_on, api.negated, provider, method, expression, key_ref)
        return KeyInfo(sdk_key(provider, key), default_on, api.negated, provider, method)

    def sdk_call(self, node: cst.BaseExpression):
        """(provider, method, api, key node, default node or None) of a
        flag-SDK call that passes a key, or None."""
        if not isinstance(node, cst.Call):
            return None
        found = self._sdk_api(node.func)
        if found is None:
            return None
        provider, method, api = found
        key_node = argument(node, api.key)
        if key_node is None:
            return None
        default_node = argument(node, api.default)
        return provider, method, api, key_node, default_node

    # ------------------------------------------------------------- wrappers
    def call_args(self, call: cst.Call) -> Tuple[Tuple[CallArg, ...], bool]:
        """(arguments worth keeping, whether one could be a flag key) of a
        call that may turn out to be a project's flag wrapper.

        Kept: the first four positional arguments and every keyword one,
        placed as :func:`placed` places them (a positional one after
        ``*args`` is not kept: no slot finds it). Only a call with a
        key-like string or a constant among them can be a keyed read; the
        rest is kept so the graph can tell a key built at run time from a
        missing one."""
        kept, keyed = [], False
        for arg in placed(call):
            if not arg.keyword and not 0 <= arg.position < 4:
                continue
            kind, value = self._arg_value(arg.value)
            keyed = keyed or kind in (ARG_STRING, ARG_REF, ARG_KEYS, ARG_ONE_OF, ARG_PREFIX)
            kept.append(CallArg(arg.position, arg.keyword, kind, value))
        return tuple(kept), keyed

    def argument(self, node: cst.BaseExpression, position: int) -> CallArg:
        """``node`` as the positional argument at ``position`` of a call."""
        return CallArg(position, "", *self._arg_value(node))

    def _arg_value(self, node: cst.BaseExpression) -> Tuple[str, str]:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            value = node.evaluated_value
            if isinstance(value, str) and _KEY_LIKE.fullmatch(value):
                return ARG_STRING, value
            return ARG_OTHER, ""
        keys = key_list(node)
        if keys:
            return ARG_KEYS, "\n".join(keys)
        literal = literal_of(node)
        if literal is not UNKNOWN:
            return ARG_LITERAL, repr(literal)
        ref = dotted(node)
        if ref is not None and is_constant_like(ref):
            value = self.constant(ref)
            if value is not None:
                return (ARG_STRING, value) if _KEY_LIKE.fullmatch(value) else (ARG_OTHER, "")
            if ref.split(".")[0] in self.imported:
                return ARG_REF, ref
        return self._bounded(node)

    def _bounded(self, node: cst.BaseExpression) -> Tuple[str, str]:
        """A key built at run time, as far as its text bounds it: a loop
        variable over a literal list of keys is one of them; a string with a
        literal, key-like start (``"projects:" + name``) is some key with that
        start (the bound :mod:`.env_writes` computes for environment writes)."""
        if isinstance(node, cst.Name):
            return self.bound_name(node.value) or (ARG_OTHER, "")
        return self.bounded(node) or (ARG_OTHER, "")

    def bounded(self, node: cst.BaseExpression) -> Optional[Tuple[str, str]]:
        """(ARG_PREFIX, its bound) of a string built at run time with a
        literal, key-like start or a specific literal end; else None."""
        bound = key_bound(node, self.constant)
        if bound is not None and bound[0] and _KEY_LIKE.fullmatch(bound[1]):
            return ARG_PREFIX, env_write_pattern(bound)
        end = _literal_end(node)
        return (ARG_PREFIX, ENV_PREFIX_MARK + end) if end is not None else None

    def decorator(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        """``@waffle_flag("x")``, ``@flag_check("X", True)``: the view is gated."""
        if not isinstance(node, cst.Call):
            return None
        name = self._full(node.func)
        if name not in DECORATORS:
            return None
        provider, api = DECORATORS[name]
        key_node = argument(node, api.key)
        key = self.key_of(key_node) if key_node is not None else None
        if key is None:
            return None
        state = argument(node, ArgSlot(1, "state" if name.endswith("flag_check") else "pass_if_set"))
        if provider == "django-flags" and state is not None and literal_of(state) is False:
            return None  # @flag_check("X", False): runs while the flag is off
        negated = key.startswith("!")  # waffle: "!name" means "when off"
        key = key.lstrip("!")
        return KeyInfo(sdk_key(provider, key), True, negated, provider, name.rsplit(".", 1)[-1]) if key else None

    def _sdk_api(self, func: cst.BaseExpression) -> Optional[Tuple[str, str, Api]]:
        full = self._full(func)
        if full in FUNCTIONS:
            provider, api = FUNCTIONS[full]
            return provider, full.rsplit(".", 1)[-1], api
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        sdk = self.provider_of(func.value)
        if sdk is not None and method in PROVIDERS[sdk].methods:
            return sdk, method, PROVIDERS[sdk].methods[method]
        if method in DISTINCTIVE_METHODS:
            provider = DISTINCTIVE_METHODS[method]
            return provider, method, PROVIDERS[provider].methods[method]
        return None

    def provider_of(self, node: cst.BaseExpression) -> Optional[str]:
        """The SDK a receiver belongs to: its module, a client made from it,
        or an object returned by a client's method."""
        if isinstance(node, cst.Call):
            return self.provider_of(node.func)
        ref = dotted(node)
        if ref is None:
            if isinstance(node, cst.Attribute):
                return self.provider_of(node.value)
            return None
        for size in range(len(ref.split(".")), 0, -1):
            prefix = ".".join(ref.split(".")[:size])
            if prefix in self.clients:
                return self.clients[prefix]
        if ref.split(".")[0] not in self.imported:
            return None
        head = self.resolve(ref).split(".")[0]
        for provider in PROVIDERS.values():
            if head in provider.modules:
                return provider.name
        return None


def key_list(node: cst.BaseExpression) -> Tuple[str, ...]:
    """``["A", "B"]`` (or a tuple or set) of key-like strings: the keys; else ()."""
    if not isinstance(node, (cst.List, cst.Tuple, cst.Set)) or not node.elements:
        return ()
    keys = []
    for element in node.elements:
        value = element.value
        text = value.evaluated_value if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) else None
        if isinstance(element, cst.StarredElement) or not isinstance(text, str) or not _KEY_LIKE.fullmatch(text):
            return ()
        keys.append(text)
    return tuple(keys)


def _convert(helper: str, value):
    if value is UNKNOWN or value is None or value is _ERROR:
        return value if value is UNKNOWN else _ERROR if value is None and helper != "bool" else value
    if helper == "bool":
        return bool(value)
    if helper in ("int", "float"):
        try:
            return (int if helper == "int" else float)(value)
        except (TypeError, ValueError):
            return _ERROR
    return str(value).strip().lower() in TRUTHY_STRINGS


def _literals(node: cst.BaseExpression) -> Optional[frozenset]:
    if not isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return None
    values = [literal_of(element.value) for element in node.elements]
    if any(value is UNKNOWN for value in values):
        return None
    return frozenset(values)


def _literal_end(node: cst.BaseExpression) -> Optional[str]:
    """``f"{interface}.disallow-new-enrollment"``, ``name + "-beta"``: the
    literal end of a string built at run time, when it is long and specific
    enough to bound a key (it holds a separator and is key-like), else None."""
    text = ""
    if isinstance(node, cst.FormattedString) and node.parts and isinstance(node.parts[-1], cst.FormattedStringText):
        text = node.parts[-1].value
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        if isinstance(node.right, cst.SimpleString) and isinstance(node.right.evaluated_value, str):
            text = node.right.evaluated_value
    if (
        len(text) < 4
        or not any(mark in text for mark in ".:-_/")
        or not _KEY_LIKE.fullmatch(text.lstrip(".:-_/") or "-")
    ):
        return None
    return text

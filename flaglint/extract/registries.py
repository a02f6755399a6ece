"""Recognise a project's own flag dicts and the lookups that decide flags by them.

An in-house registry is a dict of flag keys to bools that a function looks
its key up in (``return FLAGS.get(key, False)``); a hard-wired override is
the same lookup answered before an SDK call (``if key in STALE: return
STALE[key]``). This module knows the shapes, one node at a time:

- the dict: a literal of string keys to ``True``/``False`` (``**other``
  spreads allowed), or one built from others: ``dict(D)``, ``D.copy()``,
  ``copy.deepcopy(D)``, ``{**A, **B}``, ``A | B``, or a configuration
  mapping read by the dict's name (``app.config["DEFAULTS"]``: Flask and
  Django load a settings module's upper-case names that way);
- the lookup: ``D[key]``, ``D.get(key, ...)``, ``key in D``;
- a configuration mapping fetched by name (``app.config["FEATURE_FLAGS"]``,
  ``config.get("FEATURE_FLAGS", {})``, ``settings.FEATURE_FLAGS``) and then
  looked up with a literal key (``...["X"]``, ``.get("X")``, ``"X" in ...``):
  a possible read of a registry key, which the graph resolves to the registry
  merged with that name (:func:`config_read`);
- an environment variable named after the key: ``os.getenv(key)``,
  ``os.environ[key.upper()]``, ``get_bool_env(key)`` (any callee whose
  name mentions ``env``).

Only the graph can tell whether a name is such a dict (it may live in
another module), so what is found here is kept as written.
"""

from __future__ import annotations

from typing import Collection, List, Optional, Tuple

import libcst as cst

from ..facts import ARG_LITERAL, ARG_STRING, FlagDict
from .keyed import KeyInfo, Recogniser
from .names import dotted, is_constant_like

#: a dict's entries: (key, value, line)
Entries = Tuple[Tuple[str, bool, int], ...]
#: what a value makes of a dict: (entries, dicts merged in as written, also computed entries)
DictShape = Tuple[Entries, Tuple[str, ...], bool]

_COPIES = frozenset(
    {"dict", "copy", "deepcopy", "copy.copy", "copy.deepcopy", "MappingProxyType", "types.MappingProxyType"}
)
_CONFIG_HOLDERS = ("config", "settings", "conf")
_ENV_MAPPINGS = frozenset({"os.environ"})
_NAME_METHODS = {"upper": "upper", "lower": "lower"}


def dict_shape(node: cst.BaseExpression, line_of) -> Optional[DictShape]:
    """What the value ``node`` makes of a flag dict, or None when it is not one.

    ``line_of(node)`` gives a node's line (positions come from the visitor)."""
    if isinstance(node, cst.Dict):
        return _literal(node, line_of)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        # ``A | {...}``: one side must be a dict, or ``A | B`` is a bit mask
        left, right = dict_shape(node.left, line_of), dict_shape(node.right, line_of)
        if left is None and right is None:
            return None
        left, right = left or reference(node.left), right or reference(node.right)
        if left is None or right is None:
            return None
        return left[0] + right[0], left[1] + right[1], left[2] or right[2]
    if isinstance(node, cst.Call) and not _config_get(node):
        return _copied(node, line_of)
    config = config_name(node)
    if config is not None:
        return (), (config,), False
    return None


def reference(node: cst.BaseExpression) -> Optional[DictShape]:
    """A bare name or attribute, as a dict merged in whole (``self._flags = DEFAULTS``)."""
    ref = dotted(node)
    return ((), (ref,), False) if ref is not None and ref not in ("None", "True", "False") else None


def update_shape(call: cst.Call, line_of) -> DictShape:
    """``D.update(...)``: literal entries, merged dicts, or computed (open)."""
    entries: List[Tuple[str, bool, int]] = []
    merged: List[str] = []
    computed = False
    for arg in call.args:
        if arg.keyword is not None:
            value = _bool(arg.value)
            if value is None:
                computed = True
            else:
                entries.append((arg.keyword.value, value, line_of(arg)))
            continue
        shape = None if arg.star else (dict_shape(arg.value, line_of) or reference(arg.value))
        if shape is None:
            computed = True
        else:
            entries.extend(shape[0])
            merged.extend(shape[1])
            computed = computed or shape[2]
    return tuple(entries), tuple(merged), computed


def config_name(node: cst.BaseExpression) -> Optional[str]:
    """``app.config["DEFAULTS"]``, ``config.get("DEFAULTS", {})``,
    ``settings.DEFAULTS`` -> ``config:DEFAULTS``: a mapping of the loaded
    configuration, by name (Flask and Django load a settings module's
    upper-case names that way)."""
    holder, key = None, None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        holder, key = node.value, node.slice[0].slice.value
    elif isinstance(node, cst.Call) and _config_get(node):
        holder, key = node.func.value, node.args[0].value  # type: ignore[attr-defined]
    elif isinstance(node, cst.Attribute) and is_constant_like(node.attr.value) and node.attr.value.isupper():
        if _is_config_holder(node.value):
            return f"config:{node.attr.value}"
        return None
    if holder is None or not _is_config_holder(holder):
        return None
    if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
        return f"config:{key.evaluated_value}"
    return None


def _is_config_holder(node: cst.BaseExpression) -> bool:
    return (dotted(node) or "").rsplit(".", 1)[-1].lower().endswith(_CONFIG_HOLDERS)


def _config_get(call: cst.Call) -> bool:
    """``<holder>.get("NAME"...)`` on a configuration holder."""
    return (
        isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "get"
        and bool(call.args)
        and call.args[0].keyword is None
        and not call.args[0].star
        and isinstance(call.args[0].value, cst.SimpleString)
        and _is_config_holder(call.func.value)
    )


def config_read(node: cst.BaseExpression, keyed: Recogniser, returned: Collection[str] = ()) -> Optional[KeyInfo]:
    """A key looked up in a configuration mapping fetched by name:
    ``app.config["FLAGS"]["X"]``, ``config.get("FLAGS", {}).get("X", False)``,
    ``"X" in settings.FLAGS``. Kept as a call of ``config:FLAGS`` with the
    key (and the default) as its arguments, for the graph to match against
    the registries merged with that name; a key built at run time stays
    one (never guessed), and a string that is no flag key is no read.
    A parameter of ``returned`` as the key is a wrapper's own lookup
    (``return app.config["FLAGS"].get(name)``): its callers read the keys."""
    container, key, default, negated = None, None, None, False
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        container, key = node.value, node.slice[0].slice.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get":
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if not positional or len(node.args) > 2 or any(arg.star for arg in node.args):
            return None
        container, key = node.func.value, positional[0].value
        default = node.args[1].value if len(node.args) == 2 else None
    elif isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        target = node.comparisons[0]
        if isinstance(target.operator, (cst.In, cst.NotIn)):
            container, key, negated = target.comparator, node.left, isinstance(target.operator, cst.NotIn)
    name = config_name(container) if container is not None else None
    if name is None or key is None or (isinstance(key, cst.Name) and key.value in returned):
        return None
    arg = keyed.argument(key, 0)
    if arg.kind == ARG_LITERAL or (arg.kind != ARG_STRING and isinstance(key, cst.SimpleString)):
        return None
    args = (arg,) if default is None else (arg, keyed.argument(default, 1))
    return KeyInfo(None, negated=negated, callee=name, call_args=args)


def lookup(node: cst.CSTNode, params: Collection[str]) -> Optional[Tuple[str, str]]:
    """(dict as written, parameter) of ``D[p]``, ``D.get(p, ...)``, ``p in D``."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return _pair(node.value, node.slice[0].slice.value, params)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get":
        if node.args and node.args[0].keyword is None and not node.args[0].star:
            return _pair(node.func.value, node.args[0].value, params)
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        if isinstance(node.comparisons[0].operator, (cst.In, cst.NotIn)):
            return _pair(node.comparisons[0].comparator, node.left, params)
    return None


def env_override(node: cst.CSTNode, params: Collection[str], resolve) -> Optional[Tuple[str, str]]:
    """(parameter, how the variable is named from it) of an environment read
    named after a parameter: ``os.getenv(key)``, ``os.environ[key.upper()]``,
    ``key in os.environ``, ``get_bool_env(key)``. ``resolve`` turns a
    dotted name into its full imported name."""
    if isinstance(node, cst.Subscript) and resolve(dotted(node.value) or "") in _ENV_MAPPINGS:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            return _named_after(node.slice[0].slice.value, params)
        return None
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        target = node.comparisons[0]
        if (
            isinstance(target.operator, (cst.In, cst.NotIn))
            and resolve(dotted(target.comparator) or "") in _ENV_MAPPINGS
        ):
            return _named_after(node.left, params)
        return None
    if not isinstance(node, cst.Call) or not node.args or node.args[0].keyword is not None or node.args[0].star:
        return None
    callee = dotted(node.func) or ""
    if "env" not in resolve(callee).lower():
        return None
    return _named_after(node.args[0].value, params)


def _named_after(node: cst.BaseExpression, params: Collection[str]) -> Optional[Tuple[str, str]]:
    if isinstance(node, cst.Name) and node.value in params:
        return node.value, "same"
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and not node.args:
        how = _NAME_METHODS.get(node.func.attr.value)
        inner = node.func.value
        if how and isinstance(inner, cst.Name) and inner.value in params:
            return inner.value, how
    return None


def _pair(container: cst.BaseExpression, key: cst.BaseExpression, params: Collection[str]) -> Optional[Tuple[str, str]]:
    ref = config_name(container) or dotted(container)
    if ref is None or not isinstance(key, cst.Name) or key.value not in params or ref in _ENV_MAPPINGS:
        return None
    return ref, key.value


def _literal(node: cst.Dict, line_of) -> Optional[DictShape]:
    entries: List[Tuple[str, bool, int]] = []
    merged: List[str] = []
    for element in node.elements:
        if isinstance(element, cst.StarredDictElement):
            shape = dict_shape(element.value, line_of) or reference(element.value)
            if shape is None:
                return None
            entries.extend(shape[0])
            merged.extend(shape[1])
            continue
        if not isinstance(element, cst.DictElement):  # libcst has no third kind
            return None
        key = element.key
        value = _bool(element.value)
        if not isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) or value is None:
            return None
        text = key.evaluated_value
        if not isinstance(text, str):
            return None
        entries.append((text, value, line_of(element)))
    return tuple(entries), tuple(merged), False


def _copied(call: cst.Call, line_of) -> Optional[DictShape]:
    func = dotted(call.func) or ""
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "copy" and not call.args:
        return dict_shape(call.func.value, line_of) or reference(call.func.value)
    if func not in _COPIES or not call.args or call.args[0].keyword is not None or call.args[0].star:
        return None
    first = call.args[0].value
    shape = dict_shape(first, line_of) or reference(first)
    if shape is None:
        return None
    rest = update_shape(call.with_changes(args=call.args[1:]), line_of) if len(call.args) > 1 else ((), (), False)
    return shape[0] + rest[0], shape[1] + rest[1], shape[2] or rest[2]


def _bool(node: cst.BaseExpression) -> Optional[bool]:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


class DictFacts:
    """The flag dicts of one file, as the visitor meets their bindings and
    updates: a name becomes one by a binding of a dict shape (``base``);
    later updates, item assignments and rebindings add to it or open it."""

    def __init__(self, line_of) -> None:
        self.line_of = line_of
        self.found: list = []
        self.names: set = set()

    def bound(self, name: str, value: cst.BaseExpression, node: cst.CSTNode, attribute: bool) -> None:
        """``name = value`` (``attribute``: ``self.x = value`` in a method,
        where a bare reference counts too: ``self._flags = DEFAULTS``)."""
        shape = dict_shape(value, self.line_of) or (reference(value) if attribute else None)
        if shape is not None:
            self.names.add(name)
            self._add(name, node, shape, base=True)
        elif name in self.names:  # rebound to something else: not only literal entries any more
            self._add(name, node, ((), (), True), base=False)

    def updated(self, name: str, call: cst.Call) -> None:
        """``name.update(...)``."""
        if name in self.names:
            self._add(name, call, update_shape(call, self.line_of), base=False)

    def merged(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        """``name |= value``."""
        if name in self.names:
            shape = dict_shape(value, self.line_of) or reference(value) or ((), (), True)
            self._add(name, node, shape, base=False)

    def item_set(self, name: str, key: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        """``name["KEY"] = True``."""
        if name not in self.names:
            return
        flag = _bool(value)
        text = key.evaluated_value if isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) else None
        if flag is None or not isinstance(text, str):
            self._add(name, node, ((), (), True), base=False)
        else:
            self._add(name, node, (((text, flag, self.line_of(node)),), (), False), base=False)

    def _add(self, name: str, node: cst.CSTNode, shape: DictShape, base: bool) -> None:
        entries, merged, computed = shape
        self.found.append(FlagDict(name, self.line_of(node), entries, merged, computed, base))

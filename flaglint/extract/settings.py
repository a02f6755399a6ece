"""Settings classes and the attribute chains that read them.

A settings class (a pydantic ``BaseSettings``, a dataclass or an attrs class
of settings) declares flags as fields: ``x_enabled: bool = False``. Whether a
class *is* one needs its bases resolved across files, so extraction records
every class with annotated fields (:class:`SettingsClass`: bases, decorator,
``env_prefix`` / ``case_sensitive``, fields with their literal bool default,
nested-model annotation and aliases) and the graph decides
(:mod:`flaglint.graph.settings_classes`).

A read is an attribute chain on an object whose class can be known: a
parameter or local annotated with a class, a local bound to a call's result
(``s = get_settings()``), a call's result itself (``get_settings().x``), a
module-level or imported name, or ``self``/``cls``. Extraction records the
chain with what its first object is (:class:`AttrChain`); the graph follows
annotations, return types and nested fields. An attribute read on an object
flaglint cannot name (an untyped parameter) is kept by name only
(``loose_attrs``): any field of that name may be the one read. Access by a
computed name (``getattr(s, name)``, ``s.model_dump()``, ``vars(s)``,
``dict(s)``, ``asdict(s)``, ``s.__dict__``) ends a chain with ``*``: any
field may be read.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from ..facts import PREFIX_UNKNOWN, AttrChain, FlagObject, SettingsClass, SettingsField, Span
from .core import Collector, Frame
from .names import dotted

#: decorators that make a dataclass or an attrs class (last name as written)
_DATACLASS = frozenset({"dataclass"})
_ATTRS = frozenset({"s", "attrs", "define", "frozen", "mutable"})
#: calls that wrap a field's default: pydantic ``Field``, dataclasses
#: ``field``, attrs ``attr.ib``/``attrib``/``attrs.field``
_FIELD_CALLS = frozenset({"Field", "field", "ib", "attrib"})
#: calls and methods that read every field by name
_ALL_FIELD_CALLS = frozenset({"vars", "dict", "asdict", "astuple"})
_ALL_FIELD_METHODS = frozenset(
    {"model_dump", "model_dump_json", "dict", "json", "__dict__", "_asdict", "model_copy", "copy"}
)
ANY = "*"
#: the last of a chain whose object (a class) is passed to a call
PASSED = "(passed)"


def settings_class(node: cst.ClassDef, qualname: str, span: Span, field_span) -> Optional[SettingsClass]:
    """The class as a possible settings class, or None when it has no
    annotated field flaglint could use (a bool literal default or a nested
    class annotation)."""
    fields: List[SettingsField] = []
    prefix: Optional[str] = None
    case: Optional[bool] = None
    for arg in node.keywords:  # ``class S(BaseSettings, env_prefix="APP_")`` (v2 class keywords)
        if arg.keyword is not None:
            prefix, case = _option(arg.keyword.value, arg.value, prefix, case)
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == "Config":
            prefix, case = _v1_config(statement, prefix, case)
            continue
        if isinstance(statement, cst.FunctionDef) and statement.name.value in _OWN_SOURCES:
            prefix = PREFIX_UNKNOWN  # the class picks its own sources: names flaglint cannot know
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)):
                target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
                if isinstance(target, cst.Name) and target.value == "model_config" and small.value is not None:
                    prefix, case = _v2_config(small.value, prefix, case)
                    continue
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                found = _field(small, field_span(small.target))
                if found is not None:
                    fields.append(found)
            elif isinstance(small, cst.Assign) and len(small.targets) == 1:
                found = _attrs_field(small, field_span)
                if found is not None:
                    fields.append(found)
    if not fields and prefix is None and case is None:
        return None  # a base class with only its configuration is kept: its subclasses inherit it
    bases = tuple(dotted(arg.value) or "" for arg in node.bases if not arg.keyword)
    return SettingsClass(qualname, span, bases, _decorator(node), prefix, case, tuple(fields))


def _decorator(node: cst.ClassDef) -> str:
    for decorator in node.decorators:
        expression = decorator.decorator
        if isinstance(expression, cst.Call):
            expression = expression.func
        name = (dotted(expression) or "").split(".")
        if name[-1] in _DATACLASS:
            return "dataclass"
        if name[-1] in _ATTRS and (len(name) == 1 or name[0] in ("attr", "attrs")):
            return "attrs"
    return ""


def _v1_config(node: cst.ClassDef, prefix, case):
    """``class Config: env_prefix = "APP_"; case_sensitive = True`` (pydantic v1)."""
    if isinstance(node.body, cst.SimpleStatementSuite):  # ``class Config: env_prefix = "APP_"``
        lines: Sequence[Sequence[cst.BaseSmallStatement]] = (node.body.body,)
    else:
        lines = [line.body for line in node.body.body if isinstance(line, cst.SimpleStatementLine)]
    for smalls in lines:
        for small in smalls:
            if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
                prefix, case = _option(small.targets[0].target.value, small.value, prefix, case)
    return prefix, case


def _v2_config(value: cst.BaseExpression, prefix, case):
    """``model_config = SettingsConfigDict(env_prefix="APP_")`` or a dict
    literal; anything else (a function's result) makes the names unknown."""
    if isinstance(value, cst.Call) and (dotted(value.func) or "").split(".")[-1] in ("SettingsConfigDict", "dict"):
        for arg in value.args:
            if arg.keyword is not None:
                prefix, case = _option(arg.keyword.value, arg.value, prefix, case)
            elif arg.star:
                return PREFIX_UNKNOWN, case
        return prefix, case
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                return PREFIX_UNKNOWN, case
            key = element.key.evaluated_value
            if isinstance(key, str):
                prefix, case = _option(key, element.value, prefix, case)
        return prefix, case
    return PREFIX_UNKNOWN, case


#: methods with which a settings class reads its values from sources of its own
_OWN_SOURCES = frozenset({"settings_customise_sources", "customise_sources"})
#: options with which pydantic reads names or files flaglint does not model:
#: the environment names of the class's fields are then unknown (no FL001)
_UNMODELLED = frozenset({"env_nested_delimiter", "secrets_dir", "alias_generator", "env_parse_none_str"})


def _option(name: str, value: cst.BaseExpression, prefix, case):
    if name in _UNMODELLED or (name == "env_file" and _string(value) != ".env"):
        prefix = PREFIX_UNKNOWN  # an env_file other than the tree's .env is a source flaglint does not read
    elif prefix == PREFIX_UNKNOWN:
        pass  # once unknown, a later env_prefix does not make the names known
    elif name == "env_prefix":
        text = _string(value)
        prefix = text if text is not None else PREFIX_UNKNOWN
    elif name == "case_sensitive" and isinstance(value, cst.Name) and value.value in ("True", "False"):
        case = value.value == "True"
    return prefix, case


def _string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _bool(node: Optional[cst.BaseExpression]) -> Optional[bool]:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def _field(node: cst.AnnAssign, span: Span) -> Optional[SettingsField]:
    if not isinstance(node.target, cst.Name):
        return None
    name = node.target.value
    annotation = _annotation(node.annotation.annotation)
    value = node.value
    default: Optional[bool] = None
    names: List[str] = []
    computed = False
    if value is not None:
        default = _bool(value)
        if isinstance(value, cst.Call) and (dotted(value.func) or "").split(".")[-1] in _FIELD_CALLS:
            default, names, computed = _field_call(value)
    if annotation == "bool" and default is not None:
        return SettingsField(name, span, default, annotation, tuple(names), computed)
    if annotation and annotation.rsplit(".", 1)[-1][:1].isupper() and annotation not in ("Optional", "ClassVar"):
        return SettingsField(name, span, None, annotation, (), False)  # ``server: models.ServerSettings``
    return None


def _attrs_field(node: cst.Assign, field_span) -> Optional[SettingsField]:
    """``x = attr.ib(default=False)``: an attrs field with no annotation."""
    target, value = node.targets[0].target, node.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.Call):
        return None
    if (dotted(value.func) or "").split(".")[-1] not in ("ib", "attrib", "field"):
        return None
    default, names, computed = _field_call(value)
    if default is None:
        return None
    return SettingsField(target.value, field_span(target), default, "bool", tuple(names), computed)


def _field_call(call: cst.Call) -> Tuple[Optional[bool], List[str], bool]:
    """(the literal bool default, the environment names, whether an alias is computed)."""
    default: Optional[bool] = None
    names: List[str] = []
    computed = False
    for index, arg in enumerate(call.args):
        keyword = arg.keyword.value if arg.keyword is not None else None
        if (keyword is None and index == 0) or keyword == "default":
            default = _bool(arg.value)
        elif keyword in ("alias", "validation_alias", "env"):
            found = _alias_names(arg.value)
            if found is None:
                computed = True
            else:
                names += found
    return default, names, computed


def _alias_names(node: cst.BaseExpression) -> Optional[List[str]]:
    """``"X"``, ``AliasChoices("X", "Y")``, v1 ``env=["X", "Y"]``; None when computed."""
    text = _string(node)
    if text is not None:
        return [text]
    items: List[cst.BaseExpression] = []
    if isinstance(node, cst.Call) and (dotted(node.func) or "").split(".")[-1] == "AliasChoices":
        items = [arg.value for arg in node.args]
    elif isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        items = [element.value for element in node.elements]
    else:
        return None
    names = []
    for item in items:
        text = _string(item)
        if text is None:  # AliasPath(...): a path into nested data, not a variable name
            if isinstance(item, cst.Call) and (dotted(item.func) or "").endswith("AliasPath"):
                continue
            return None
        names.append(text)
    return names


def _annotation(node: cst.BaseExpression) -> str:
    """``X``, ``"X"``, ``Optional[X]``, ``X | None``, ``Annotated[X, ...]``,
    ``ClassVar[...]`` (not a field: "ClassVar") as a dotted name, else ""."""
    if isinstance(node, cst.SimpleString):
        text = node.evaluated_value
        if not isinstance(text, str) or len(text) > 200:
            return ""
        if _is_dotted(text.strip()):
            return text.strip()
        try:  # a forward reference: ``"Optional[Nested]"``
            return _annotation(cst.parse_expression(text.strip()))
        except Exception:  # not an expression: no type flaglint can use
            return ""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        sides = [node.left, node.right]
        kept = [side for side in sides if not (isinstance(side, cst.Name) and side.value == "None")]
        return _annotation(kept[0]) if len(kept) == 1 else ""
    if isinstance(node, cst.Subscript):
        head = (dotted(node.value) or "").split(".")[-1]
        if head == "ClassVar":
            return "ClassVar"
        if head in ("Optional", "Annotated") and node.slice:
            element = node.slice[0].slice
            return _annotation(element.value) if isinstance(element, cst.Index) else ""
        return ""
    return dotted(node) or ""


def _is_dotted(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.split("."))


class SettingsFacts(Collector):
    """State and hooks the other handlers call: classes, typed names,
    chains. Kept apart so settings are one concern of the single walk."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.settings_found: List[SettingsClass] = []
        self.chains: Dict[Tuple[str, Tuple[str, ...], Optional[Span]], Tuple[int, int]] = {}
        #: (first name, attrs, where, gate, the function frames around it,
        #: the callee for a call's result): resolved once the module is walked
        self.pending_chains: List[
            Tuple[str, Tuple[str, ...], Tuple[int, int], Optional[Span], Tuple[Frame, ...], str]
        ] = []
        #: tested attributes (see ``reads._add_read``) -> the block they gate
        self._chain_gates: Dict[int, Optional[Span]] = {}
        self.loose: Set[str] = set()
        self.returns: Dict[str, str] = {}
        self._inner_chain: Set[int] = set()
        self.field_sets: Set[str] = set()
        self.flag_objects: List[FlagObject] = []  # see flag_objects.py

    def _note_field_set(self, name: str) -> None:
        """``Settings(x_enabled=v)``, ``settings.x_enabled = v`` (v maybe true):
        the code itself may turn a field of that name on."""
        self.field_sets.add(name)

    def _note_settings_class(self, node: cst.ClassDef, qualname: str) -> None:
        found = settings_class(node, qualname, self.span(node.name), self.span)
        if found is not None:
            self.settings_found.append(found)

    def _note_typed_params(self, node: cst.FunctionDef, frame: Frame, qualname: str) -> None:
        """Annotated parameters (``settings: Settings``) and the return type."""
        params = node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            if param.annotation is not None:
                written = _annotation(param.annotation.annotation)
                if written:
                    frame.typed[param.name.value] = "type:" + written
        if node.returns is not None:
            written = _annotation(node.returns.annotation)
            if written:
                self.returns[qualname] = "type:" + written

    def _note_typed_local(self, target: cst.BaseExpression, value, annotation) -> None:
        """``s = get_settings()``, ``s = Settings()``, ``s: Settings = ...`` in a function."""
        if self.frame.kind != "function" or not isinstance(target, cst.Name):
            return
        typed = self.frame.typed
        if annotation is not None and _annotation(annotation):
            typed[target.value] = "type:" + _annotation(annotation)
        elif isinstance(value, cst.Call) and dotted(value.func) and target.value not in typed:
            typed[target.value] = "call:" + str(dotted(value.func))
        elif target.value in typed and not typed[target.value].startswith("type:"):
            typed[target.value] = ""  # bound twice to different things: unknown

    def _note_returned(self, value: Optional[cst.BaseExpression]) -> None:
        """``return Settings()`` in an unannotated function."""
        if self.frame.kind != "function" or not isinstance(value, cst.Call):
            return
        callee = dotted(value.func)
        if callee and callee[0].isupper() and self.frame.qualname not in self.returns:
            self.returns[self.frame.qualname] = "call:" + callee

    def _note_chain(self, node: cst.Attribute, extra: Tuple[str, ...] = ()) -> None:
        """Record the whole chain once, at its outermost attribute."""
        if id(node) in self._inner_chain:
            return
        attrs: List[str] = []
        base: cst.BaseExpression = node
        while isinstance(base, cst.Attribute):
            self._inner_chain.add(id(base))
            attrs.append(base.attr.value)
            base = base.value
        attrs.reverse()
        span = self.span(node)
        self._add_chain(base, tuple(attrs) + extra, (span.line, span.column), self._chain_gates.get(id(node)))

    def _note_any_field(self, node: cst.BaseExpression, attr: str = ANY) -> None:
        """``getattr(x, name)``, ``vars(x)``, ``dict(x)``: any field of x
        (``attr``: one field by its literal name, or :data:`PASSED`)."""
        if isinstance(node, cst.Attribute):
            self._note_chain(node, (attr,))
        else:
            span = self.span(node)
            self._add_chain(node, (attr,), (span.line, span.column))

    def _note_field_access(self, node: cst.Call) -> None:
        """``getattr(x, name)`` with a computed name, ``vars(x)``,
        ``dict(x)``, ``asdict(x)``: any field of ``x`` may be read."""
        callee = (dotted(node.func) or "").split(".")
        args = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if callee == ["getattr"] and len(args) >= 2:
            name = _string(args[1].value)
            if name is None:
                self._note_any_field(args[0].value)
            elif name.isidentifier():  # ``getattr(s, "x_enabled")`` reads ``s.x_enabled``
                self._note_any_field(args[0].value, name)
        elif callee[-1] in ("isinstance", "issubclass", "type", "cast", "super"):
            return
        elif callee[-1] in _ALL_FIELD_CALLS and len(args) == 1 and len(node.args) == 1:
            self._note_any_field(args[0].value)
        else:  # ``register(Settings)``: a class handed to code that may read any field
            for arg in args:
                if isinstance(arg.value, cst.Name) and arg.value.value[:1].isupper() and dotted(node.func):
                    span = self.span(arg.value)
                    self._add_chain(arg.value, (PASSED, str(dotted(node.func))), (span.line, span.column))

    def _add_chain(
        self, base: cst.BaseExpression, attrs: Tuple[str, ...], where: Tuple[int, int], gate: Optional[Span] = None
    ) -> None:
        if isinstance(base, cst.Name):
            if base.value in ("self", "cls"):
                owner = self._enclosing_class()
                if owner:
                    self._chain("self:" + owner, attrs, where, gate)
                    return
            self.pending_chains.append((base.value, attrs, where, gate, self._function_frames(), ""))
            return
        if isinstance(base, cst.Call):
            callee = dotted(base.func)
            if callee and callee.split(".")[0] not in ("self", "cls"):
                self.pending_chains.append((callee.split(".")[0], attrs, where, gate, self._function_frames(), callee))
                return
            if isinstance(base.func, cst.Name) and base.func.value == "type" and base.args:  # type(self).x
                inner = base.args[0].value
                if isinstance(inner, cst.Name) and inner.value == "self" and self._enclosing_class():
                    self._chain("self:" + self._enclosing_class(), attrs, where, gate)
                    return
        self.loose.update(_names(attrs))

    def _enclosing_class(self) -> str:
        for frame in reversed(self.frames):
            if frame.kind == "class":
                return frame.qualname
        return ""

    def _chain(self, root: str, attrs: Tuple[str, ...], where: Tuple[int, int], gate: Optional[Span]) -> None:
        self.chains.setdefault((root, attrs, gate), where)

    def settings_facts(self):
        """(classes, chains, loose attributes, returns, field sets) once the walk is done:
        a chain's first name is looked up in the function scopes around it."""
        for name, attrs, where, gate, frames, callee in self.pending_chains:
            root = _root(name, frames)
            if root is not None and callee and root.startswith("name:"):
                self._chain("call:" + callee, attrs, where, gate)
            elif root is not None and not callee:
                self._chain(root, attrs, where, gate)
            else:  # an untyped local, or a method of a local's class: by name only
                self.loose.update(_names(attrs))
        chains = tuple(
            AttrChain(root, attrs, line, column, gate)
            for (root, attrs, gate), (line, column) in sorted(self.chains.items(), key=lambda item: item[1])
        )
        return (
            tuple(self.settings_found),
            chains,
            tuple(sorted(self.loose)),
            tuple(sorted(self.returns.items())),
            tuple(sorted(self.field_sets)),
        )


def _names(attrs: Tuple[str, ...]) -> Tuple[str, ...]:
    """The attribute names of a chain (not ``*``, not a passed class's callee)."""
    if PASSED in attrs:
        return ()
    return tuple(attr for attr in attrs if attr != ANY)


def _root(name: str, frames: Tuple[Frame, ...]) -> Optional[str]:
    """What a chain's first name is, after Python's scoping: a typed local
    (``type:X`` / ``call:f``), an untyped local (None), or a module name."""
    for frame in reversed(frames):
        if name in frame.globals:
            break
        if name in frame.typed and frame.typed[name]:
            return frame.typed[name]
        if name in frame.bound:
            return None
    return "name:" + name

"""The one libcst pass that collects a file's flag facts.

Handlers are short ``visit_X`` methods. Whether a bare name in a function is a
local (and so not a flag) is only known once the whole function has been seen,
so reads and uses inside functions are kept pending and resolved when the
module is left, the way pyflakes defers function bodies.
"""

from __future__ import annotations

import builtins
import sys
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from ..facts import (
    ARG_OTHER,
    CALL_PREFIX,
    ORIGIN_ALIAS,
    ORIGIN_COMPOSITE,
    ORIGIN_DYNAMIC,
    ORIGIN_LITERAL,
    READ_TRUTH,
    Definition,
    DynamicKey,
    Function,
    GuardedRef,
    Import,
    Read,
    Span,
    Use,
    Wrapper,
)
from ..sdk import PROVIDERS
from . import conditions, registries
from .keyed import UNKNOWN, KeyInfo, Recogniser, literal_of, truthy
from .names import dotted, field_key, is_constant_like, keyword_field
from .patching import patched_attribute
from .positions import Position
from .references import ReferenceFacts
from .values import can_be_true, literal_value

_FLAG_ENUM_BASES = frozenset({"Flag", "IntFlag"})
_BUILTINS = frozenset(dir(builtins))
#: top-level standard-library modules (Python 3.10+ knows them; 3.9 keeps none)
_STDLIB_MODULES = frozenset(getattr(sys, "stdlib_module_names", ())) - {"__future__"}


@dataclass
class Frame:
    """A scope: the module, a class body or a function body."""

    kind: str  # "module" | "class" | "function"
    qualname: str
    bound: Set[str] = field(default_factory=set)
    globals: Set[str] = field(default_factory=set)
    enum_kind: Optional[str] = None
    members: Dict[str, object] = field(default_factory=dict)  # enum member -> value
    #: a function's parameters in call-site order (``self``/``cls`` of a
    #: method left out), with their literal defaults
    params: Tuple[Tuple[str, object], ...] = ()
    #: how many of ``params`` a caller can pass by position (the rest are keyword-only)
    positional: int = 0
    #: dicts the function looks a parameter up in, in order: (dict as
    #: written, parameter, inside a ``return``)
    lookups: List[Tuple[str, str, bool]] = field(default_factory=list)
    #: parameter -> how an environment variable is named after it
    env_overrides: Dict[str, str] = field(default_factory=dict)
    #: some return hands back an SDK call keyed by a parameter
    sdk_wrapper: bool = False
    #: loop variables over a parameter of this or an enclosing function:
    #: name -> (that function's frame, the parameter)
    each: Dict[str, Tuple["Frame", str]] = field(default_factory=dict)


@dataclass
class Pending:
    """A read or use whose first name may turn out to be a function local."""

    fact: object
    first_name: str
    functions: Tuple[Frame, ...]


class FactCollector(ReferenceFacts, cst.CSTVisitor):
    def __init__(
        self, module: str = "", is_package: bool = False, node_positions: Optional[Dict[cst.CSTNode, Position]] = None
    ) -> None:
        super().__init__()
        self.module, self.is_package = module, is_package
        #: where each node is (extract.positions); only the nodes recorded are looked up
        self.positions: Dict[cst.CSTNode, Position] = node_positions if node_positions is not None else {}
        self.imports: List[Import] = []
        self.frames: List[Frame] = [Frame("module", "")]
        self.definitions: List[Definition] = []
        self.reads: List[Pending] = []
        self.uses: List[Pending] = []
        self.functions: List[Function] = []
        self.global_sets: Set[str] = set()
        self.attribute_sets: Set[str] = set()
        self.fed_fields: Set[str] = set()
        self.dynamic_classes: Set[str] = set()
        self.class_bases: List[Tuple[str, Tuple[str, ...]]] = []
        self.scope_refs: Dict[str, Set[str]] = {}
        self.guarded_refs: List[GuardedRef] = []
        self._gate_starts: Dict[int, Tuple[int, ...]] = {}
        self._guards: List[Tuple[int, ...]] = []
        self._fields: Dict[int, Tuple[Optional[str], bool]] = {}
        self._mask_depth = 0
        self._skip_ref: Set[int] = set()  # names that are not references (def names, targets)
        self._skip_use: Set[int] = set()  # references that are not set-uses (tests, imports)
        self._consumed: Set[int] = set()  # boolean operators already analysed as a test
        self._rest_after: Dict[int, Tuple[cst.BaseStatement, ...]] = {}  # guard clause -> what follows
        # keyed flags: environment variables and SDK calls
        self._imported: Dict[str, str] = {}  # name bound by an import -> full dotted name
        self.string_constants: Dict[str, str] = {}
        self.keyed = Recogniser(self._imported, self.string_constants.get)
        self.dynamic_keys: List[DynamicKey] = []
        self._keyed_nodes: Set[int] = set()  # SDK calls already recorded as tested reads
        self._stores: Set[int] = set()  # subscripts assigned to: not reads
        self.env_sets: Set[str] = set()
        self.wrappers: List[Wrapper] = []
        self._function_nodes: Dict[str, cst.CSTNode] = {}
        self._forwarding: Set[int] = set()  # ``return f(param)``: a forwarder, not a computed key
        self.instances: Dict[str, str] = {}
        self.dynamic_callees: Set[str] = set()
        self.flag_dicts = registries.DictFacts(lambda node: self.span(node).line)
        self._returns = 0  # depth of ``return`` statements being visited
        #: module-level names bound to something other than an SDK client
        #: (one branch of an if/else): never a client
        self._not_clients: Set[str] = set()
        #: such names, with the SDKs some binding of them makes a client of
        self._maybe_clients: Dict[str, Set[str]] = {}
        self.classes: List[Function] = []  # see ReferenceFacts
        self.dynamic_lookups: Set[str] = set()

    # ----------------------------------------------------------------- plumbing
    def span(self, node: cst.CSTNode) -> Span:
        line, column, end_line, end_column = self.positions[node]
        return Span(line, column + 1, end_line, end_column + 1)

    def block_span(self, block: cst.BaseSuite) -> Span:
        """The statements of a block, without its header or trailing blank lines."""
        body = block.body
        if isinstance(block, cst.Else):
            return self.block_span(block.body)
        if not body:
            return self.span(block)
        first, last = self.span(body[0]), self.span(body[-1])
        return Span(first.line, first.column, last.end_line, last.end_column)

    def on_visit(self, node: cst.CSTNode) -> bool:
        key = id(node)
        if key in self._gate_starts:
            self._guards.append(self._gate_starts[key])
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        key = id(original_node)
        if key in self._gate_starts:
            self._guards.pop()
        super().on_leave(original_node)

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def scope(self) -> str:
        """Qualname of the innermost function ("" at module or class level)."""
        for frame in reversed(self.frames):
            if frame.kind == "function":
                return frame.qualname
        return ""

    @property
    def guards(self) -> Tuple[int, ...]:
        return tuple(index for gate in self._guards for index in gate)

    def _function_frames(self) -> Tuple[Frame, ...]:
        return tuple(frame for frame in self.frames if frame.kind == "function")

    def _qualify(self, name: str) -> str:
        parent = self.frame.qualname
        return f"{parent}.{name}" if parent else name

    # ---------------------------------------------------------------- scopes
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._skip_name(node.name)
        self._bind(node.name.value)
        bases = tuple(dotted(arg.value) or "" for arg in node.bases if not arg.keyword)
        simple = {base.rsplit(".", 1)[-1] for base in bases}
        enum_kind = next(iter(sorted(simple & _FLAG_ENUM_BASES)), None)
        qualname = self._qualify(node.name.value)
        self.class_bases.append((qualname, bases))
        self._note_class(node, qualname)
        self.frames.append(Frame("class", qualname, enum_kind=enum_kind))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.frames.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._skip_name(node.name)
        self._bind(node.name.value)
        qualname = self._qualify(node.name.value)
        self.functions.append(Function(qualname, node.name.value, self.span(node), bool(node.decorators), self.guards))
        self._function_nodes[qualname] = node.name
        self._flag_decorators(node)
        params, positional = _call_site_params(node, self.frame.kind == "class")
        frame = Frame("function", qualname, params=params, positional=positional)
        params = node.params
        for param in _params(params):
            frame.bound.add(param.name.value)
            self.fed_fields.add(f"{qualname}:{param.name.value}")
            self._skip_name(param.name)
        self.frames.append(frame)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._registry_wrapper(self.frame)
        self.frames.pop()

    def _flag_decorators(self, node: cst.FunctionDef) -> None:
        """``@waffle_flag("x")``: the function body runs only when the flag is on."""
        for decorator in node.decorators:
            info = self.keyed.decorator(decorator.decorator)
            if info is None:
                continue
            gate = None if info.negated else self.block_span(node.body)
            read = Read(
                info.key,
                READ_TRUTH,
                self.span(decorator.decorator),
                self.scope,
                None,
                gate,
                self.guards,
                False,
                info.default_on,
            )
            self.reads.append(Pending(read, "", self._function_frames()))
            if gate is not None:
                self._gate_starts[id(node.body)] = self._gate_starts.get(id(node.body), ()) + (len(self.reads) - 1,)

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

    def _skip_name(self, name: cst.Name) -> None:
        self._skip_ref.add(id(name))
        self._skip_use.add(id(name))

    def _bind(self, name: str) -> None:
        if self.frame.kind == "function" and name not in self.frame.globals:
            self.frame.bound.add(name)

    # ------------------------------------------------------------- bindings
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

    def visit_Assign(self, node: cst.Assign) -> None:
        self._note_clients([target.target for target in node.targets], node.value)
        self._note_instance([target.target for target in node.targets], node.value)
        first, *others = [target.target for target in node.targets]
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

    def _note_each(self, target, iterable) -> None:
        """``for name in names`` with ``names`` a parameter (of this function
        or one it is nested in, as in a decorator factory)."""
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

    def _bind_targets(self, target: cst.BaseExpression) -> None:
        """Names bound to values flaglint cannot know (loop variables, ...)."""
        self._feed_attributes(target)
        for name in _target_names(target):
            self._skip_name(name)
            if self.frame.kind == "function":
                self._bind(name.value)
            else:
                self._define(name, ORIGIN_DYNAMIC, None, None, annotated=False)

    def _assign(self, target, value, *, annotated: bool, augmented: bool = False) -> None:
        self._stores.add(id(target))
        if isinstance(target, cst.Name):
            self._skip_name(target)
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
            self._env_set(
                target.slice[0].slice.value
                if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index)
                else None
            )
        if isinstance(target, cst.Name) and target.value == "__all__":
            self._refs_from_strings(value)
        self._note_flag_dict(target, value, augmented)

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

    def _assign_name(self, target: cst.Name, value, annotated: bool, augmented: bool) -> None:
        name = target.value
        if self.frame.kind == "function":
            if name in self.frame.globals:
                if augmented or can_be_true(value):
                    self.global_sets.add(name)
            else:
                self.frame.bound.add(name)
            if not _constant_expression(value):
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

    def _assign_attribute(self, target: cst.Attribute, value, augmented: bool) -> None:
        if augmented or can_be_true(value):
            self.attribute_sets.add(target.attr.value)
        if not _constant_expression(value):
            self.fed_fields.add("." + target.attr.value)

    def _feed_attributes(self, target: cst.BaseExpression) -> None:
        """``(x.flag_bits, x.size) = unpack(...)``: attributes filled from data."""
        for element in getattr(target, "elements", ()):
            value = element.value
            if isinstance(value, cst.Attribute):
                self.fed_fields.add("." + value.attr.value)
            else:
                self._feed_attributes(value)

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

    def _class_local(self, ref: str) -> str:
        """Inside a class body, a bare name bound earlier in the body is C.name."""
        if self.frame.kind == "class" and ref.split(".")[0] in self.frame.bound:
            return f"{self.frame.qualname}.{ref}"
        return ref

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
                    self.scope_refs.setdefault(self.scope, set()).add(name)

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
            self.module, self.is_package, len(node.relative), dotted(node.module) if node.module else ""
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

    # ---------------------------------------------------------------- fields
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
            if not _constant_expression(node.value):
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

    def visit_Call(self, node: cst.Call) -> None:
        self._env_setter(node)
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
        if (
            dotted(node.func) in ("getattr", "hasattr")
            and len(args) >= 2
            and isinstance(args[1].value, cst.SimpleString)
        ):
            name = args[1].value.evaluated_value  # ``getattr(settings, "ENABLE_X", False)`` reads ENABLE_X
            if isinstance(name, str):
                self._note_identifier(name)
        if dotted(node.func) == "setattr" and len(args) >= 2:
            name = args[1].value
            if isinstance(name, cst.SimpleString) and isinstance(name.evaluated_value, str):
                if len(args) < 3 or can_be_true(args[2].value):
                    self.attribute_sets.add(name.evaluated_value)
            else:
                self._dynamic_setattr(args[0].value)
        patched = patched_attribute(node)  # monkeypatch.setattr / mock.patch: a test turns the flag on
        if patched is not None:
            self.attribute_sets.add(patched)

    def _maybe_sdk_call(self, node: cst.Call) -> None:
        """``client.variation(...)`` where ``client`` is an SDK's client in
        one branch and something else in another: the call may read any
        flag of that SDK (so none of them is unused), but proves nothing."""
        if not isinstance(node.func, cst.Attribute) or not self._maybe_clients:
            return
        receiver = dotted(node.func.value)
        if receiver not in self._not_clients:
            return
        for provider in sorted(self._maybe_clients.get(receiver, ())):
            if node.func.attr.value in PROVIDERS[provider].methods:
                expression = cst.Module([]).code_for_node(node.args[0].value) if node.args else ""
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

    def _config_read(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        """``app.config["FLAGS"]["K"]`` read, not stored (see :func:`registries.config_read`);
        a parameter returned from it is a wrapper's lookup, not a read."""
        returned = [name for name, _ in self.frame.params] if self._returns > 0 else []
        return None if id(node) in self._stores else registries.config_read(node, self.keyed, returned)

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
        if ref:
            frame.lookups.append((ref, param, self._returns > 0))

    def _dynamic_setattr(self, target: cst.BaseExpression) -> None:
        """``setattr(cls, name, value)``: the class's attributes are data-driven."""
        ref = dotted(target) or ""
        if ref.split(".")[0] in ("self", "cls"):
            owner = self._method_owner()
            if owner:
                self.dynamic_classes.add(owner.rsplit(".", 1)[-1])
        elif ref:
            self.dynamic_classes.add(ref.rsplit(".", 1)[-1])

    # ------------------------------------------------------------- conditions
    def visit_Module(self, node: cst.Module) -> None:
        self._note_guard_clauses(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._note_guard_clauses(node.body)

    def _note_guard_clauses(self, statements: Sequence[cst.BaseStatement]) -> None:
        """``if not FLAG: return`` gates everything after it in the block."""
        for index, statement in enumerate(statements[:-1]):
            if isinstance(statement, cst.If) and statement.orelse is None and _terminates(statement.body):
                self._rest_after[id(statement)] = tuple(statements[index + 1 :])

    def visit_If(self, node: cst.If) -> None:
        self._gate(node.test, node.body, node.orelse or self._rest_after.get(id(node)))

    def visit_While(self, node: cst.While) -> None:
        self._gate(node.test, node.body, None)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._gate(node.test, node.body, node.orelse)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if id(node) in self._consumed:
            return
        shape = conditions.analyse(node.left, self._recognise)
        if isinstance(node.operator, cst.Or):
            shape = shape.negated()
        self._record_shape(shape, node.right, None)
        self._mark_consumed(node.left)

    def _recognise(self, node: cst.BaseExpression) -> Optional[KeyInfo]:
        info = self.keyed.environment(node) or self.keyed.sdk(node)
        if info is None and id(node) not in self._keyed_nodes:
            info = self._config_read(node) or self._possible_wrapper_call(node)
        if info is not None:
            self._keyed_nodes.add(id(node))
        return info

    # -------------------------------------------------------------- wrappers
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
            return None
        if id(node) in self._forwarding:  # a forwarder's call is described by its Wrapper fact,
            return self._forwarded_read(node, callee)  # but ``return is_on("x", user=user)`` reads "x"
        if self._each_forwarder(node, callee):
            return None
        args, keyed = self.keyed.call_args(node)
        if any(arg.star for arg in node.args) or (not keyed and any(arg.kind == ARG_OTHER for arg in args)):
            self.dynamic_callees.add(callee)  # ``is_on(*names)``, ``is_on(name)``: a key built at run time
        return KeyInfo(None, callee=callee, call_args=args) if keyed else None

    def _forwarded_read(self, node: cst.Call, callee: str) -> Optional[KeyInfo]:
        """A forwarding call that also passes a literal key reads that key.
        The forwarded parameters are left out of its arguments, so where one
        of them is the key (the call is a real forwarder) the read has no key
        and the graph leaves it to the Wrapper fact."""
        params = {name for name, _ in self.frame.params} if self.frame.kind == "function" else set()
        forwarded = [
            arg.keyword.value if arg.keyword is not None else index
            for index, arg in enumerate(node.args)
            if isinstance(arg.value, cst.Name) and arg.value.value in params
        ]
        args, keyed = self.keyed.call_args(node)
        if not keyed:
            return None
        kept = tuple(arg for arg in args if (arg.keyword or arg.position) not in forwarded)
        return KeyInfo(None, callee=callee, call_args=kept)

    def _each_forwarder(self, node: cst.Call, callee: str) -> bool:
        """``all(is_on(name) for name in names)``, ``names`` a parameter: the
        function holding ``names`` forwards each item as a key (its callers
        pass a list of keys). A call that also passes a key-like string
        (``is_on("x", user)`` for each user) reads that key instead."""
        if not self.frame.each or self.keyed.call_args(node)[1]:
            return False
        position = 0
        for arg in node.args:
            if arg.star:
                return False
            found = self.frame.each.get(arg.value.value) if isinstance(arg.value, cst.Name) else None
            if found is not None:
                owner, param = found
                keyword = arg.keyword.value if arg.keyword is not None else ""
                self._forwarding.add(id(node))
                self.wrappers.append(
                    self._wrapper(
                        owner,
                        param,
                        callee=callee,
                        callee_position=-1 if keyword else position,
                        callee_keyword=keyword,
                        each=True,
                    )
                )
                return True
            if arg.keyword is None:
                position += 1
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
        position = 0
        for arg in call.args:
            if arg.star:
                return
            if isinstance(arg.value, cst.Name) and arg.value.value in params:
                self._forwarding.add(id(call))
                keyword = arg.keyword.value if arg.keyword is not None else ""
                self.wrappers.append(
                    self._wrapper(
                        frame,
                        arg.value.value,
                        callee=callee,
                        callee_position=-1 if keyword else position,
                        callee_keyword=keyword,
                        callee_args=self.keyed.call_args(call)[0],
                        conditional=conditional,
                    )
                )
            if arg.keyword is None:
                position += 1

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
        default_index, default_param, default_on = -1, "", True
        if default_node is not None:
            if isinstance(default_node, cst.Name) and default_node.value in names:
                default_index, default_param = names.index(default_node.value), default_node.value
                default_on = truthy(frame.params[default_index][1])
            else:
                default_on = truthy(literal_of(default_node))
        span = (
            self.span(self._function_nodes[frame.qualname])
            if frame.qualname in self._function_nodes
            else Span(1, 1, 1, 1)
        )
        index = names.index(param)
        return Wrapper(
            frame.qualname,
            param,
            index if index < frame.positional else -1,
            span,
            default_on=default_on,
            default_index=default_index if default_index < frame.positional else -1,
            default_param=default_param,
            **target,
        )

    def _gate(self, test, on_true, on_false) -> None:
        self._record_shape(conditions.analyse(test, self._recognise), on_true, on_false)
        self._mark_consumed(test)

    def _record_shape(self, shape: conditions.Shape, on_true, on_false) -> None:
        spans = {True: self._region(on_true), False: self._region(on_false)}
        by_branch: Dict[bool, List[int]] = {True: [], False: []}
        for index, leaf in enumerate(shape.leaves):
            branch = True if index in shape.on_when_true else False if index in shape.on_when_false else None
            read_index = self._add_read(leaf, spans.get(branch) if branch is not None else None)
            if branch is not None and read_index is not None:
                by_branch[branch].append(read_index)
            self._skip_use.add(id(leaf.node))
        self._skip_use.update(id(node) for node in shape.tested)
        for branch, region in ((True, on_true), (False, on_false)):
            if region is not None and by_branch[branch]:
                for node in region if isinstance(region, tuple) else (region,):
                    self._gate_starts[id(node)] = self._gate_starts.get(id(node), ()) + tuple(by_branch[branch])

    def _region(self, node) -> Optional[Span]:
        if node is None:
            return None
        if isinstance(node, tuple):  # the statements after a guard clause
            first, last = self.span(node[0]), self.span(node[-1])
            return Span(first.line, first.column, last.end_line, last.end_column)
        if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.Else)):
            return self.block_span(node)
        return self.span(node)

    def _mark_consumed(self, test: cst.BaseExpression) -> None:
        """Boolean operators inside a test are part of the test, not gates."""
        stack = [test]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.BooleanOperation):
                self._consumed.add(id(node))
                stack.extend((node.left, node.right))
            elif isinstance(node, cst.UnaryOperation):
                stack.append(node.expression)

    def _add_keyed_read(self, node: cst.CSTNode, info: KeyInfo, gate: Optional[Span]) -> Optional[int]:
        if info.callee:  # a possible wrapper call: kept for the graph to match
            read = Read(
                CALL_PREFIX + info.callee,
                READ_TRUTH,
                self.span(node),
                self.scope,
                None,
                gate,
                self.guards,
                call_args=info.call_args,
            )
            self.reads.append(Pending(read, info.callee.split(".")[0], self._function_frames()))
            return len(self.reads) - 1
        if info.key is None and info.key_ref:  # an imported constant: the graph resolves it
            ref = f"sdk:{info.provider}:"
            read = Read(
                ref,
                READ_TRUTH,
                self.span(node),
                self.scope,
                None,
                gate,
                self.guards,
                False,
                info.default_on,
                info.key_ref,
            )
            self.reads.append(Pending(read, "", self._function_frames()))
            return len(self.reads) - 1
        if info.key is None:
            self.dynamic_keys.append(DynamicKey(info.provider, info.api, info.expression, self.span(node), self.scope))
            return None
        read = Read(info.key, READ_TRUTH, self.span(node), self.scope, None, gate, self.guards, False, info.default_on)
        self.reads.append(Pending(read, "", self._function_frames()))
        return len(self.reads) - 1

    def _add_read(self, leaf: conditions.Leaf, gate: Optional[Span]) -> Optional[int]:
        if isinstance(leaf.info, KeyInfo):
            return self._add_keyed_read(leaf.node, leaf.info, gate)
        written = dotted(leaf.node)
        ref = self._normalise(written)
        if ref is None:
            return None
        fld = field_key(leaf.other, self.scope) if leaf.other is not None else None
        overridable = written.split(".")[0] in ("self", "cls")
        read = Read(ref, leaf.kind, self.span(leaf.node), self.scope, fld, gate, self.guards, overridable)
        self.reads.append(Pending(read, ref.split(".")[0], self._function_frames()))
        return len(self.reads) - 1

    def _normalise(self, ref: Optional[str]) -> Optional[str]:
        """``self.X``/``cls.X`` in a method mean the enclosing class's X."""
        if ref is None:
            return None
        head, _, rest = ref.partition(".")
        if rest and head in ("self", "cls"):
            owner = self._method_owner()
            return f"{owner}.{rest}" if owner else None
        return ref

    def _method_owner(self) -> Optional[str]:
        for outer, inner in zip(reversed(self.frames[:-1]), reversed(self.frames)):
            if inner.kind == "function":
                return outer.qualname if outer.kind == "class" else None
        return None

    # ------------------------------------------------------------- references
    def visit_Attribute(self, node: cst.Attribute) -> Optional[bool]:
        ref = dotted(node)
        if ref is None:
            self._note_identifier(node.attr.value)
            self._skip_name(node.attr)
            return True
        for part in ref.split("."):
            self._note_identifier(part)
        if id(node) not in self._skip_use:
            self._add_use(ref, node)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip_ref:
            self._note_identifier(node.value)
        if id(node) not in self._skip_use:
            self._add_use(node.value, node)

    def _add_use(self, ref: str, node: cst.CSTNode) -> None:
        if not is_constant_like(ref):
            return
        ref = self._normalise(ref)
        if ref is None:
            return
        ref = self._class_local(ref)
        fld, bitwise = self._fields.get(id(node), (None, False))
        use = Use(ref, self.span(node), self.scope, fld, bitwise or self._mask_depth > 0, self.guards)
        self.uses.append(Pending(use, ref.split(".")[0], self._function_frames()))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, (cst.BitOr, cst.BitXor)):
            self._mask_depth += 1
            if id(node) in self._fields:  # ``flags = A | B`` stores A and B in flags
                key, _ = self._fields[id(node)]
                self._fields[id(node.left)] = self._fields[id(node.right)] = (key, True)

    def leave_BinaryOperation(self, original_node: cst.BinaryOperation) -> None:
        if isinstance(original_node.operator, (cst.BitOr, cst.BitXor)):
            self._mask_depth -= 1

    def _note_identifier(self, name: str) -> None:
        guards = self.guards
        if guards:
            self.guarded_refs.append(GuardedRef(name, self.scope, guards))
        else:
            self.scope_refs.setdefault(self.scope, set()).add(name)


def _is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def can_be_true_origin(origin: str, literal) -> bool:
    return origin != ORIGIN_LITERAL or bool(literal)


_EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)


def _terminates(body: cst.BaseSuite) -> bool:
    """Whether a block always leaves (ends in return/raise/continue/break)."""
    last = body.body[-1] if body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, _EXITS)


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


def _params(params: cst.Parameters) -> List[cst.Param]:
    stars = [star for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]
    return [*params.posonly_params, *params.params, *params.kwonly_params, *stars]


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


def _constant_expression(node: cst.BaseExpression) -> bool:
    """Built only from literals and constant-like names (``A | B``, ``~MASK``, 0)."""
    if literal_value(node) is not None:
        return True
    ref = dotted(node)
    if ref is not None:
        return is_constant_like(ref) or ref in ("None", "True", "False")
    if isinstance(node, cst.BinaryOperation):
        return _constant_expression(node.left) and _constant_expression(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _constant_expression(node.expression)
    return False


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


def resolve_pending(collector: FactCollector):
    """Drop reads and uses of function locals, renumbering read guards.

    Returns (reads, uses, functions, guarded_refs) with consistent indices.

    Called once the whole module has been visited, so every function's local
    bindings are known.
    """
    kept: Dict[int, int] = {}
    for index, pending in enumerate(collector.reads):
        if not _is_local(pending):
            kept[index] = len(kept)
    reads = tuple(_renumber(pending.fact, kept) for index, pending in enumerate(collector.reads) if index in kept)
    uses = tuple(_renumber(pending.fact, kept) for pending in collector.uses if not _is_local(pending))
    functions = tuple(_renumber(function, kept) for function in collector.functions)
    collector.classes = [_renumber(item, kept) for item in collector.classes]
    guarded = []
    for ref in map(lambda ref: _renumber(ref, kept), collector.guarded_refs):
        if ref.guards:
            guarded.append(ref)
        else:  # every gate around it tested a local: an ordinary reference
            collector.scope_refs.setdefault(ref.scope, set()).add(ref.name)
    return reads, uses, functions, tuple(guarded)


def renumber_guards(guards: Tuple[int, ...], kept: Dict[int, int]) -> Tuple[int, ...]:
    return tuple(kept[index] for index in guards if index in kept)


def _renumber(fact, kept: Dict[int, int]):
    if not fact.guards:
        return fact
    return replace(fact, guards=renumber_guards(fact.guards, kept))


def _is_local(pending: Pending) -> bool:
    name = pending.first_name
    return any(name in frame.bound and name not in frame.globals for frame in pending.functions)


def absolute_module(module: str, is_package: bool, level: int, name: str) -> Optional[str]:
    """Resolve ``from ..x import y`` against the importing module's name."""
    if level == 0:
        return name
    package = module.split(".") if module else []
    if not is_package:
        package = package[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)

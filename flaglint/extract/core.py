"""The collector's shared state and its one traversal.

:class:`Collector` holds what every handler reads and writes: the scope
stack, the facts found so far, and the bookkeeping that ties nodes to each
other (names that are not references, values stored in a field, the reads
that gate a region). The handlers live in mixins by concern (definitions,
scopes, reads and gates, stores, calls, wrappers); ``visitor.FactCollector``
joins them into one visitor, so a file is still walked once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Dict, List, Optional, Set, Tuple, Union

import libcst as cst

from ..facts import (
    ARG_KEYS,
    ARG_ONE_OF,
    ARG_PREFIX,
    READ_TRUTH,
    STRING_REF,
    UNKNOWN_RECEIVER,
    CallArg,
    Definition,
    DynamicKey,
    Function,
    GuardedRef,
    Import,
    JoinedKey,
    Read,
    Span,
    Wrapper,
)
from . import registries
from .keyed import Recogniser
from .positions import Positions

#: an unbound ``visit_X``/``leave_X`` method: (collector, node) -> False to skip the children
Handler = Callable[[Any, Any], Optional[bool]]


@dataclass
class Frame:
    """A scope: the module, a class body or a function body."""

    kind: str  # "module" | "class" | "function"
    qualname: str
    bound: Set[str] = field(default_factory=set)
    globals: Set[str] = field(default_factory=set)
    #: the names of ``bound`` that a nested ``def`` or ``class`` binds: a
    #: reference to one names that definition, not a variable
    defs: Set[str] = field(default_factory=set)
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
    #: names bound to a literal list, tuple or set of key-like strings
    key_lists: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    #: loop variables over one of ``key_lists`` (or over a literal one): one of those keys
    loop_keys: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    #: names bound once to a string with a literal start or end
    #: (``name = "organizations:integrations-%s" % key``): its bound
    key_bounds: Dict[str, str] = field(default_factory=dict)
    #: names bound more than once here: no single binding bounds them
    rebound: Set[str] = field(default_factory=set)
    #: names whose class may be known (see :mod:`flaglint.extract.settings`):
    #: ``type:X`` (annotated), ``call:f`` (a call's result), "" (unknown)
    typed: Dict[str, str] = field(default_factory=dict)


@dataclass
class Pending:
    """A read or use whose first name may turn out to be a function local."""

    fact: object
    first_name: str
    functions: Tuple[Frame, ...]


class Collector(cst.CSTVisitor):
    """State and plumbing shared by every handler mixin.

    Dispatch: libcst's ``on_visit`` formats ``"visit_" + type name`` and looks
    it up on every node, then calls one of its hundreds of no-op stubs when
    the collector has no handler; two of those per node were most of the
    walk's Python overhead. Each subclass instead gets, once, a table from
    node type to the ``visit_X`` / ``leave_X`` it defines, and a node without
    a handler costs one dict lookup."""

    #: node type -> the class's own ``visit_X`` / ``leave_X`` (see :func:`_handlers`)
    _visitors: ClassVar[Dict[type, Handler]] = {}
    _leavers: ClassVar[Dict[type, Handler]] = {}

    def __init__(self, module: str = "", is_package: bool = False, node_positions: Optional[Positions] = None) -> None:
        super().__init__()
        self.module, self.is_package = module, is_package
        #: where each node is (extract.positions); only the nodes recorded are looked up
        self.positions = node_positions if node_positions is not None else Positions({})
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
        self.opaque_setattr = False
        self.passed_names: Set[str] = set()
        self.class_bases: List[Tuple[str, Tuple[str, ...]]] = []
        self.scope_refs: Dict[str, Set[str]] = {}
        self.guarded_refs: List[GuardedRef] = []
        #: references noted during the walk, resolved against function locals
        #: once the module is walked (resolve.py): (reference, scope, guards,
        #: the function frames around it)
        self.pending_refs: List[Tuple[str, str, Tuple[int, ...], Tuple[Frame, ...]]] = []
        self._gate_starts: Dict[int, Tuple[int, ...]] = {}
        self._guards: List[Tuple[int, ...]] = []
        self._fields: Dict[int, Tuple[Optional[str], bool]] = {}
        self._argument_values: Set[int] = set()  # values of keyword arguments
        self._mask_depth = 0
        self._skip_ref: Set[int] = set()  # names that are not references (def names, targets)
        self._skip_use: Set[int] = set()  # references that are not set-uses (tests, imports)
        self._consumed: Set[int] = set()  # boolean operators already analysed as a test
        self._rest_after: Dict[int, Tuple[cst.BaseStatement, ...]] = {}  # guard clause -> what follows
        # keyed flags: environment variables and SDK calls
        self._imported: Dict[str, str] = {}  # name bound by an import -> full dotted name
        self.string_constants: Dict[str, str] = {}
        self.keyed = Recogniser(self._imported, self.string_constants.get)
        self.keyed.bound_name = self._bound_name
        self.dynamic_keys: List[DynamicKey] = []
        self._keyed_nodes: Set[int] = set()  # SDK calls already recorded as tested reads
        self._stores: Set[int] = set()  # subscripts assigned to: not reads
        self.env_sets: Set[str] = set()
        #: environment writes with an unbounded name: (text, line)
        self.env_open_writes: List[Tuple[str, int]] = []
        #: modules written to ``DJANGO_SETTINGS_MODULE`` (:mod:`.settings_names`)
        self.settings_names: Set[str] = set()
        #: ``os.environ.update(d)``: (scope, d, the call), decided at the end
        self._env_updates: List[Tuple[str, str, cst.Call]] = []
        self._env_dict_keys: Dict[Tuple[str, str], Optional[Set[str]]] = {}
        #: ``os.environ[key] = v`` with ``key`` a name: (scope, key, the write)
        self._env_named_writes: List[Tuple[str, str, cst.CSTNode]] = []
        self._env_key_names: Dict[Tuple[str, str], Optional[Tuple[bool, str]]] = {}
        self.wrappers: List[Wrapper] = []
        self._function_nodes: Dict[str, cst.CSTNode] = {}
        self._forwarding: Set[int] = set()  # ``return f(param)``: a forwarder, not a computed key
        self.instances: Dict[str, str] = {}
        self.dynamic_callees: Set[str] = set()
        self.dynamic_callee_sites: Dict[str, Tuple[str, int, str]] = {}
        self.flag_dicts = registries.DictFacts(lambda node: self.span(node).line)
        self._returns = 0  # depth of ``return`` statements being visited
        #: module-level names bound to something other than an SDK client
        #: (one branch of an if/else): never a client
        self._not_clients: Set[str] = set()
        #: such names, with the SDKs some binding of them makes a client of
        self._maybe_clients: Dict[str, Set[str]] = {}
        self.classes: List[Function] = []  # see ReferenceFacts
        self.dynamic_lookups: Set[str] = set()
        self.joined_keys: List[JoinedKey] = []  # see joined_facts.py
        self.listed_keys: Dict[str, int] = {}  # see joined_facts.py
        self.shim_lookups: Dict[int, Tuple[str, ...]] = {}

    def span(self, node: cst.CSTNode) -> Span:
        line, column, end_line, end_column = self.positions[node]
        return Span(line, column + 1, end_line, end_column + 1)

    def block_span(self, block: Union[cst.BaseSuite, cst.Else]) -> Span:
        """The statements of a block, without its header or trailing blank lines."""
        if isinstance(block, cst.Else):
            return self.block_span(block.body)
        body = block.body
        if not body:
            return self.span(block)
        first, last = self.span(body[0]), self.span(body[-1])
        return Span(first.line, first.column, last.end_line, last.end_column)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._visitors = _handlers(cls, "visit_")
        cls._leavers = _handlers(cls, "leave_")

    def on_visit(self, node: cst.CSTNode) -> bool:
        key = id(node)
        if key in self._gate_starts:
            self._guards.append(self._gate_starts[key])
        handler = self._visitors.get(type(node))
        return handler is None or handler(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        key = id(original_node)
        if key in self._gate_starts:
            self._guards.pop()
        handler = self._leavers.get(type(original_node))
        if handler is not None:
            handler(self, original_node)

    def _bound_name(self, name: str) -> Optional[Tuple[str, str]]:
        """What a name passed as a key can hold, as a :class:`CallArg` kind
        and value: one of the keys its loop ranges over, the keys of the
        literal list it is bound to, or the bound of the one string it is
        bound to; None when unknown."""
        frame = self.frame
        if name in frame.loop_keys:
            return ARG_ONE_OF, "\n".join(frame.loop_keys[name])
        if name in frame.key_bounds:
            return ARG_PREFIX, frame.key_bounds[name]
        if name in frame.key_lists:
            return ARG_KEYS, "\n".join(frame.key_lists[name])
        if frame.kind == "function" and name not in frame.bound and name in self.frames[0].key_lists:
            return ARG_KEYS, "\n".join(self.frames[0].key_lists[name])
        return None

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
        if not self._guards:  # most names: asked for every identifier
            return ()
        return tuple(index for gate in self._guards for index in gate)

    def _function_frames(self) -> Tuple[Frame, ...]:
        return tuple(frame for frame in self.frames if frame.kind == "function")

    def _add_truth_read(
        self,
        ref: str,
        node: cst.CSTNode,
        gate: Optional[Span],
        *,
        default_on: bool = False,
        key_ref: Optional[str] = None,
        call_args: Tuple[CallArg, ...] = (),
        root: str = "",
    ) -> int:
        """Record a read tested for truth that is not a plain name (an SDK or
        environment key, a flag decorator, a possible wrapper call) and return
        its index; ``root`` is the local name a function-local binding of
        which makes the read the function's own (see resolve.py)."""
        read = Read(
            ref,
            READ_TRUTH,
            self.span(node),
            self.scope,
            None,
            gate,
            self.guards,
            default_on=default_on,
            key_ref=key_ref,
            call_args=call_args,
        )
        self.reads.append(Pending(read, root, self._function_frames()))
        return len(self.reads) - 1

    def _qualify(self, name: str) -> str:
        parent = self.frame.qualname
        return f"{parent}.{name}" if parent else name

    def _skip_name(self, name: cst.Name) -> None:
        self._skip_ref.add(id(name))
        self._skip_use.add(id(name))

    def _bind(self, name: str) -> None:
        if self.frame.kind == "function" and name not in self.frame.globals:
            self.frame.bound.add(name)

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

    def _class_local(self, ref: str) -> str:
        """Inside a class body, a bare name bound earlier in the body is C.name."""
        if self.frame.kind == "class" and ref.split(".")[0] in self.frame.bound:
            return f"{self.frame.qualname}.{ref}"
        return ref

    def _note_identifier(self, name: str) -> None:
        """An identifier named in a string (a dotted path, ``getattr``'s
        literal, ``__all__``): it may name any definition of that name, so it
        keeps such definitions alive, but it never resolves to one."""
        self.pending_refs.append((STRING_REF + name, self.scope, self.guards, ()))

    def _note_reference(self, ref: str) -> None:
        """A name or attribute chain as code reads it (``send``,
        ``legacy.export``, ``.send`` on an unknown object, see
        :class:`~flaglint.facts.GuardedRef`); whether its first name is a
        function local is only known once the module is walked."""
        frames = self._function_frames() if len(self.frames) > 1 and not ref.startswith(UNKNOWN_RECEIVER) else ()
        self.pending_refs.append((ref, self.scope, self.guards, frames))

    def _attribute_reference(self, ref: str) -> str:
        """``self.send`` in a method of C is ``C.send``; outside a method,
        ``self`` is an object like any other (``.send``)."""
        head, _, rest = ref.partition(".")
        if rest and head in ("self", "cls"):
            owner = self._method_owner()
            return f"{owner}.{rest}" if owner else UNKNOWN_RECEIVER + rest
        return ref


def _handlers(cls: type, prefix: str) -> Dict[type, Handler]:
    """Node type -> the handler named ``prefix + type name`` that ``cls``
    defines or inherits from a mixin; libcst's own no-op stubs are left out.
    A handler named after no libcst node would never be called: an error."""
    table: Dict[type, Handler] = {}
    for name in dir(cls):
        if not name.startswith(prefix):
            continue
        method = getattr(cls, name)
        if method is getattr(cst.CSTVisitor, name, None):
            continue
        node_type = getattr(cst, name[len(prefix) :], None)
        if not (isinstance(node_type, type) and issubclass(node_type, cst.CSTNode)):
            raise TypeError(f"{cls.__name__}.{name} names no libcst node type")
        table[node_type] = method
    return table

"""Plain, picklable facts extracted from one source file.

Extraction knows nothing about other files: every name here is exactly as the
file spells it (after the file's own scoping rules), and cross-file resolution
(imports, aliases, families, whether anything sets a flag) happens only in the
graph stage. Keeping facts as frozen dataclasses of strings, ints and tuples
lets them be cached by content hash, sent between processes and merged across
shards without losing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, Optional, Protocol, Sequence, Tuple, TypeVar, Union

#: A literal value a definition binds: a bool, an int, or None when not literal.
Literal = Union[bool, int, None]


@dataclass(frozen=True)
class Span:
    """A region of a file; lines and columns are 1-based, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, other: "Span") -> bool:
        return (self.line, self.column) <= (other.line, other.column) and (
            other.end_line,
            other.end_column,
        ) <= (self.end_line, self.end_column)


if TYPE_CHECKING:  # for type checkers only: the cache names no class but plain facts

    class Placed(Protocol):
        """An argument of a call with its place (:class:`CallArg`, or a
        syntax node's argument in extraction): ``position`` among the
        positional arguments (-1 for a keyword argument, or one whose
        position is not known), ``keyword`` ("" for a positional one)."""

        @property
        def position(self) -> int: ...

        @property
        def keyword(self) -> str: ...

    _Arg = TypeVar("_Arg", bound=Placed)


@dataclass(frozen=True)
class ArgSlot:
    """Where a call passes an argument: the flag key of an SDK call or a
    wrapper, or the default it falls back to. The one shape every record of
    a flag API (:class:`flaglint.sdk.Api`, the ``flag-apis`` configuration,
    :class:`Wrapper`, the graph's ``FlagApi``) uses for it.

    ``position`` counts positional arguments (``self`` not counted; -1: it
    can only be passed by keyword), ``keyword`` is its name ("": it can only
    be passed by position). ``ArgSlot()`` is no slot: nothing is found there.
    """

    position: int = -1
    keyword: str = ""

    def find(self, args: Sequence[_Arg]) -> Optional[_Arg]:
        """The argument passed in this slot: by position, else by keyword;
        None when the call does not pass it, or passes it where no one can
        tell (after ``*args``, inside ``**kwargs``: the caller marks those
        positions unknown and leaves them out)."""
        if self.position >= 0:
            for arg in args:
                if arg.position == self.position:
                    return arg
        if self.keyword:
            for arg in args:
                if arg.keyword == self.keyword:
                    return arg
        return None


# How a definition got its value.
ORIGIN_LITERAL = "literal"  # True, 0x20, 1 << 5, auto()
ORIGIN_ALIAS = "alias"  # B = A, B = mod.A, MEMBER = OTHER.value
ORIGIN_COMPOSITE = "composite"  # A | B: a mask of other names
ORIGIN_DYNAMIC = "dynamic"  # a call, an environment read, anything not literal


@dataclass(frozen=True)
class Definition:
    """A module- or class-level binding of a name.

    ``name`` is qualified inside the module: ``"RLP"`` or ``"OrderFlags.RLP"``.
    A name bound several times (``try``/``except``, platform branches) gives one
    Definition per binding; the graph treats any truthy binding as a set.
    """

    name: str
    span: Span
    origin: str
    value: Literal = None
    alias_of: Optional[str] = None  # dotted reference, for ORIGIN_ALIAS
    owner_class: Optional[str] = None  # class qualname for class-level bindings
    enum_kind: Optional[str] = None  # "Flag" / "IntFlag" for members of such enums
    annotated: bool = False  # ``x: bool = False`` (dataclass/pydantic style field)
    #: ``ENABLE_X = os.getenv("X") == "1"``: the binding is true exactly when
    #: the keyed flag (``env:X``) is on; ``key_default_on`` is its value when
    #: the variable is absent
    key: Optional[str] = None
    key_default_on: bool = False


# Kinds of flag reads.
READ_TRUTH = "truth"  # if FLAG / not FLAG / FLAG and x / x if FLAG else y
READ_BIT = "bit"  # x & BIT, (x & BIT) == BIT, bool(x & BIT)
READ_MEMBER = "member"  # MEMBER in x, x is MEMBER


@dataclass(frozen=True)
class Read:
    """A name tested in a condition, with the code that runs only when it is on.

    ``ref`` is a dotted reference as written (``settings.ENABLE_X``), with
    ``self.X``/``cls.X`` rewritten to the enclosing class (``Config.X``).
    ``field`` is the storage the bit is tested on (see ``names.field_key``).
    ``gate`` is the block that runs only when the flag is on, if any.
    ``guards`` are indices (into ``FileFacts.reads``) of reads whose gate
    encloses this read.
    """

    ref: str
    kind: str
    span: Span
    scope: str = ""
    field: Optional[str] = None
    gate: Optional[Span] = None
    guards: Tuple[int, ...] = ()
    #: read through ``self``/``cls``: a subclass or instance, possibly outside
    #: the analysed code, can override it, so it is a hook, not a switch
    overridable: bool = False
    #: a keyed read (``ref`` is ``env:X`` or ``sdk:<provider>:<key>``): whether
    #: the test is true when nothing sets the key (the literal default)
    default_on: bool = False
    #: an SDK key written as a constant of another module (``flags.NEW_UI``):
    #: the graph resolves it and completes ``ref`` (``sdk:provider:``)
    key_ref: Optional[str] = None
    #: a call that may be a project's own flag wrapper (``ref`` is
    #: ``call:<callee>``): its arguments, which the graph matches against the
    #: wrappers it finds (see :class:`CallArg`)
    call_args: Tuple["CallArg", ...] = ()
    #: read through a conditional wrapper (``return ENABLED and
    #: client.variation(key, ...)``): set by the graph when it rewrites the
    #: call; the call site may be off while the flag is on (see Wrapper)
    conditional: bool = False
    #: read through a wrapper whose hard-wired dict (``if key in STALE:
    #: return STALE[key]``) fixes this key: its value, for everyone, whatever
    #: any flag source says (None: the dict does not name the key);
    #: ``override_where`` says where (``app.stale.STALE (app/stale.py:3)``).
    #: With no ``override``, a dict flaglint cannot read (as written) that
    #: may decide any key
    override: Optional[bool] = None
    override_where: str = ""
    #: read through a wrapper that lets an environment variable named after
    #: the key decide first (``get_bool_env(key)``): that variable's name
    back_door: str = ""


#: kinds of :class:`CallArg` value
ARG_STRING = "str"  # a string literal (or a module string constant), the value itself
ARG_REF = "ref"  # a constant of another module, by dotted name: the graph looks it up
ARG_LITERAL = "lit"  # True / False / None / a number, as written
ARG_OTHER = "var"  # anything computed: a wrapper's key there is built at run time
ARG_KEYS = "keys"  # a list, tuple or set of key-like strings, one per line
#: a loop variable over a literal list of key-like strings (or a name bound
#: to one): one of them, one per line (``for f in ["a:x", "a:y"]: has(f)``)
ARG_ONE_OF = "oneof"
#: a string built at run time from a literal start (``"projects:" + name``,
#: ``f"projects:{name}"``) or with a literal end (``f"{kind}.enabled"``): its
#: bound as :func:`flaglint.keys.env_write_pattern` writes it (``projects:*``,
#: ``*.enabled``); only keys it matches can be meant
ARG_PREFIX = "prefix"

CALL_PREFIX = "call:"


@dataclass(frozen=True)
class CallArg:
    """One argument of a possible wrapper call: ``position`` (-1 for a
    keyword argument), ``keyword``, and what the value is."""

    position: int
    keyword: str
    kind: str
    value: str


@dataclass(frozen=True)
class Wrapper:
    """A function that passes its parameter as the flag key to an SDK call,
    or to another call, and returns the result::

        def is_on(key, default=False):
            return ld_client.variation(key, ctx, default)

    ``key`` is where a call site passes that parameter (its keyword is the
    parameter's name; no position when it is keyword-only). A direct SDK
    wrapper has ``provider``; a forwarder (``return is_on(name)``) has
    ``callee`` and ``callee_key``, where it passes the key on, and the graph
    follows it to a wrapper. ``default`` is the slot of a parameter passed
    on as the SDK default (``ArgSlot()``: none), whose own default makes
    ``default_on``; a forwarder has one fact per parameter it passes on,
    each with that parameter as ``default``, which the graph uses when the
    callee takes it as its default (``return is_on(name, default=default)``).
    A ``conditional`` wrapper makes the call only when
    something else holds and returns something false otherwise (``return
    ENABLED and client.variation(key, ...)``): it can read a flag as off
    when it is on, never as on when it is off."""

    function: str
    key: ArgSlot
    span: Span
    provider: str = ""
    default_on: bool = True
    default: ArgSlot = ArgSlot()
    callee: str = ""
    callee_key: ArgSlot = ArgSlot()
    #: what a forwarder passes to its callee (the default it gives, if any)
    callee_args: Tuple[CallArg, ...] = ()
    conditional: bool = False
    #: a dict (as written; ``self.x`` as ``Class.x``) the function looks its
    #: key up in. With ``provider``: a hard-wired override answered before
    #: the SDK call (``if key in STALE: return STALE[key]``). With neither
    #: ``provider`` nor ``callee``: an in-house registry, the dict decides
    #: (``return FLAGS.get(key, False)``); the graph checks it is a
    #: :class:`FlagDict`
    lookup: str = ""
    #: an environment variable named after the key decides before the SDK
    #: call (``get_bool_env(key)``, ``os.getenv(key.upper())``): how the
    #: name is made from the key (``same``, ``upper``, ``lower``; "" none)
    env_override: str = ""
    #: a forwarder that passes each item of its parameter as a key
    #: (``all(is_on(name) for name in names)``): callers pass a list of keys
    each: bool = False


#: how a :class:`Wrapper`'s environment override names its variable
ENV_NAMES: Dict[str, Callable[[str], str]] = {"same": str, "upper": str.upper, "lower": str.lower}


@dataclass(frozen=True)
class FlagDict:
    """A dict of flag keys to bools, or a step that fills one: ``FLAGS =
    {"new-ui": False}``, ``FLAGS = dict(DEFAULTS)``, ``{**A, **B}``,
    ``FLAGS.update(OTHER)``, ``self._flags = dict(DEFAULTS)`` in a method
    (``name`` is then ``Class._flags``). ``merged`` names (as written) the
    dicts whose entries it takes, ``config:NAME`` for a configuration
    mapping read by name (``app.config["NAME"]``); ``open`` says it also
    takes entries computed at run time. ``base`` marks a binding (an
    assignment), not an update: only a name with a base is a dict."""

    name: str
    line: int
    entries: Tuple[Tuple[str, bool, int], ...] = ()
    merged: Tuple[str, ...] = ()
    open: bool = False
    base: bool = True


@dataclass(frozen=True)
class JoinedKey:
    """An implicitly concatenated string among the keys of a collection
    (``"org:a" "org:b"`` in a list, tuple, set or as a dict key) whose parts
    each look like a key of that collection: two keys joined by a missing
    comma, so neither real key is in it (see :mod:`flaglint.extract.joined`)."""

    parts: Tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class DynamicKey:
    """An SDK flag read whose key is built at run time: never guessed, kept
    for the audit (``expression`` is the key as written)."""

    provider: str
    api: str
    expression: str
    span: Span
    scope: str = ""
    #: a key bounded by its literal start (:func:`flaglint.keys.env_write_pattern`,
    #: ``projects:*``): only keys it matches may be the one read; "" unbounded
    pattern: str = ""


@dataclass(frozen=True)
class Use:
    """A constant-like name used as a value, not tested: ``flags |= RLP``,
    ``Order(flags=RLP)``, ``send(RLP)``. For bits and enum members this is what
    "set" means. ``bitwise`` is true when the name is an operand of ``|``/``^``
    or the value of ``|=`` (it is being combined into a mask)."""

    ref: str
    span: Span
    scope: str = ""
    field: Optional[str] = None
    bitwise: bool = False
    guards: Tuple[int, ...] = ()
    #: passed as a keyword argument (``Queue(maxsize=BACKLOG)``): the field
    #: counts only if some code tests or combines it bitwise
    argument: bool = False


@dataclass(frozen=True)
class Import:
    """``local`` is the name the import binds in this module.

    ``import a.b`` binds ``a`` to module ``a``; ``import a.b as c`` binds ``c``
    to module ``a.b``; ``from a import b`` binds ``b`` to ``a`` + name ``b``;
    ``from a import *`` has local ``"*"``. Relative imports are made absolute.
    """

    local: str
    module: str
    name: Optional[str] = None
    #: the import statement (for findings that point at it)
    span: Optional[Span] = None


@dataclass(frozen=True)
class Function:
    """A function or method definition, for the transitive dead-code analysis."""

    qualname: str
    name: str
    span: Span
    decorated: bool = False
    guards: Tuple[int, ...] = ()


#: a reference that starts with this is an attribute chain on an object
#: flaglint cannot name (a local, a parameter, a call's result): ``.send``
UNKNOWN_RECEIVER = "."
#: a reference that starts with this is an identifier named in a string
STRING_REF = "'"


@dataclass(frozen=True)
class GuardedRef:
    """A reference that appears inside flag-gated code.

    ``name`` (here and in ``FileFacts.scope_refs``) is the reference as the
    module reads it, with function locals already told apart: ``send`` or
    ``legacy.export`` (a name or chain the graph resolves through the
    module's definitions and imports), ``outer.inner`` (a nested
    definition, by its qualified name), ``C.send`` (``self.send`` in a
    method of ``C``), ``.send`` (an attribute of an object flaglint cannot
    name, see :data:`UNKNOWN_RECEIVER`) or ``'send`` (an identifier in a
    string, see :data:`STRING_REF`). A bare local is not a reference at all.
    """

    name: str
    scope: str
    guards: Tuple[int, ...]


@dataclass(frozen=True)
class Problem:
    """Why a file could not be analysed (becomes FL000)."""

    message: str
    line: Optional[int] = None
    column: Optional[int] = None


@dataclass(frozen=True)
class FileFacts:
    """Everything flaglint needs to know about one file."""

    path: str  # POSIX display path
    module: str  # dotted module name ("" when not importable)
    is_package: bool = False  # an __init__.py
    problem: Optional[Problem] = None
    definitions: Tuple[Definition, ...] = ()
    reads: Tuple[Read, ...] = ()
    uses: Tuple[Use, ...] = ()
    imports: Tuple[Import, ...] = ()
    functions: Tuple[Function, ...] = ()
    #: names bound at module level from inside functions via ``global``, with a
    #: value that can be true
    global_sets: Tuple[str, ...] = ()
    #: attribute names given a value that can be true: ``obj.X = v``,
    #: ``setattr(obj, "X", v)``, ``X=v`` keyword arguments
    attribute_sets: Tuple[str, ...] = ()
    #: fields (see ``names.field_key``) given a value not built from known
    #: constants (parsed data, a parameter): their bits come from outside
    fed_fields: Tuple[str, ...] = ()
    #: classes whose attributes are set by name at run time
    #: (``setattr(cls, name, value)`` in a method): any of them may be on
    dynamic_classes: Tuple[str, ...] = ()
    #: ``setattr(obj, name, value)`` with a computed name on an object that is
    #: not ``self``/``cls`` (a parameter, ``self.options``): it may be any class
    #: the code was handed, so see ``passed_names``
    opaque_setattr: bool = False
    #: bare names passed as call arguments (``Parser(Options)``): a class
    #: passed so may be the object an opaque ``setattr`` writes to
    passed_names: Tuple[str, ...] = ()
    #: (class qualname, base names as written) for every class
    class_bases: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    #: identifiers referenced outside gated code, per enclosing function ("" = module)
    scope_refs: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    guarded_refs: Tuple[GuardedRef, ...] = ()
    #: (line, codes) from ``# flaglint: ignore[...]`` or a noqa comment; empty codes = all
    suppressions: Tuple[Tuple[int, Tuple[str, ...]], ...] = field(default=())
    #: module-level string constants (name, value): flag keys written as constants
    string_constants: Tuple[Tuple[str, str], ...] = ()
    #: SDK reads whose key is not a literal or a constant
    dynamic_keys: Tuple[DynamicKey, ...] = ()
    #: environment variables the code itself sets (``os.environ["X"] = v``,
    #: ``os.environ.setdefault``, ``os.putenv``, ``monkeypatch.setenv``,
    #: ``os.environ.update``); a computed name with a literal start as that
    #: prefix and ``*`` (see :mod:`flaglint.extract.env_writes`)
    env_sets: Tuple[str, ...] = ()
    #: writes whose name has no literal start: (the write as written, line);
    #: such a write may set any variable
    env_open_writes: Tuple[Tuple[str, int], ...] = ()
    #: modules the code names as Django's settings: a literal written to
    #: ``DJANGO_SETTINGS_MODULE`` (see :mod:`flaglint.extract.settings_names`)
    settings_names: Tuple[str, ...] = ()
    #: functions that wrap a flag SDK (see :class:`Wrapper`)
    wrappers: Tuple[Wrapper, ...] = ()
    #: module-level names bound to an instance: (name, class as written,
    #: resolved through imports), so ``flags.is_on(...)`` finds the method
    instances: Tuple[Tuple[str, str], ...] = ()
    #: callees called with a computed first argument: if one is a wrapper,
    #: its keys are built at run time somewhere
    dynamic_callees: Tuple[str, ...] = ()
    #: the first such call of each callee: (callee, line, the call as written,
    #: shortened), so a finding can name the read that makes a registry unsure
    dynamic_callee_sites: Tuple[Tuple[str, int, str], ...] = ()
    #: key-like strings in list, tuple and set literals and as keys of dict
    #: literals (not flag dicts of bools): (string, first line); a key a
    #: registrar declares that other code lists is not unused
    listed_keys: Tuple[Tuple[str, int], ...] = ()
    #: dicts of flag keys to bools, and the steps that fill them (see :class:`FlagDict`)
    flag_dicts: Tuple[FlagDict, ...] = ()
    #: the module's other names, under the other source roots (set by
    #: discovery, not extraction: not part of the cache key)
    aliases: Tuple[str, ...] = ()
    #: for a non-Python text file (see :mod:`flaglint.sources.references`):
    #: (flag key, lines where it is mentioned as a whole token)
    mentions: Tuple[Tuple[str, Tuple[int, ...]], ...] = ()
    #: class definitions, for the dead-code search (``decorated``: by a
    #: decorator that may register the class, not ``@dataclass``)
    classes: Tuple[Function, ...] = ()
    #: modules whose names are fetched by a computed name (``globals()[x]``,
    #: ``getattr(module, x)``): "" for this module, else the module reference
    #: as written; every function and class there may be used
    dynamic_lookups: Tuple[str, ...] = ()
    #: strings of key collections joined by a missing comma (see :class:`JoinedKey`)
    joined_keys: Tuple[JoinedKey, ...] = ()
    #: classes that may hold settings (see :class:`SettingsClass`)
    settings_classes: Tuple["SettingsClass", ...] = ()
    #: attribute chains on objects of a class the graph may know (see :class:`AttrChain`)
    attr_chains: Tuple["AttrChain", ...] = ()
    #: attributes read on objects flaglint cannot name (an untyped
    #: parameter or local): any settings field of that name may be the one read
    loose_attrs: Tuple[str, ...] = ()
    #: functions' return types as written: (qualname, type), and
    #: ``return C(...)`` as ``call:C``
    returns: Tuple[Tuple[str, str], ...] = ()
    #: attributes given a value that can be true by code (``obj.X = v``,
    #: ``X=v`` keyword arguments), not by a class body: a settings field of
    #: that name may be turned on by the code, whatever the environment says
    field_sets: Tuple[str, ...] = ()
    #: module-level objects built with a literal key (see :class:`FlagObject`)
    flag_objects: Tuple["FlagObject", ...] = ()


@dataclass(frozen=True)
class SettingsField:
    """An annotated field of a class that may hold settings
    (``x_enabled: bool = False``, ``Field(default=False, alias="X")``,
    ``attr.ib(default=False)``). ``default`` is its literal bool default
    (None: not a bool literal); ``annotation`` its type as written, quotes
    and ``Optional[...]`` removed ("" when not a name): another settings
    class there is a nested model. ``env_names`` are the environment names
    it is read from instead of prefix + name (``alias``,
    ``validation_alias``, ``AliasChoices(...)``, v1 ``env=``); ``computed``
    says some alias is not a literal, so its name is unknown."""

    name: str
    span: Span
    default: Optional[bool] = None
    annotation: str = ""
    env_names: Tuple[str, ...] = ()
    computed: bool = False


#: :attr:`SettingsClass.env_prefix` of a class whose configuration is
#: computed (``model_config = build_config(...)``): its names are unknown
PREFIX_UNKNOWN = "\0"


@dataclass(frozen=True)
class SettingsClass:
    """A class that may be a settings class: its bases and decorator as
    written, its configuration (``env_prefix``: None when the class sets
    none, :data:`PREFIX_UNKNOWN` when computed; ``case_sensitive``: None
    when not set) and its fields. Whether it is one is decided in the graph
    (:mod:`flaglint.graph.settings_classes`), where bases resolve."""

    name: str
    span: Span
    bases: Tuple[str, ...] = ()
    #: "dataclass" or "attrs" for a class so decorated, else ""
    decorator: str = ""
    env_prefix: Optional[str] = None
    case_sensitive: Optional[bool] = None
    fields: Tuple[SettingsField, ...] = ()


@dataclass(frozen=True)
class AttrChain:
    """An attribute chain on an object whose class the graph may know
    (``settings.server.x_enabled``). ``root`` says what the first object is:
    ``type:X`` (a parameter or local annotated ``X``), ``call:f`` (the
    result of calling ``f``: a class or a function), ``name:n`` (a
    module-level or imported name), ``self:C`` (``self``/``cls`` in class
    ``C``). ``attrs`` are the attributes in order; a last ``*`` means any
    attribute (``getattr(x, name)``, ``x.model_dump()``, ``vars(x)``)."""

    root: str
    attrs: Tuple[str, ...]
    line: int
    column: int = 1
    #: the code that runs only when the chain's value is true (a test's block)
    gate: Optional[Span] = None


@dataclass(frozen=True)
class FlagObject:
    """``NAME = Callee("key", ...)`` at module level (see
    :mod:`flaglint.extract.flag_objects`): a flag object when the graph
    finds ``Callee`` is a flag class."""

    name: str
    callee: str
    key: str
    span: Span

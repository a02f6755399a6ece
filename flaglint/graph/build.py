"""Build the flag graph from every file's facts.

Nodes (ids are strings so the graph exports cleanly):

- ``flag:<module.Name>``: a constant, bit or enum member that is read or could be;
  attributes ``symbol``, ``kind`` (bool/bit/member), ``value``, ``definitions``,
  ``reads``, ``uses`` (lists of :class:`Site`);
- ``flag:env:X`` / ``flag:sdk:<provider>:<key>``: a keyed flag (an environment
  variable or an SDK key read by the code), kept in ``FlagGraph.keyed``, not
  in ``FlagGraph.flags``: it has reads but no definitions;
- ``region:<path>:<line>:<col>``: a gated block;
- ``bit:<family>:<value>``: one bit position of one family;
- ``field:<key>``: the storage bits are tested on or set in.

Edges: ``gates`` (flag -> region), ``defines-bit`` (flag -> bit),
``read-on`` / ``set-on`` (flag -> field). All cross-file knowledge lives here;
what it proves (set, always on, read, unused, dead) is decided in
:mod:`flaglint.graph.analysis`, never here.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Dict, Generic, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, TypeVar, Union

from ..config import ApiEntry
from ..facts import ORIGIN_ALIAS, ORIGIN_LITERAL, READ_TRUTH, Definition, FileFacts, Literal, Read, Span, Use
from ..keys import ENV, env_key, is_keyed, is_sdk_key, key_parts, sdk_key, with_key
from ..sources.model import Sources
from ..sources.references import with_names
from .django_settings import named_settings, settings_modules, settings_symbols
from .flag_objects import FlagObjects
from .registries import definitions as registry_definitions
from .settings_classes import SettingsFlag, SettingsModel
from .symbols import Symbol, SymbolTable, display_name
from .wrappers import Wrappers

if typing.TYPE_CHECKING:
    import networkx as nx

KIND_BOOL = "bool"
KIND_BIT = "bit"
KIND_MEMBER = "member"


#: the kind of fact a :class:`Site` holds
Fact = TypeVar("Fact", bound=Union[Definition, Read, Use], covariant=True)


@dataclass(frozen=True)
class Site(Generic[Fact]):
    """Where something happens: a file, a span, and the fact found there
    (``Site[Read]`` in ``Flag.reads``, ``Site[Use]`` in ``Flag.uses``,
    ``Site[Definition]`` in ``Flag.definitions``)."""

    path: str
    span: Span
    fact: Fact


@dataclass
class Flag:
    """Everything the graph knows about one flag symbol."""

    symbol: Symbol
    definitions: List[Site[Definition]]
    reads: List[Site[Read]]
    uses: List[Site[Use]]
    #: for keyed flags (``env:X``, ``sdk:provider:key``): the key; None for symbols
    key: Optional[str] = None
    #: read through Django's ``settings`` object: the deployment's settings may bind it
    settings_read: bool = False

    @property
    def name(self) -> str:
        return display_name(self.symbol)

    @property
    def values(self) -> Set[Literal]:
        return {site.fact.value for site in self.definitions}

    @property
    def literal(self) -> bool:
        return all(site.fact.origin == ORIGIN_LITERAL for site in self.definitions)

    @property
    def is_off(self) -> bool:
        """Every binding is a literal that is false."""
        return self.literal and not any(self.values)

    @property
    def from_key(self) -> bool:
        """Every binding mirrors a keyed flag (``ENABLE_X = os.getenv("X") == "1"``)."""
        return bool(self.definitions) and all(site.fact.key for site in self.definitions)

    @property
    def bit(self) -> Optional[int]:
        """The single bit this flag stands for, if it is one."""
        values = self.values
        if len(values) == 1 and not self._composite():
            value = next(iter(values))
            return value if is_single_bit(value) else None
        return None

    def _composite(self) -> bool:
        return any(site.fact.origin != ORIGIN_LITERAL for site in self.definitions)

    @property
    def enum_class(self) -> Optional[str]:
        if not self.definitions:
            return None
        first = self.definitions[0].fact
        return first.owner_class if first.enum_kind else None

    @property
    def family(self) -> str:
        """Constants of one class, or of one module, form a family."""
        if not self.definitions:
            return self.name
        owner = self.definitions[0].fact.owner_class
        return f"{self.symbol[0]}.{owner}" if owner else self.symbol[0]

    @property
    def truth_reads(self) -> List[Site[Read]]:
        return [site for site in self.reads if site.fact.kind == READ_TRUTH]

    @property
    def bit_reads(self) -> List[Site[Read]]:
        return [site for site in self.reads if site.fact.kind != READ_TRUTH]

    @property
    def overridden_somewhere(self) -> bool:
        """Read through ``self``/``cls``: any subclass may turn it on."""
        return any(site.fact.overridable for site in self.reads)


class FlagGraph:
    """The networkx graph plus the flag records the rules query."""

    def __init__(
        self,
        files: Sequence[FileFacts],
        external_flags: Iterable[str] = (),
        sources=None,
        apis: Iterable[ApiEntry] = (),
        complete: Iterable[str] = (),
        flag_classes: Iterable[str] = (),
    ) -> None:
        self.symbols = SymbolTable(files)
        #: the project's own flag APIs; their calls become keyed reads
        self.wrappers = Wrappers(files, self.symbols, apis)
        files = self.wrappers.rewrite_all(files)
        self.files: Dict[str, FileFacts] = {facts.path: facts for facts in files}
        #: providers (and ``env``) whose flag sources list every flag
        self.complete = frozenset(complete)
        #: keys a registrar declares that other Python code names (a list of
        #: keys, another call): key -> [(path, line)]; like a front end's mention
        self.mentions: Dict[str, List[Tuple[str, int]]] = {}
        #: classes the configuration names as flag classes (``flag-classes``)
        self.flag_classes = tuple(flag_classes)
        self.sources = self._with_registries(sources if sources is not None else Sources())
        #: keyed flags (environment variables, SDK keys) by key: ``env:X``
        self.keyed: Dict[str, Flag] = {}
        #: (path, Read) for SDK reads whose key constant could not be found;
        #: keys built at run time are in each file's ``dynamic_keys``
        self.unresolved_keys: List[Tuple[str, Read]] = []
        #: environment variables the code itself sets (``PREFIX*``: some name
        #: built at run time from that literal start)
        self.env_sets = {name for facts in files if facts.problem is None for name in facts.env_sets}
        #: writes that may set any variable: (the write as written, path, line)
        self.env_open_writes = sorted(
            (text, facts.path, line) for facts in files if facts.problem is None for text, line in facts.env_open_writes
        )
        self.flags: Dict[Symbol, Flag] = {}
        self.external = set(external_flags)
        #: names some code assigns as an attribute (``obj.X = ...``, ``setattr``)
        self.attribute_sets = {name for facts in files for name in facts.attribute_sets}
        #: simple names of classes that set attributes by name at run time
        self.dynamic_classes = _dynamic_classes(files)
        self.used_symbols: set = set()
        self._collect_flags()
        self._link_sites()
        self._link_settings_env()
        for key, definitions in self.sources.flags.items():  # defined, maybe never read (FL005)
            for definition in definitions:
                for provider in definition.providers:
                    self._keyed_flag(sdk_key(provider, key))

    def _with_registries(self, sources):
        """``sources`` plus the entries of every in-house registry as flag
        definitions of its provider (a copy: the caller's stays as read)."""
        if not self.wrappers.registries:
            return sources
        flags = {key: list(found) for key, found in sources.flags.items()}
        for name, registry in sorted(self.wrappers.registries.items()):
            for definition in registry_definitions(registry, name in self.complete):
                flags.setdefault(definition.key, []).append(definition)
            for key, sites in sorted(registry.mentions.items()):  # a declared key other Python code names
                self.mentions[key] = sorted({*self.mentions.get(key, ()), *sites})
        return replace(sources, flags=flags)

    # ------------------------------------------------------------ collection
    def _collect_flags(self) -> None:
        for symbol, definitions in self.symbols.definitions.items():
            facts = self.symbols.modules[symbol[0]]
            sites = [Site(facts.path, d.span, d) for d in definitions]
            if _could_be_flag(definitions):
                self.flags[symbol] = Flag(symbol, sites, [], [])

    def _link_sites(self) -> None:
        bit_fields = _bit_fields(self.files.values())
        for facts in self.files.values():
            if facts.problem is not None:
                continue
            for read in facts.reads:  # keyed flags need no module name
                if is_keyed(read.ref):
                    key = self._complete_key(facts, read)
                    if key is not None:
                        self._keyed_flag(key).reads.append(Site(facts.path, read.span, read))
            if not facts.module:
                continue
            for read in facts.reads:
                if is_keyed(read.ref):
                    continue
                flag = self.flag_for(facts.module, read.ref)
                if flag is not None:
                    flag.reads.append(Site(facts.path, read.span, read))
                for flag in self._settings_flags(facts.module, read.ref):
                    flag.reads.append(Site(facts.path, read.span, read))
                    flag.settings_read = True
            for use in facts.uses:
                if use.argument and use.field and not use.bitwise and use.field not in bit_fields:
                    use = replace(use, field=None)  # ``Queue(maxsize=BACKLOG)``: a value, not a bit stored
                symbol = self.symbols.resolve(facts.module, use.ref)
                self.used_symbols.add(symbol)
                if symbol in self.flags:
                    self.flags[symbol].uses.append(Site(facts.path, use.span, use))
                for flag in self._settings_flags(facts.module, use.ref):
                    flag.uses.append(Site(facts.path, use.span, use))
                    flag.settings_read = True
            for definition in facts.definitions:  # ``SKIP = settings.SKIP``: a copy made at import
                if definition.origin == ORIGIN_ALIAS and definition.alias_of:
                    for flag in self._settings_flags(facts.module, definition.alias_of):
                        flag.uses.append(Site(facts.path, definition.span, Use(definition.alias_of, definition.span)))
                        flag.settings_read = True

    @cached_property
    def flag_objects(self) -> FlagObjects:
        """Module-level objects built with their flag's key (edx-toggles)."""
        return FlagObjects(self.files.values(), self.symbols, self.flag_classes)

    @cached_property
    def settings(self) -> SettingsModel:
        """Settings classes, their bool fields and the reads of them."""
        return SettingsModel(self.files.values(), self.symbols)

    def _link_settings_env(self) -> None:
        """A read of a settings field bound to an environment variable is a
        read of that variable, with the field's default (so environment
        sources decide it: FL001, FL006), unless code sets the field
        (``Settings(x_enabled=True)``, ``settings.x_enabled = v``)."""
        if not any(facts.settings_classes for facts in self.files.values()):
            return
        for flag in self.settings.flags:
            if not flag.env_names or flag.field.name in self._field_sets:
                continue
            key = env_key(self._settings_env_name(flag))
            for read in self.settings.reads(flag):
                chain = read.chain
                span = Span(chain.line, chain.column, chain.line, chain.column)
                fact = Read(key, READ_TRUTH, span, gate=chain.gate, default_on=bool(flag.field.default))
                self._keyed_flag(key).reads.append(Site(read.path, span, fact))

    @cached_property
    def _field_sets(self) -> Set[str]:
        return {name for facts in self.files.values() if facts.problem is None for name in facts.field_sets}

    def _settings_env_name(self, flag: SettingsFlag) -> str:
        """The variable a source sets for the field (any of its names, case
        folded unless the class is case-sensitive), else its first name."""
        for name in flag.env_names:
            for written in sorted(self.sources.env):
                if written == name or (not flag.case_sensitive and written.upper() == name.upper()):
                    return written
        first = flag.env_names[0]
        return first if flag.case_sensitive else first.upper()

    def _settings_flags(self, module: str, ref: str) -> List[Flag]:
        """Flags a read of Django's ``settings.NAME`` may reach (:mod:`.django_settings`)."""
        found = settings_symbols(self.symbols, self._settings_modules, module, ref)
        return [self.flags[symbol] for symbol in found if symbol in self.flags]

    @cached_property
    def _settings_modules(self) -> List[str]:
        return settings_modules(self.symbols, named_settings(list(self.files.values()), self.sources))

    @property
    def django_settings_modules(self) -> List[str]:
        """The Django settings modules of the tree: found by file name, named
        by ``DJANGO_SETTINGS_MODULE``, and what they star-import."""
        return self._settings_modules

    def _complete_key(self, facts: FileFacts, read: Read) -> Optional[str]:
        """The key of a keyed read; a key written as another module's string
        constant is looked up there, and kept as unresolved if it is not one."""
        if read.key_ref is None:
            return read.ref
        symbol = self.symbols.resolve(facts.module, read.key_ref) if facts.module else None
        target = self.symbols.modules.get(symbol[0]) if symbol else None
        value = dict(target.string_constants).get(symbol[1]) if symbol and target is not None else None
        if value is None:
            self.unresolved_keys.append((facts.path, read))
            return None
        return with_key(read.ref, value)

    def _keyed_flag(self, key: str) -> Flag:
        if key not in self.keyed:
            self.keyed[key] = Flag(("", key), [], [], [], key=key)
        return self.keyed[key]

    # ------------------------------------------------------- keyed lookups
    @cached_property
    def unsure_providers(self) -> set:
        """Providers some code reads with a key flaglint cannot know (built
        at run time, or a constant it cannot find): any of their flags may
        be the one read."""
        unsure = {key_parts(read.ref)[0] for _, read in self.unresolved_keys}
        unsure |= {
            dynamic.provider for facts in self.files.values() for dynamic in facts.dynamic_keys if not dynamic.pattern
        }
        return unsure | self.wrappers.dynamic_providers

    @cached_property
    def unsure_patterns(self) -> Dict[str, Set[str]]:
        """Per provider, the keys read with a key bounded by its literal start
        (``has("projects:" + name)`` -> ``projects:*``, see
        :func:`flaglint.keys.env_write_matches`): only keys they match may be
        the one read."""
        found: Dict[str, Set[str]] = {}
        for facts in self.files.values():
            for dynamic in facts.dynamic_keys:
                if dynamic.pattern:
                    found.setdefault(dynamic.provider, set()).add(dynamic.pattern)
        return found

    def unbounded_reads(self, provider: str) -> List[Tuple[str, str, int]]:
        """The reads of ``provider`` whose key flaglint cannot bound: (the call
        as written, path, line), for a finding to name."""
        found = set(self.wrappers.unbounded.get(provider, ()))
        found |= {
            (read.key_ref or "?", path, read.span.line)
            for path, read in self.unresolved_keys
            if key_parts(read.ref)[0] == provider
        }
        return sorted(found, key=lambda site: (site[1], site[2], site[0]))

    def declared_keys(self, provider: str) -> List[str]:
        """Every key the project's sources define for ``provider`` (``env``:
        every variable an environment source sets)."""
        if provider == ENV:
            return sorted(self.sources.env)
        return sorted(key for key in self.sources.flags if self.sources.definitions(provider, key))

    @cached_property
    def hard_wired(self) -> Dict[str, List[Tuple[bool, str]]]:
        """sdk key -> (value, where) for each flag wrapper's hard-wired
        override dict naming the key: the wrapper answers that key from the
        dict, before its SDK, whether or not some call reads it."""
        found: Dict[str, Set[Tuple[bool, str]]] = {}
        apis = (*self.wrappers.by_symbol.values(), *self.wrappers.by_name.values(), *self.wrappers.by_method.values())
        for api in apis:
            if api.override is None:
                continue
            for key, entry in api.override.entries.items():
                where = f"{api.override.name} ({entry.path}:{entry.line})"
                found.setdefault(sdk_key(api.provider, key), set()).add((entry.value, where))
        return {key: sorted(values) for key, values in found.items()}

    def references(self, flag: Flag) -> List[Tuple[str, int]]:
        """Where a flag source's key is mentioned outside Python (front end,
        bundles, templates): read by other code, for FL005 and the audit,
        never a read for FL001. Empty for other flags."""
        if not flag.key or not is_sdk_key(flag.key):
            return []
        _, name = key_parts(flag.key)
        if name not in self.sources.flags:
            return []
        found = [*self.sources.references.get(name, []), *self.mentions.get(name, [])]
        bare = self._bare(key_parts(flag.key)[0], name)
        return found + self.sources.references.get(bare, []) if bare else found

    def _bare(self, provider: str, key: str) -> str:
        """``dashboards-import`` of ``organizations:dashboards-import``, for
        a registry a registrar declares: a namespaced key its API hands to
        a front end may be read there by its bare name
        (``organization.features.includes("dashboards-import")``)."""
        registry = self.wrappers.registries.get(provider)
        if registry is None or not registry.declared:
            return ""
        _, colon, bare = key.partition(":")
        return bare if colon and len(bare) > 2 and ":" not in bare else ""

    @cached_property
    def text_keys(self) -> List[str]:
        """What the text files outside Python (front end, bundles,
        templates) are searched for: the flag sources' keys, with each
        namespaced key's bare name (the audit's outside-python;
        :meth:`bare_keys` for registrars' FL005), and settings fields'
        names. ``check``, the audit and the language server search the same."""
        return with_names([*self.sources.flags, *self.bare_keys, *self.settings_field_names])

    @cached_property
    def settings_field_names(self) -> List[str]:
        """The names of settings classes' bool fields: a front end or a
        template may read one by its name (a settings API hands the object
        to it), so text outside Python is searched for them too."""
        if not any(facts.settings_classes for facts in self.files.values()):
            return []
        return sorted({flag.field.name for flag in self.settings.flags})

    @cached_property
    def bare_keys(self) -> List[str]:
        """The bare names (:meth:`_bare`) front-end text is searched for too."""
        found = {
            self._bare(name, key) for name, registry in self.wrappers.registries.items() for key in registry.entries
        }
        return sorted(found - {""})

    def flag_for(self, module: str, ref: str) -> Optional[Flag]:
        symbol = self.symbols.resolve(module, ref)
        return self.flags.get(symbol) if symbol else None

    @cached_property
    def graph(self) -> "nx.MultiDiGraph":
        """The networkx graph of flags, gated regions, fields and bits, for
        ``flaglint graph``. Built on first use: no rule needs it, and a run
        that only checks never imports networkx (a quarter second)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for flag in [*self.flags.values(), *self.keyed.values()]:
            self._add_flag_node(graph, flag)
        return graph

    def _add_flag_node(self, graph: "nx.MultiDiGraph", flag: Flag) -> None:
        node = f"flag:{flag.name}"
        graph.add_node(node, type="flag", name=flag.name, family=flag.family)
        for site in flag.reads:
            read: Read = site.fact
            if read.gate is not None:
                region = region_id(site.path, read.gate)
                graph.add_node(region, type="region", path=site.path, line=read.gate.line)
                graph.add_edge(node, region, key="gates", type="gates")
            if read.field:
                graph.add_edge(node, f"field:{read.field}", key="read-on", type="read-on")
        for used in flag.uses:
            use = used.fact
            if use.field:
                graph.add_edge(node, f"field:{use.field}", key="set-on", type="set-on")
        if flag.bit is not None:
            bit = f"bit:{flag.family}:{flag.bit:#x}"
            graph.add_node(bit, type="bit", family=flag.family, value=flag.bit)
            graph.add_edge(node, bit, key="defines-bit", type="defines-bit")

    # ---------------------------------------------------------------- queries
    def read_fields(self, flag: Flag) -> set:
        return {site.fact.field for site in flag.bit_reads if site.fact.field}

    def set_fields(self, flag: Flag) -> set:
        return {site.fact.field for site in flag.uses if site.fact.field}

    def owned_fields(self) -> set:
        """Fields the code itself fills: some code stores a known constant
        into them, and nothing stores anything else (parsed data, a parameter)."""
        flags = [*self.flags.values(), *self.keyed.values()]
        stored = {site.fact.field for flag in flags for site in flag.uses if site.fact.field}
        fed = {name for facts in self.files.values() for name in facts.fed_fields}
        return stored - fed

    def built_dynamically(self, flag: Flag) -> bool:
        """An enum class called or passed around (``Perm(value)``) can produce
        any member from data, so nothing proves a member is never produced."""
        owner = flag.enum_class
        return owner is not None and (flag.symbol[0], owner) in self.used_symbols

    def iter_flags(self) -> Iterator[Flag]:
        return iter(sorted(self.flags.values(), key=lambda flag: flag.name))

    def base_reads(self, flag: Flag) -> List[Site[Read]]:
        """Reads of a class attribute's override: ``BaseView`` reads
        ``self.has_json_alternate``, so ``class Special(BaseView):
        has_json_alternate = False`` is read there (classes matched by
        simple name, through every base, as for dynamic classes)."""
        owner = flag.definitions[0].fact.owner_class if flag.definitions else None
        if not owner or flag.reads:
            return []
        attribute = flag.symbol[1].rsplit(".", 1)[-1]
        seen: Set[str] = set()
        todo = list(self._class_parents.get(owner.rsplit(".", 1)[-1], ()))
        found: List[Site[Read]] = []
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            found += self._self_reads.get((name, attribute), [])
            todo += self._class_parents.get(name, ())
        return sorted(found, key=lambda site: (site.path, site.span.line, site.span.column))

    @cached_property
    def _class_parents(self) -> Dict[str, Set[str]]:
        parents: Dict[str, Set[str]] = {}
        for facts in self.files.values():
            for qualname, names in facts.class_bases:
                parents.setdefault(qualname.rsplit(".", 1)[-1], set()).update(name.rsplit(".", 1)[-1] for name in names)
        return parents

    @cached_property
    def _self_reads(self) -> Dict[Tuple[str, str], List[Site[Read]]]:
        """(class simple name, attribute) -> its reads through ``self``/``cls``."""
        reads: Dict[Tuple[str, str], List[Site[Read]]] = {}
        for flag in self.flags.values():
            owner = flag.definitions[0].fact.owner_class if flag.definitions else None
            overridable = [site for site in flag.reads if site.fact.overridable]
            if owner and overridable:
                key = (owner.rsplit(".", 1)[-1], flag.symbol[1].rsplit(".", 1)[-1])
                reads.setdefault(key, []).extend(overridable)
        return reads

    def iter_keyed(self) -> Iterator[Flag]:
        """Environment and SDK flags, by key."""
        return iter(sorted(self.keyed.values(), key=lambda flag: flag.name))


def _bit_fields(files: Iterable[FileFacts]) -> Set[str]:
    """Fields some code tests with ``&`` or fills with ``|``/``^``: a constant
    passed as a keyword argument of that name (``Order(flags=RLP)``) stores a
    bit; one passed as any other (``Queue(maxsize=BACKLOG)``) is a number."""
    fields: Set[str] = set()
    for facts in files:
        if facts.problem is not None:
            continue
        fields.update(read.field for read in facts.reads if read.kind != READ_TRUTH and read.field)
        fields.update(use.field for use in facts.uses if use.bitwise and use.field)
    return fields


def _dynamic_classes(files: Sequence[FileFacts]) -> set:
    """Simple names of classes with run-time ``setattr``, and their subclasses.

    A ``setattr`` by computed name on an object flaglint cannot name (a
    parameter, ``self.options``) may write to any class passed as an argument
    somewhere (a command-line parser built as ``Parser(Options)`` that sets
    ``Options.X`` from ``argv``), so those classes count too."""
    dynamic = {name for facts in files for name in facts.dynamic_classes}
    if any(facts.opaque_setattr for facts in files):
        classes = {qualname.rsplit(".", 1)[-1] for facts in files for qualname, _ in facts.class_bases}
        dynamic |= classes & {name for facts in files for name in facts.passed_names}
    bases = [
        (qualname.rsplit(".", 1)[-1], {base.rsplit(".", 1)[-1] for base in names})
        for facts in files
        for qualname, names in facts.class_bases
    ]
    changed = bool(dynamic)
    while changed:
        grown = {name for name, parents in bases if parents & dynamic} - dynamic
        dynamic |= grown
        changed = bool(grown)
    return dynamic


def is_single_bit(value: object) -> bool:
    """True for a positive int with exactly one bit set (bools excluded)."""
    return type(value) is int and value > 0 and value & (value - 1) == 0


def region_id(path: str, span: Span) -> str:
    return f"region:{path}:{span.line}:{span.column}"


def _could_be_flag(definitions: List[Definition]) -> bool:
    """A constant flaglint tracks: a bool/int literal, an enum member, or a
    binding whose value it cannot know (which may still be read as a flag)."""
    return all(not d.annotated or d.owner_class is None for d in definitions) or any(d.enum_kind for d in definitions)

"""Build the flag graph from every file's facts.

Nodes (ids are strings so the graph exports cleanly):

- ``flag:<module.Name>``: a constant, bit or enum member that is read or could be;
  attributes ``symbol``, ``kind`` (bool/bit/member), ``value``, ``definitions``,
  ``reads``, ``uses`` (lists of :class:`Site`), ``set_by`` (why it can be on);
- ``flag:env:X`` / ``flag:sdk:<provider>:<key>``: a keyed flag (an environment
  variable or an SDK key read by the code), kept in ``FlagGraph.keyed``, not
  in ``FlagGraph.flags``: it has reads but no definitions;
- ``region:<path>:<line>:<col>``: a gated block;
- ``bit:<family>:<value>``: one bit position of one family;
- ``field:<key>``: the storage bits are tested on or set in.

Edges: ``gates`` (flag -> region), ``defines-bit`` (flag -> bit),
``read-on`` / ``set-on`` (flag -> field). All cross-file knowledge lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import networkx as nx

from ..config import ApiEntry
from ..extract.values import is_single_bit
from ..facts import ORIGIN_LITERAL, READ_TRUTH, Definition, FileFacts, Read, Span, Use, is_keyed, key_parts
from ..sources.model import Sources
from .reasons import Reason, SetBy
from .registries import definitions as registry_definitions
from .symbols import Symbol, SymbolTable, display_name
from .wrappers import Wrappers

#: Names type checkers treat as always true, wherever they are defined
#: (mypy and pyright: ``TYPE_CHECKING``; mypy also ``MYPY``). Data, not
#: special cases; users add their own flags in ``external-flags``.
TYPE_CHECKER_CONSTANTS = frozenset({"TYPE_CHECKING", "MYPY"})

#: Environment variables the platform, the shell or a CI service sets: a
#: test on one of them is never a dormant flag.
PLATFORM_VARIABLES = frozenset(
    {
        "HOME",
        "PATH",
        "USER",
        "USERNAME",
        "LOGNAME",
        "SHELL",
        "TERM",
        "LANG",
        "LC_ALL",
        "PWD",
        "TMPDIR",
        "TEMP",
        "TMP",
        "HOSTNAME",
        "PYTHONPATH",
        "PYTHONHASHSEED",
        "VIRTUAL_ENV",
        "CI",
        "GITHUB_ACTIONS",
        "GITLAB_CI",
        "TRAVIS",
        "JENKINS_URL",
        "BUILDKITE",
        "CIRCLECI",
        "TF_BUILD",
        "DISPLAY",
        "NO_COLOR",
        "FORCE_COLOR",
        "COLUMNS",
        "LINES",
        "SYSTEMROOT",
        "APPDATA",
        "LOCALAPPDATA",
        "USERPROFILE",
        "PROGRAMFILES",
        "COMSPEC",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_DATA_HOME",
        "XDG_RUNTIME_DIR",
        "KUBERNETES_SERVICE_HOST",
        "AWS_LAMBDA_FUNCTION_NAME",
        "DYNO",
        "PYTEST_CURRENT_TEST",
        "PYTEST_XDIST_WORKER",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GOOGLE_CLOUD_PROJECT",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    }
)

#: ``sources-complete`` name for the environment sources
ENV = "env"

KIND_BOOL = "bool"
KIND_BIT = "bit"
KIND_MEMBER = "member"


@dataclass(frozen=True)
class Site:
    """Where something happens: a file, a span, and the fact found there."""

    path: str
    span: Span
    fact: Any = None  # the facts.* record found there; which kind depends on the list holding the site


@dataclass
class Flag:
    """Everything the graph knows about one flag symbol."""

    symbol: Symbol
    definitions: List[Site]
    reads: List[Site]
    uses: List[Site]
    set_by: List[str]  # Reason values: text with a SetBy code (see reasons.py)
    #: for keyed flags (``env:X``, ``sdk:provider:key``): the key; None for symbols
    key: Optional[str] = None

    @property
    def name(self) -> str:
        return display_name(self.symbol)

    @property
    def values(self) -> set:
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
    def truth_reads(self) -> List[Site]:
        return [site for site in self.reads if site.fact.kind == READ_TRUTH]

    @property
    def bit_reads(self) -> List[Site]:
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
    ) -> None:
        self.symbols = SymbolTable(files)
        #: the project's own flag APIs; their calls become keyed reads
        self.wrappers = Wrappers(files, self.symbols, apis)
        files = self.wrappers.rewrite_all(files)
        self.files: Dict[str, FileFacts] = {facts.path: facts for facts in files}
        #: providers (and ``env``) whose flag sources list every flag
        self.complete = frozenset(complete)
        self.sources = self._with_registries(sources if sources is not None else Sources())
        #: keyed flags (environment variables, SDK keys) by key: ``env:X``
        self.keyed: Dict[str, Flag] = {}
        #: (path, Read) for SDK reads whose key constant could not be found;
        #: keys built at run time are in each file's ``dynamic_keys``
        self.unresolved_keys: List[Tuple[str, Read]] = []
        self._env_sets = {name for facts in files if facts.problem is None for name in facts.env_sets}
        self.graph = nx.MultiDiGraph()
        self.flags: Dict[Symbol, Flag] = {}
        self.external = set(external_flags)
        self._attribute_sets = {name for facts in files for name in facts.attribute_sets}
        self._dynamic_classes = _dynamic_classes(files)
        self.used_symbols: set = set()
        self._collect_flags()
        self._link_sites()
        for key, definitions in self.sources.flags.items():  # defined, maybe never read (FL005)
            for definition in definitions:
                for provider in definition.providers:
                    self._keyed_flag(f"sdk:{provider}:{key}")
        for flag in self.flags.values():
            flag.set_by = self._set_by(flag)
            self._add_flag_node(flag)
        for flag in self.keyed.values():
            flag.set_by = self._keyed_set_by(flag)
            self._add_flag_node(flag)

    def _with_registries(self, sources):
        """``sources`` plus the entries of every in-house registry as flag
        definitions of its provider (a copy: the caller's stays as read)."""
        if not self.wrappers.registries:
            return sources
        flags = {key: list(found) for key, found in sources.flags.items()}
        for name, registry in sorted(self.wrappers.registries.items()):
            for definition in registry_definitions(registry, name in self.complete):
                flags.setdefault(definition.key, []).append(definition)
        return replace(sources, flags=flags)

    def _keyed_set_by(self, flag: Flag) -> List[str]:
        """Why a keyed flag can be on. A read through a wrapper whose
        hard-wired dict fixes the key is decided by the dict, whatever the
        sources say: off adds nothing, on is a reason. The others are read
        as usual, and an environment back door counts only when an
        environment source sets that very variable."""
        plain = [site for site in flag.reads if site.fact.override is None]
        fixed_on = sorted({site.fact.override_where for site in flag.reads if site.fact.override})
        reasons = [Reason(SetBy.HARD_WIRED, f"the hard-wired {where} fixes it on for everyone") for where in fixed_on]
        unknown = sorted({site.fact.override_where for site in plain if site.fact.override_where})
        reasons += [
            Reason(SetBy.UNKNOWN, f"unknown: its wrapper answers from {where} first, which flaglint cannot read")
            for where in unknown
        ]
        if plain or not flag.reads:
            reasons += self.key_set_by(flag.key, any(site.fact.default_on for site in plain))
        elif flag.key in self.external:
            reasons.append(Reason(SetBy.EXTERNAL, "declared externally set"))
        for name in sorted({site.fact.back_door for site in plain if site.fact.back_door}):
            reasons += [
                Reason(
                    SetBy.ENV_SOURCE,
                    f"environment variable {name} overrides it, set in {assignment.path}:{assignment.line}",
                    (assignment.path, assignment.line),
                )
                for assignment in self.sources.env.get(name, ())
            ]
        return reasons

    def override_notes(self, flag: Flag) -> List[str]:
        """What the wrappers' overrides say of a keyed flag, for messages and
        the audit: the hard-wired dict that fixes it, and the environment
        back doors no source opens."""
        notes = [
            f"the hard-wired {where} fixes it off for everyone"
            for where in sorted({site.fact.override_where for site in flag.reads if site.fact.override is False})
        ]
        for name in sorted(
            {site.fact.back_door for site in flag.reads if site.fact.back_door and site.fact.override is None}
        ):
            if name not in self.sources.env:
                notes.append(
                    f"its wrapper lets environment variable {name} override it, but no environment source sets {name}"
                )
        return notes

    # ------------------------------------------------------------ collection
    def _collect_flags(self) -> None:
        for symbol, definitions in self.symbols.definitions.items():
            facts = self.symbols.modules[symbol[0]]
            sites = [Site(facts.path, d.span, d) for d in definitions]
            if _could_be_flag(definitions):
                self.flags[symbol] = Flag(symbol, sites, [], [], [])

    def _link_sites(self) -> None:
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
            for use in facts.uses:
                symbol = self.symbols.resolve(facts.module, use.ref)
                self.used_symbols.add(symbol)
                if symbol in self.flags:
                    self.flags[symbol].uses.append(Site(facts.path, use.span, use))

    def _complete_key(self, facts: FileFacts, read: Read) -> Optional[str]:
        """The key of a keyed read; a key written as another module's string
        constant is looked up there, and kept as unresolved if it is not one."""
        if read.key_ref is None:
            return read.ref
        symbol = self.symbols.resolve(facts.module, read.key_ref) if facts.module else None
        target = self.symbols.modules.get(symbol[0]) if symbol else None
        value = dict(target.string_constants).get(symbol[1]) if target is not None else None
        if value is None:
            self.unresolved_keys.append((facts.path, read))
            return None
        return read.ref + value

    def _keyed_flag(self, key: str) -> Flag:
        if key not in self.keyed:
            self.keyed[key] = Flag(("", key), [], [], [], [], key=key)
        return self.keyed[key]

    def key_set_by(self, key: str, default_on: bool) -> List[str]:
        """Reasons a keyed flag can be on; empty means nothing turns it on."""
        reasons = []
        if key in self.external:
            reasons.append(Reason(SetBy.EXTERNAL, "declared externally set"))
        if key.startswith("sdk:"):
            provider, name = key_parts(key)
            definitions = self.sources.definitions(provider, name)
            if not definitions and provider in self.wrappers.registries and provider not in self.complete:
                reasons.append(
                    Reason(SetBy.FLAG_SERVICE, f"the registry {provider} does not define it, and a deployment may")
                )
            elif not definitions and provider not in self.complete:
                reasons.append(
                    Reason(SetBy.FLAG_SERVICE, "its state lives in the flag service: no local source defines it")
                )
            elif not definitions and default_on:
                reasons.append(
                    Reason(SetBy.CODE_DEFAULT, "no source defines it, so the code's default applies, and it is on")
                )
            for definition in definitions:
                where = f"{definition.path}:{definition.line}"
                if definition.state in ("on", "live"):
                    reasons.append(
                        Reason(SetBy.SOURCE, f"{definition.why} ({where})", (definition.path, definition.line))
                    )
                elif definition.state == "fallback" and default_on:
                    text = f"{definition.why} ({where}), so the code's default applies, and it is on"
                    reasons.append(Reason(SetBy.CODE_DEFAULT, text, (definition.path, definition.line)))
            return reasons
        name = key[len("env:") :]
        if default_on:
            reasons.append(Reason(SetBy.CODE_DEFAULT, "its default is on"))
        if name in PLATFORM_VARIABLES:
            reasons.append(Reason(SetBy.PLATFORM, "the platform sets it"))
        for assignment in self.sources.env.get(name, ()):
            reasons.append(
                Reason(
                    SetBy.ENV_SOURCE, f"set in {assignment.path}:{assignment.line}", (assignment.path, assignment.line)
                )
            )
        if name in self._env_sets or "*" in self._env_sets:
            reasons.append(Reason(SetBy.ENV_CODE, "the code sets it (os.environ)"))
        if not self.sources.has_env:
            reasons.append(
                Reason(
                    SetBy.UNKNOWN, "unknown: the project has no environment sources (.env, compose or Kubernetes files)"
                )
            )
        reasons.extend(Reason(SetBy.UNKNOWN, f"unknown: {why}") for why in self.sources.env_open)
        return reasons

    # ------------------------------------------------------- keyed verdicts
    @cached_property
    def unsure_providers(self) -> set:
        """Providers some code reads with a key flaglint cannot know (built
        at run time, or a constant it cannot find): any of their flags may
        be the one read."""
        unsure = {read.ref.split(":")[1] for _, read in self.unresolved_keys}
        unsure |= {dynamic.provider for facts in self.files.values() for dynamic in facts.dynamic_keys}
        return unsure | self.wrappers.dynamic_providers

    def declared_keys(self, provider: str) -> List[str]:
        """Every key the project's sources define for ``provider`` (``env``:
        every variable an environment source sets)."""
        if provider == ENV:
            return sorted(self.sources.env)
        return sorted(key for key in self.sources.flags if self.sources.definitions(provider, key))

    def undeclared(self, flag: Flag) -> bool:
        """A keyed flag the code reads that no source defines, although the
        configuration says that provider's sources are complete."""
        if not flag.key or not flag.reads:
            return False
        provider, name = key_parts(flag.key)
        if provider != ENV:
            listed = provider in self.complete or provider in self.wrappers.registries  # a registry lists its keys
            return listed and not self.sources.definitions(provider, name) and flag.key not in self.external
        return (
            ENV in self.complete
            and self.sources.has_env
            and not self.sources.env_unreadable
            and name not in self.sources.env
            and name not in PLATFORM_VARIABLES
            and name not in self._env_sets
            and "*" not in self._env_sets
            and flag.key not in self.external
        )

    def always_on(self, flag: Flag) -> List[str]:
        """Why a keyed flag is on for everyone, everywhere (empty: it is not).

        An SDK flag every source serves on (a true default variant and no
        targeting; or not served, with the code's default true at every
        read); an environment flag nothing sets whose default is on at every
        read."""
        if not flag.key or not flag.reads or flag.key in self.external:
            return []
        if any(site.fact.override is not None for site in flag.reads):
            # a hard-wired dict fixes it at that read: off is FL001's; on is a
            # decision the project has already written down in code, not a
            # flag service serving everyone the same (docs/sdks.md)
            return []
        if any(site.fact.back_door for site in flag.reads):
            return []  # any deployment can switch it off through that variable
        if any(site.fact.override_where for site in flag.reads):
            return []  # a dict flaglint cannot read may decide it
        found = self._always_on(flag, flag.reads)
        return found + self.override_notes(flag) if found else []

    def _always_on(self, flag: Flag, reads: List[Site]) -> List[str]:
        """:meth:`always_on` for the reads no hard-wired dict decides."""
        if any(site.fact.conditional for site in reads):
            return []  # read through a conditional wrapper: that call site may be off
        every_default_on = all(site.fact.default_on for site in reads)
        provider, name = key_parts(flag.key)
        if provider != ENV:
            definitions = self.sources.definitions(provider, name)
            reasons = []
            for definition in definitions:
                where = f"{definition.path}:{definition.line}"
                if definition.state == "on":
                    reasons.append(f"{definition.why} ({where})")
                elif definition.state == "fallback" and every_default_on:
                    reasons.append(f"{definition.why} ({where}) and the code's default is on")
                else:
                    return []
            return reasons
        if not every_default_on or self.key_set_by(flag.key, False):
            return []  # something may set it (or its state is unknown)
        return ["nothing sets it and its default is on at every read"]

    def references(self, flag: Flag) -> List[Tuple[str, int]]:
        """Where a flag source's key is mentioned outside Python (front end,
        bundles, templates): read by other code, for FL005 and the audit,
        never a read for FL001. Empty for other flags."""
        if not flag.key or not flag.key.startswith("sdk:"):
            return []
        _, name = key_parts(flag.key)
        return self.sources.references.get(name, []) if name in self.sources.flags else []

    def flag_for(self, module: str, ref: str) -> Optional[Flag]:
        symbol = self.symbols.resolve(module, ref)
        return self.flags.get(symbol) if symbol else None

    def _set_by(self, flag: Flag) -> List[str]:
        """Reasons the flag can be on; empty means nothing in the tree sets it."""
        module, name = flag.symbol
        reasons = []
        if flag.from_key:  # ``ENABLE_X = os.getenv("X") == "1"``
            for site in flag.definitions:
                reasons.extend(self.key_set_by(site.fact.key, site.fact.key_default_on))
        elif not flag.is_off:
            reasons.append(Reason(SetBy.DEFINITION, "a definition that is true or computed"))
        if flag.name in self.external:
            reasons.append(Reason(SetBy.EXTERNAL, "declared externally set"))
        if name.rsplit(".", 1)[-1] in TYPE_CHECKER_CONSTANTS:
            reasons.append(Reason(SetBy.TYPE_CHECKER, "type checkers treat it as true"))
        owner = flag.definitions[0].fact.owner_class
        if owner and owner.rsplit(".", 1)[-1] in self._dynamic_classes:
            reasons.append(Reason(SetBy.DYNAMIC_CLASS, "its class sets attributes by name at run time"))
        if name.split(".")[-1] in self._attribute_sets:
            reasons.append(Reason(SetBy.ATTRIBUTE_ASSIGNMENT, "an attribute assignment"))
        if "." not in name and name in self.symbols.modules[module].global_sets:
            reasons.append(Reason(SetBy.GLOBAL_ASSIGNMENT, "a global assignment"))
        if name in self.symbols.imports.get(module, {}):
            reasons.append(Reason(SetBy.IMPORT, "an import that rebinds it"))
        return reasons

    def _add_flag_node(self, flag: Flag) -> None:
        node = f"flag:{flag.name}"
        self.graph.add_node(node, type="flag", name=flag.name, family=flag.family)
        for site in flag.reads:
            read: Read = site.fact
            if read.gate is not None:
                region = region_id(site.path, read.gate)
                self.graph.add_node(region, type="region", path=site.path, line=read.gate.line)
                self.graph.add_edge(node, region, key="gates", type="gates")
            if read.field:
                self.graph.add_edge(node, f"field:{read.field}", key="read-on", type="read-on")
        for site in flag.uses:
            use: Use = site.fact
            if use.field:
                self.graph.add_edge(node, f"field:{use.field}", key="set-on", type="set-on")
        if flag.bit is not None:
            bit = f"bit:{flag.family}:{flag.bit:#x}"
            self.graph.add_node(bit, type="bit", family=flag.family, value=flag.bit)
            self.graph.add_edge(node, bit, key="defines-bit", type="defines-bit")

    # ---------------------------------------------------------------- queries
    def read_fields(self, flag: Flag) -> set:
        return {site.fact.field for site in flag.bit_reads if site.fact.field}

    def set_fields(self, flag: Flag) -> set:
        return {site.fact.field for site in flag.uses if site.fact.field}

    def owned_fields(self) -> set:
        """Fields the code itself fills: some code stores a known constant
        into them, and nothing stores anything else (parsed data, a parameter)."""
        stored = {key[len("field:") :] for _, key, data in self.graph.edges(data=True) if data.get("type") == "set-on"}
        fed = {name for facts in self.files.values() for name in facts.fed_fields}
        return stored - fed

    def built_dynamically(self, flag: Flag) -> bool:
        """An enum class called or passed around (``Perm(value)``) can produce
        any member from data, so nothing proves a member is never produced."""
        owner = flag.enum_class
        return owner is not None and (flag.symbol[0], owner) in self.used_symbols

    def iter_flags(self) -> Iterator[Flag]:
        return iter(sorted(self.flags.values(), key=lambda flag: flag.name))

    def iter_keyed(self) -> Iterator[Flag]:
        """Environment and SDK flags, by key."""
        return iter(sorted(self.keyed.values(), key=lambda flag: flag.name))


def _dynamic_classes(files: Sequence[FileFacts]) -> set:
    """Simple names of classes with run-time ``setattr``, and their subclasses."""
    dynamic = {name for facts in files for name in facts.dynamic_classes}
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


def region_id(path: str, span: Span) -> str:
    return f"region:{path}:{span.line}:{span.column}"


def _could_be_flag(definitions: List[Definition]) -> bool:
    """A constant flaglint tracks: a bool/int literal, an enum member, or a
    binding whose value it cannot know (which may still be read as a flag)."""
    return all(not d.annotated or d.owner_class is None for d in definitions) or any(d.enum_kind for d in definitions)

"""What the graph proves: why a flag can be on, flags nothing turns on,
flags always on, bits given two meanings, code (blocks and whole functions)
that can therefore never run, and which flags are read at all.

Computed once per graph and shared by the rules and the audit, so FL001,
FL002 and FL003 always agree on which flags are dead, and FL005 and the
audit's ``unused`` on which flags are read. The verdicts:

- ``never_set``, ``is_never_set``, ``is_dead``, ``dead_regions``,
  ``dead_gates``, ``dead_functions``: FL001, FL002, ``dead``, ``never-set``;
- ``collisions``, ``silent_aliases``, ``historic_reuses``, ``is_reused``,
  ``is_silent_alias``: FL003, ``reused``, ``alias-collision``;
- ``set_by``, ``set_reasons``: why a flag can be on (the audit's "set by");
- ``undeclared``, ``always_on``: FL004, FL006, ``undeclared``, ``always-on``;
- ``is_read``, ``read_elsewhere``, ``decided_by_override``, ``unused``,
  ``unused_definitions``, ``unresolved``, ``never_set_untested``: FL005, ``unused``, ``unresolved``,
  ``never-set``.

Every one of these verdicts is decided here and only here: the graph
(:mod:`flaglint.graph.build`) only joins the facts, and rules and the audit
only ask. Why a flag can be on is :meth:`FlagAnalysis.set_by`: reasons with a
code (:mod:`flaglint.graph.reasons`), never matched by their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from ..facts import Read, Span
from ..history.compare import HistoricReuse, historic_reuses
from ..keys import ENV, env_write_matches, is_sdk_key, key_parts, sdk_key
from ..sources.references import namespaced_name
from .bits import used_as_bit
from .build import KIND_BIT, KIND_BOOL, KIND_MEMBER, Flag, FlagGraph, Site
from .flagness import Flagness, NameRead, NotAFlag
from .reasons import Reason, SetBy
from .references import CONSTANT, MAX_CALLERS, DeadCodeSearch, DeadFunction  # noqa: F401 (re-exported)
from .symbols import Symbol

if TYPE_CHECKING:
    from ..sources.model import FlagDefinition
    from .flag_objects import FlagObjectSite
    from .settings_classes import SettingsFlag


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


@dataclass(frozen=True)
class Collision:
    """``old`` is read but never set; ``new`` has the same bit and is set."""

    old: Flag
    new: Flag
    value: int
    link: str  # why they are one family: "enum" or "field .flags"


@dataclass(frozen=True)
class DeadRegion:
    flag: Flag
    site: Site[Read]  # the read; site.fact.gate is the dead block


def kind_of(flag: Flag) -> str:
    """member: a Flag/IntFlag member; bit: a constant used as a bit; else bool."""
    if flag.enum_class is not None:
        return KIND_MEMBER
    if used_as_bit(flag) or flag.bit_reads:
        return KIND_BIT
    return KIND_BOOL


class FlagAnalysis:
    def __init__(self, graph: FlagGraph, reference=None) -> None:
        self.graph = graph
        self.reference = reference  # history.compare.Reference, for --against / the ledger
        self._set_by: Dict[Symbol, List[Reason]] = {}
        #: key or bare name -> (path, line) of its mentions in Python text, for
        #: the audit's ``mentioned-nowhere`` (filled by the audit only: ``check``
        #: never reads Python files as text)
        self.python_mentions: Dict[str, List[Tuple[str, int]]] = {}

    # ------------------------------------------------------------- set by
    def set_by(self, flag: Flag) -> List[Reason]:
        """Why a flag can be on: :class:`~flaglint.graph.reasons.Reason` values
        (text with a :class:`SetBy` code and a location). Empty: nothing in the
        project turns it on."""
        if flag.symbol not in self._set_by:
            self._set_by[flag.symbol] = self._keyed_set_by(flag, flag.key) if flag.key else self._symbol_set_by(flag)
        return self._set_by[flag.symbol]

    def _keyed_set_by(self, flag: Flag, key: str) -> List[Reason]:
        """Why a keyed flag can be on. A read through a wrapper whose
        hard-wired dict fixes the key is decided by the dict, whatever the
        sources say: off adds nothing, on is a reason. The others are read
        as usual, and an environment back door counts only when an
        environment source sets that very variable."""
        plain = [site for site in flag.reads if site.fact.override is None]
        fixed_on = sorted(
            {site.fact.override_where for site in flag.reads if site.fact.override}
            | {where for value, where in self._unread_hard_wired(flag) if value}
        )
        reasons = [Reason(SetBy.HARD_WIRED, f"the hard-wired {where} fixes it on for everyone") for where in fixed_on]
        unknown = sorted({site.fact.override_where for site in plain if site.fact.override_where})
        reasons += [
            Reason(SetBy.UNKNOWN, f"unknown: its wrapper answers from {where} first, which flaglint cannot read")
            for where in unknown
        ]
        if plain or not (flag.reads or self._unread_hard_wired(flag)):
            reasons += self.key_set_by(key, any(site.fact.default_on for site in plain))
        elif key in self.graph.external:
            reasons.append(Reason(SetBy.EXTERNAL, "declared externally set"))
        for name in sorted({site.fact.back_door for site in plain if site.fact.back_door}):
            reasons += [
                Reason(
                    SetBy.ENV_SOURCE,
                    f"environment variable {name} overrides it, set in {assignment.path}:{assignment.line}",
                    (assignment.path, assignment.line),
                )
                for assignment in self.graph.sources.env.get(name, ())
            ]
        return reasons

    def override_notes(self, flag: Flag) -> List[str]:
        """What the wrappers' overrides say of a keyed flag, for messages and
        the audit: the hard-wired dict that fixes it, and the environment
        back doors no source opens."""
        notes = [
            f"the hard-wired {where} fixes it off for everyone"
            for where in sorted(
                {site.fact.override_where for site in flag.reads if site.fact.override is False}
                | {where for value, where in self._unread_hard_wired(flag) if not value}
            )
        ]
        for name in sorted(
            {site.fact.back_door for site in flag.reads if site.fact.back_door and site.fact.override is None}
        ):
            if name not in self.graph.sources.env:
                notes.append(
                    f"its wrapper lets environment variable {name} override it, but no environment source sets {name}"
                )
        return notes

    def _unread_hard_wired(self, flag: Flag) -> List[Tuple[bool, str]]:
        """(value, where) of each wrapper override dict naming a keyed flag
        no call reads: the wrapper answers it from there (with reads, each
        read carries its own ``override``)."""
        return [] if flag.reads or not flag.key else self.graph.hard_wired.get(flag.key, [])

    def key_set_by(self, key: str, default_on: bool) -> List[Reason]:
        """Reasons a keyed flag can be on; empty means nothing turns it on."""
        reasons: List[Reason] = []
        if key in self.graph.external:
            reasons.append(Reason(SetBy.EXTERNAL, "declared externally set"))
        provider, name = key_parts(key)
        if is_sdk_key(key):
            definitions = self.graph.sources.definitions(provider, name)
            if not definitions and provider in self.graph.wrappers.registries and provider not in self.graph.complete:
                reasons.append(
                    Reason(SetBy.FLAG_SERVICE, f"the registry {provider} does not define it, and a deployment may")
                )
            elif not definitions and provider not in self.graph.complete:
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
        if default_on:
            reasons.append(Reason(SetBy.CODE_DEFAULT, "its default is on"))
        if name in PLATFORM_VARIABLES:
            reasons.append(Reason(SetBy.PLATFORM, "the platform sets it"))
        for assignment in self.graph.sources.env.get(name, ()):
            reasons.append(
                Reason(
                    SetBy.ENV_SOURCE, f"set in {assignment.path}:{assignment.line}", (assignment.path, assignment.line)
                )
            )
        if self.code_sets_env(name):
            reasons.append(Reason(SetBy.ENV_CODE, "the code sets it (os.environ)"))
        if not self.graph.sources.has_env:
            reasons.append(
                Reason(
                    SetBy.UNKNOWN, "unknown: the project has no environment sources (.env, compose or Kubernetes files)"
                )
            )
        reasons.extend(Reason(SetBy.UNKNOWN, f"unknown: {why}") for why in self.graph.sources.env_open)
        return reasons

    def undeclared(self, flag: Flag) -> bool:
        """A keyed flag the code reads that no source defines, although the
        configuration says that provider's sources are complete."""
        if not flag.key or not flag.reads:
            return False
        provider, name = key_parts(flag.key)
        if provider != ENV:
            registry = self.graph.wrappers.registries.get(provider)
            if registry is not None and registry.declared and (registry.open or name in registry.registered):
                return False  # a registrar declares keys at run time too, or declared it as a setting
            listed = provider in self.graph.complete or registry is not None  # a registry lists its keys
            return listed and not self.graph.sources.definitions(provider, name) and flag.key not in self.graph.external
        return (
            ENV in self.graph.complete
            and self.graph.sources.has_env
            and not self.graph.sources.env_unreadable
            and name not in self.graph.sources.env
            and name not in PLATFORM_VARIABLES
            and not self.code_sets_env(name)
            and not self.graph.env_open_writes
            and flag.key not in self.graph.external
        )

    def code_sets_env(self, name: str) -> bool:
        """Some write in the code sets environment variable ``name``: by its
        name, or by a computed name with a literal start it has."""
        return name in self.graph.env_sets or any(env_write_matches(recorded, name) for recorded in self.graph.env_sets)

    def open_env_writes(self, flag: Flag) -> List[str]:
        """For an environment flag (or a constant mirroring one) nothing else
        sets: each write whose name flaglint cannot bound, which may set it
        ("os.environ.update(extra) at svc/boot.py:6"). FL001 still reports
        the flag, naming these; FL002 and ``fix`` treat it as possibly set,
        so a miss never becomes a deletion."""
        if not self.graph.env_open_writes:
            return []
        keys = [flag.key] if flag.key else [site.fact.key for site in flag.definitions if flag.from_key]
        if not any(key and key_parts(key)[0] == ENV for key in keys):
            return []
        return [f"{text} at {path}:{line}" for text, path, line in self.graph.env_open_writes]

    def always_on(self, flag: Flag) -> List[str]:
        """Why a keyed flag is on for everyone, everywhere (empty: it is not).

        An SDK flag every source serves on (a true default variant and no
        targeting; or not served, with the code's default true at every
        read); an environment flag nothing sets whose default is on at every
        read."""
        if not flag.key or not flag.reads or flag.key in self.graph.external:
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
        found = self._always_on(flag.key, flag.reads)
        return found + self.override_notes(flag) if found else []

    def _always_on(self, key: str, reads: List[Site[Read]]) -> List[str]:
        """:meth:`always_on` for the reads no hard-wired dict decides."""
        if any(site.fact.conditional for site in reads):
            return []  # read through a conditional wrapper: that call site may be off
        every_default_on = all(site.fact.default_on for site in reads)
        provider, name = key_parts(key)
        if provider != ENV:
            definitions = self.graph.sources.definitions(provider, name)
            reasons: List[str] = []
            for definition in definitions:
                where = f"{definition.path}:{definition.line}"
                if definition.state == "on":
                    reasons.append(f"{definition.why} ({where})")
                elif definition.state == "fallback" and every_default_on:
                    reasons.append(f"{definition.why} ({where}) and the code's default is on")
                else:
                    return []
            return reasons
        if not every_default_on or self.key_set_by(key, False) or self.graph.env_open_writes:
            return []  # something may set it (or its state is unknown)
        return ["nothing sets it and its default is on at every read"]

    def _symbol_set_by(self, flag: Flag) -> List[Reason]:
        """Reasons the flag can be on; empty means nothing in the tree sets it."""
        module, name = flag.symbol
        reasons: List[Reason] = []
        if flag.from_key:  # ``ENABLE_X = os.getenv("X") == "1"``
            for site in flag.definitions:
                if site.fact.key:  # every one has a key (from_key)
                    reasons.extend(self.key_set_by(site.fact.key, site.fact.key_default_on))
        elif not flag.is_off:
            reasons.append(Reason(SetBy.DEFINITION, "a definition that is true or computed"))
        if flag.name in self.graph.external:
            reasons.append(Reason(SetBy.EXTERNAL, "declared externally set"))
        if name.rsplit(".", 1)[-1] in TYPE_CHECKER_CONSTANTS:
            reasons.append(Reason(SetBy.TYPE_CHECKER, "type checkers treat it as true"))
        owner = flag.definitions[0].fact.owner_class
        if owner and owner.rsplit(".", 1)[-1] in self.graph.dynamic_classes:
            reasons.append(Reason(SetBy.DYNAMIC_CLASS, "its class sets attributes by name at run time"))
        if name.split(".")[-1] in self.graph.attribute_sets:
            reasons.append(Reason(SetBy.ATTRIBUTE_ASSIGNMENT, "an attribute assignment"))
        if "." not in name and name in self.graph.symbols.modules[module].global_sets:
            reasons.append(Reason(SetBy.GLOBAL_ASSIGNMENT, "a global assignment"))
        if name in self.graph.symbols.imports.get(module, {}):
            reasons.append(Reason(SetBy.IMPORT, "an import that rebinds it"))
        if flag.settings_read:
            reasons.append(
                Reason(SetBy.DJANGO_SETTINGS, "read through django.conf.settings: the deployment's settings may set it")
            )
        return reasons

    def set_reasons(self, flag: Flag) -> List[str]:
        """Why the flag can be on, as the audit and the graph export print it.
        For a boolean, :meth:`set_by` (and, for a keyed flag, what its
        wrappers' overrides do). For bits and members "set" means stored
        somewhere (a use), not a true definition: ``POWER_PEG = 0x20`` turns
        nothing on."""
        if kind_of(flag) == KIND_BOOL:
            return list(self.set_by(flag)) + (self.override_notes(flag) if flag.key else [])
        reasons: List[str] = []
        fields = sorted(self.graph.set_fields(flag))
        if fields:
            reasons.append(f"stored into {', '.join(fields)}")
        elif flag.uses:
            reasons.append("used as a value")
        if flag.name in self.graph.external:
            reasons.append("declared externally set")
        if self.graph.built_dynamically(flag):
            reasons.append(f"{flag.enum_class} is used as a value, so any member may be produced")
        if flag.overridden_somewhere:
            reasons.append("read through self/cls: a subclass may set it")
        return reasons

    # ------------------------------------------------------------ is a flag
    @cached_property
    def flagness(self) -> Flagness:
        return Flagness(self.graph)

    def not_a_flag(self, flag: Flag) -> Optional[NotAFlag]:
        """Why a tracked constant is not a flag (None: it is one), for the
        audit's list (:mod:`flaglint.graph.flagness`); ``check`` never asks."""
        return self.flagness.not_a_flag(flag)

    def name_reads(self, flag: Flag) -> List[NameRead]:
        """A class attribute nothing reads through its class, read by name on
        objects flaglint cannot type (``provider.can_add``): read, by duck typing."""
        return self.flagness.name_reads(flag)

    def settings_reads(self, flag: Flag) -> List[Tuple[str, int]]:
        """(path, line) of reads of Django's ``settings.NAME`` that may reach
        a module-level constant NAME no settings module known by name binds."""
        return self.flagness.settings_reads(flag)

    # ---------------------------------------------------------------- read
    def outside_reads(self, flag: Flag) -> List[Tuple[str, int]]:
        """(path, line) of each read outside the Python code (a template)."""
        return list(self.graph.sources.outside_reads.get(flag.key, ())) if flag.key else []

    def is_read(self, flag: Flag) -> bool:
        """Read in a condition, passed on as a value (a boolean: for bits and
        members a use is a set), read outside the code (a template), or an
        override of a class attribute a base class reads through ``self``,
        or a class attribute read by name on an object of unknown class.
        FL005 and the audit's ``unused`` both ask this, so they agree."""
        return (
            bool(flag.reads)
            or (kind_of(flag) == KIND_BOOL and bool(flag.uses))
            or self.stored_bit(flag)
            or bool(self.outside_reads(flag))
            or bool(self.graph.base_reads(flag))
            or bool(self.name_reads(flag))
            or bool(self.settings_reads(flag))
            or bool(self.flagness.module_refs(flag))
        )

    def stored_bit(self, flag: Flag) -> bool:
        """A constant used as a bit (not an enum member) that some code
        stores, combines into a mask or passes on, though none tests it by
        name: its reader is a mask, a container or code outside the tree
        (``OpenProcess(SYNCHRONIZE | QUERY_INFORMATION)``), so it is not
        "never read". The audit's view only."""
        return kind_of(flag) == KIND_BIT and flag.enum_class is None and not flag.reads and bool(flag.uses)

    def unresolved(self, flag: Flag) -> bool:
        """Not read by name, but its provider is read with a key flaglint
        cannot know (built at run time): it may be the one read."""
        if self.is_read(flag) or not flag.key:
            return False
        provider, name = key_parts(flag.key)
        if any(env_write_matches(pattern, name) for pattern in self.graph.unsure_patterns.get(provider, ())):
            return True  # ``has("projects:" + name)`` may read any ``projects:`` key
        return provider in self.graph.unsure_providers and not self._declared_registry(provider)

    def _declared_registry(self, provider: str) -> bool:
        """A registry whose keys a registrar declares (:mod:`.registrars`):
        a read flaglint cannot bound does not hide its unread keys, it is
        named in the finding instead (:meth:`unbounded_reads`)."""
        registry = self.graph.wrappers.registries.get(provider)
        return registry is not None and registry.declared

    def unbounded_reads(self, flag: Flag) -> List[str]:
        """For a declared registry's key nothing reads by name: each read
        whose key flaglint cannot bound, which may be the one reading it
        ("features.has(feature) at app/views.py:12")."""
        if not flag.key:
            return []
        provider, _ = key_parts(flag.key)
        if provider not in self.graph.unsure_providers or not self._declared_registry(provider):
            return []
        return [f"{text} at {path}:{line}" for text, path, line in self.graph.unbounded_reads(provider)]

    def read_elsewhere(self, flag: Flag) -> bool:
        """Not read by the Python code, but mentioned by other code outside
        Python (front end, bundles, templates): live, and FL005 is silent."""
        return not self.is_read(flag) and bool(self.graph.references(flag))

    def named_mentions(self, flag: Flag) -> List[Tuple[str, int]]:
        """For a flag source's namespaced key (``organizations:beta-ui``):
        where files outside Python mention its bare name (``'beta-ui'``), as
        a front end reading the namespace's features does. The audit's
        ``outside-python`` for a key FL005 is silent on anyway
        (:meth:`unresolved`); never a read for FL005 or FL001."""
        if not flag.key or not is_sdk_key(flag.key):
            return []
        _, key = key_parts(flag.key)
        name = namespaced_name(key)
        if name is None or key not in self.graph.sources.flags:
            return []
        return list(self.graph.sources.references.get(name, ()))

    def named_in_python(self, flag: Flag) -> List[Tuple[str, int]]:
        """For a flag source's key no call reads by name: where Python text
        names it (``EXPOSABLE_FEATURES = ["organizations:x", ...]`` looped
        over into ``features.has(feature)``), whole or by its bare name
        (:attr:`python_mentions`)."""
        if not flag.key or not is_sdk_key(flag.key) or not self.python_mentions:
            return []
        _, key = key_parts(flag.key)
        name = namespaced_name(key)
        found = set(self.python_mentions.get(key, ())) | set(self.python_mentions.get(name, ()) if name else ())
        definitions = {(definition.path, definition.line) for definition in self.graph.sources.flags.get(key, ())}
        return sorted(found - definitions)

    def named_by_run_time_key(self, flag: Flag) -> bool:
        """:meth:`unresolved`, and Python text names the key: a key built at
        run time from that text (a list looped over, a name joined to a
        namespace) may well be the one read."""
        return self.unresolved(flag) and bool(self.named_in_python(flag))

    def mentioned_by_name(self, flag: Flag) -> bool:
        """:meth:`unresolved`, and files outside Python mention its bare name."""
        return self.unresolved(flag) and bool(self.named_mentions(flag))

    def decided_by_override(self, flag: Flag) -> bool:
        """Not read by a call, but a flag wrapper's hard-wired override dict
        names it: the wrapper answers it from there for everyone, so the code
        holds a decision for it (:meth:`set_reasons` says where)."""
        return not self.is_read(flag) and bool(self._unread_hard_wired(flag))

    def unused(self, flag: Flag) -> bool:
        """Never read, not mentioned by other code outside Python (front end,
        bundles, templates), not named by a wrapper's hard-wired override
        dict, and not possibly read through a key built at run time."""
        return (
            not self.is_read(flag)
            and not self.read_elsewhere(flag)
            and not self.decided_by_override(flag)
            and not self.unresolved(flag)
        )

    @cached_property
    def unused_definitions(self) -> List[Tuple[str, "FlagDefinition"]]:
        """(key, definition) of each flag-source definition no provider of its
        format reads (FL005): its keyed flags are all :meth:`unused`, which is
        what the audit's ``unused`` status asks too."""
        found = []
        for key, definitions in sorted(self.graph.sources.flags.items()):
            for definition in definitions:
                flags = [self.graph.keyed[sdk_key(provider, key)] for provider in definition.providers]
                if all(self.unused(flag) for flag in flags):
                    found.append((key, definition))
        return found

    @cached_property
    def unread_flag_objects(self) -> List["FlagObjectSite"]:
        """Flag objects (``X = WaffleFlag("ns.x", __name__)``) nothing references (FL005)."""
        return self.graph.flag_objects.unread

    @cached_property
    def unused_settings(self) -> List["SettingsFlag"]:
        """Bool fields of settings classes nothing reads, nor may read (FL005)."""
        model = self.graph.settings
        mentioned = self.graph.sources.references  # by name in a front end or template: read there
        return [flag for flag in model.flags if model.unused(flag) and not mentioned.get(flag.field.name)]

    def never_set_untested(self, flag: Flag) -> bool:
        """Read, but never tested in a condition of the code (only passed on
        as a value, or read in a template), and nothing turns it on: it is
        always off. ``check`` reports only flags tested in the code."""
        if (
            flag.reads
            or not self.is_read(flag)
            or self.graph.base_reads(flag)
            or self.name_reads(flag)
            or self.settings_reads(flag)  # the deployment's settings may set it
        ):
            return False  # a class's choice that other code reads, not a switch left off
        if flag.key:
            return not self.set_by(flag)
        return kind_of(flag) == KIND_BOOL and flag.is_off and not self.set_by(flag) and not flag.overridden_somewhere

    @cached_property
    def historic_reuses(self) -> List[HistoricReuse]:
        """Bits given a new name since the reference (a revision or the ledger)."""
        return historic_reuses(self.graph, self.reference)

    # ------------------------------------------------------------ never set
    @cached_property
    def never_set(self) -> List[Flag]:
        """Flags read somewhere whose value nothing in the tree can turn on."""
        owned = self.graph.owned_fields()
        reused = {collision.old.symbol for collision in self.collisions}
        flags = [
            flag
            for flag in self.graph.iter_flags()
            if self._bool_never_set(flag) or (flag.symbol not in reused and self._bit_never_set(flag, owned))
        ]
        return flags + [flag for flag in self.graph.iter_keyed() if flag.truth_reads and not self.set_by(flag)]

    def _bool_never_set(self, flag: Flag) -> bool:
        off = flag.is_off or flag.from_key
        return bool(flag.truth_reads) and off and not self.set_by(flag) and not flag.overridden_somewhere

    def _bit_never_set(self, flag: Flag, owned: Set[str]) -> bool:
        """A bit nobody sets, tested only on fields the code itself fills.

        A field the code never stores a constant into (``co_flags``, a value
        read off the wire) is filled from outside: its bits are unknown.
        """
        if flag.bit is None or not flag.bit_reads or flag.uses or self.graph.built_dynamically(flag):
            return False
        if flag.overridden_somewhere or flag.name in self.graph.external:
            return False
        if self._same_bit_set_elsewhere(flag, flag.bit):
            return False
        fields = [site.fact.field for site in flag.bit_reads]
        return all(field in owned for field in fields)

    def _same_bit_set_elsewhere(self, flag: Flag, bit: int) -> bool:
        return any(other.uses for other in self._by_bit.get((flag.family, bit), ()) if other is not flag)

    # ---------------------------------------------------------- collisions
    @cached_property
    def _by_bit(self) -> Dict[Tuple[str, int], List[Flag]]:
        index: Dict[Tuple[str, int], List[Flag]] = {}
        for flag in self.graph.iter_flags():
            if flag.bit is not None:
                index.setdefault((flag.family, flag.bit), []).append(flag)
        return index

    @cached_property
    def collisions(self) -> List[Collision]:
        """Pairs where a read-only name shares its bit with a name that is set."""
        by_value: Dict[int, List[Flag]] = {}
        for flag in self.graph.iter_flags():
            if flag.bit is not None and (flag.uses or flag.bit_reads):
                by_value.setdefault(flag.bit, []).append(flag)
        found = []
        for value, flags in sorted(by_value.items()):
            olds = [flag for flag in flags if flag.bit_reads and not flag.uses]
            news = [flag for flag in flags if flag.uses]
            for old in olds:
                for new in news:
                    link = self._link(old, new)
                    if link and old.symbol != new.symbol:
                        found.append(Collision(old, new, value, link))
        return found

    def _link(self, old: Flag, new: Flag) -> Optional[str]:
        """Why two constants with one bit belong to one family, if they do."""
        if old.enum_class and old.family == new.family:
            return "enum"
        shared = self.graph.read_fields(old) & (self.graph.set_fields(new) | self.graph.read_fields(new))
        if shared:
            return f"field {sorted(shared)[0]}"
        return None

    @cached_property
    def silent_aliases(self) -> List[Tuple[Flag, Flag]]:
        """(first, second) enum members with one literal bit: Python makes the
        second an alias of the first without a word."""
        pairs: List[Tuple[Flag, Flag]] = []
        for (_family, _value), flags in sorted(self._by_bit.items()):
            members = sorted(
                (flag for flag in flags if flag.enum_class),
                key=lambda flag: (flag.definitions[0].span.line, flag.definitions[0].span.column),
            )
            pairs.extend((members[0], later) for later in members[1:])
        return pairs

    @cached_property
    def _reused_symbols(self) -> Set[Symbol]:
        reused = {flag.symbol for collision in self.collisions for flag in (collision.old, collision.new)}
        for reuse in self.historic_reuses:
            reused.add(reuse.new.symbol)
            reused.update(flag.symbol for flag in reuse.old_flags)
        return reused

    def is_reused(self, flag: Flag) -> bool:
        """Its bit has a second meaning: one side of a collision, or a bit
        given a new name since the reference (FL003; the audit's ``reused``)."""
        return flag.symbol in self._reused_symbols

    @cached_property
    def _aliased_symbols(self) -> Set[Symbol]:
        return {flag.symbol for pair in self.silent_aliases for flag in pair}

    def is_silent_alias(self, flag: Flag) -> bool:
        """One of an enum's members with one literal bit (FL003; the audit's
        ``alias-collision``)."""
        return flag.symbol in self._aliased_symbols

    # ------------------------------------------------------------ dead code
    def is_dead(self, flag: Flag) -> bool:
        """Never set, and some read of it gates code: that code can never run
        (the audit's ``dead``; FL002 reports the blocks)."""
        return (
            self.is_never_set(flag)
            and not self.open_env_writes(flag)
            and any(site.fact.gate is not None for site in flag.reads)
        )

    def is_never_set(self, flag: Flag) -> bool:
        """One of :attr:`never_set`: read, and nothing can turn it on."""
        return flag.symbol in self._never_set_symbols

    @cached_property
    def _never_set_symbols(self) -> Set[Symbol]:
        return {flag.symbol for flag in self.never_set}

    @cached_property
    def dead_reads(self) -> Dict[str, Dict[int, Flag]]:
        """path -> {read index -> never-set flag} for reads that gate code."""
        dead: Dict[str, Dict[int, Flag]] = {}
        for flag in self.never_set:
            if self.open_env_writes(flag):
                continue  # a write flaglint cannot bound may set it: never a deletion
            for site in flag.reads:
                read: Read = site.fact
                index = self._read_index(site.path).get(read) if read.gate is not None else None
                if index is not None:  # None: a settings field's read, made by the graph (no FL002 yet)
                    dead.setdefault(site.path, {})[index] = flag
        return dead

    def _read_index(self, path: str) -> Dict[Read, int]:
        cache = self.__dict__.setdefault("_read_indices", {})
        if path not in cache:
            cache[path] = {read: index for index, read in enumerate(self.graph.files[path].reads)}
        return cache[path]

    @cached_property
    def dead_regions(self) -> List[DeadRegion]:
        """Outermost dead blocks: a block inside another dead block is not
        reported again."""
        regions = []
        for path, reads in sorted(self.dead_reads.items()):
            facts = self.graph.files[path]
            for index, flag in sorted(reads.items()):
                read = facts.reads[index]
                if not any(guard in reads for guard in read.guards):
                    regions.append(DeadRegion(flag, Site(path, read.span, read)))
        return regions

    @cached_property
    def dead_gates(self) -> Set[Tuple[str, Span]]:
        """(path, gate) of each outermost dead block (:attr:`dead_regions`):
        the regions the graph export marks dead."""
        return {(region.site.path, region.site.fact.gate) for region in self.dead_regions if region.site.fact.gate}

    @cached_property
    def _dead_definitions(self) -> List[DeadFunction]:
        return DeadCodeSearch(self.graph, self.dead_reads).run()

    @cached_property
    def dead_functions(self) -> List[DeadFunction]:
        """Functions and classes only dead code uses (FL002 reports them)."""
        return [dead for dead in self._dead_definitions if dead.kind != CONSTANT]

    @cached_property
    def dead_constants(self) -> List[DeadFunction]:
        """Module-level constants only dead code uses (``fix`` removes them)."""
        return [dead for dead in self._dead_definitions if dead.kind == CONSTANT]

"""Which constants are flags, and why the others are not (the audit's list).

A flag gates code: a name read in a condition, a bit of a family used with
``&``, ``|`` or ``^`` (an ``enum.Flag``/``IntFlag`` member is one by
declaration), a key read through an SDK or declared in a flag source, or a
boolean switch (``ENABLE_X = False``) left behind. Everything else the
graph tracks is a value: a status code stored into ``obj.status``, an
enumeration member compared with ``is``, a sentinel, a limit. Powers of two
alone do not make a bit: ``GroupStatus.RESOLVED = 1`` is a number until some
code combines or tests it bitwise.

Some names look like switches and are not the project's: a dunder
(``__include_in_export__``), Django's own settings in a settings module, and
the protocol attributes of a framework class (``Meta.abstract`` of a Django
model, ``permission_classes`` of a DRF view). The last is decided by
mechanism, never by a list of names: the class (or a class it is nested in)
derives, through the tree's own classes, from a class imported from a
package outside the tree and outside the standard library, and no code in
the tree reads the attribute through the class (``self.x``, ``cls.x``,
``getattr(self, "x")`` in a base class). That package reads it; the project
does not decide anything with it.

Verdicts only: :meth:`Flagness.not_a_flag` gives a stable reason code and a
sentence, and the audit (``audit --all``) shows them. Nothing here touches
what ``check`` reports.
"""

from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

from ..facts import READ_BIT, READ_TRUTH, STRING_REF, UNKNOWN_RECEIVER, Use
from .bits import short, used_as_bit
from .build import Flag, FlagGraph
from .django_settings import (
    FRAMEWORK_SETTINGS,
    SETTINGS_OBJECT,
    imported_as,
    is_framework_setting,
    is_settings_module,
    named_settings,
)

#: reason codes (stable: the JSON document carries them)
DUNDER = "dunder"
FRAMEWORK_SETTING = "framework-setting"
FRAMEWORK_ATTRIBUTE = "framework-attribute"
LIBRARY_SETTING = "library-setting"
COMPARED = "compared-value"
STORED = "stored-value"
VALUE = "value"

#: code -> the sentence shown beside it (the audit adds the specifics)
REASONS = {
    DUNDER: "a dunder attribute: a name Python or a library gives a meaning, not a switch of the project's",
    FRAMEWORK_SETTING: "one of Django's own settings in a settings module: configuration with a meaning Django gives it",
    FRAMEWORK_ATTRIBUTE: "a protocol attribute of a framework class: the framework reads it, no code here does",
    LIBRARY_SETTING: "a setting in a Django settings module that no code here reads: Django hands every setting "
    "to every installed app, so a library may read it (CELERY_IGNORE_RESULT)",
    COMPARED: "only compared by identity or membership (x is MEMBER, KEY in d): a value, not a switch or a bit",
    STORED: "only stored or passed as a value (obj.status = X, f(status=X)), never combined with |, & or ^: "
    "a number, not a bit",
    VALUE: "a constant no condition reads and no bitwise operation uses: a value, not a flag",
}


@dataclass(frozen=True)
class NotAFlag:
    """Why a tracked constant is not a flag: a stable ``code`` (one of
    :data:`REASONS`) and a sentence for a person."""

    code: str
    reason: str

    def to_dict(self) -> dict:
        return {"code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class NameRead:
    """An attribute read by name on an object flaglint cannot type
    (``provider.can_add``, ``getattr(view, "x")``): where, and in which scope."""

    path: str
    scope: str
    #: the class whose ``self``/``cls`` it is read through ("" for an unknown object)
    through: str = ""

    def __str__(self) -> str:
        where = f"{self.path} ({self.scope})" if self.scope else self.path
        return f"{where} through {self.through}" if self.through else where


def is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


@lru_cache(maxsize=None)
def _is_stdlib(top: str) -> bool:
    """A top-level module of this Python's standard library (looked up on
    disk before 3.10, which has no ``sys.stdlib_module_names``; never imported)."""
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return top in names
    if top in sys.builtin_module_names:
        return True
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return (stdlib / f"{top}.py").is_file() or (stdlib / top / "__init__.py").is_file()


class Flagness:
    """What the audit lists, from one graph (indexes built once)."""

    def __init__(self, graph: FlagGraph) -> None:
        self.graph = graph

    # ------------------------------------------------------------ verdicts
    def not_a_flag(self, flag: Flag) -> Optional[NotAFlag]:
        """None for a flag; else why it is not one."""
        if flag.key:
            return None  # an SDK key or an environment variable the code reads or a source declares
        name = short(flag)
        if is_framework_setting(flag.symbol) or (
            name in FRAMEWORK_SETTINGS
            and not self._owner(flag)
            and (flag.symbol[0] in self._reached_settings or flag.symbol[0] in self._known_settings)
        ):
            return self._reason(FRAMEWORK_SETTING)
        if is_dunder(name):
            return self._reason(DUNDER)
        if self._unread_setting(flag):
            return self._reason(LIBRARY_SETTING)
        if self._owner(flag) is not None and not flag.literal and not flag.from_key and flag.enum_class is None:
            package = self.framework_of(flag)  # ``email = models.EmailField(...)``: instance data, not a switch
            if package:
                return self._reason(
                    FRAMEWORK_ATTRIBUTE, f"a computed attribute of a class that derives from {package}'s"
                )
        if flag.enum_class is not None or self._gates_or_bitwise(flag):
            return None
        if flag.bit is None and not self._is_bool(flag):
            return self._value_reason(flag) if flag.reads or flag.uses else self._reason(VALUE)
        owner = self._owner(flag)
        if owner is not None and not self.graph.base_reads(flag) and not any(r.through for r in self.name_reads(flag)):
            package = self.framework_of(flag)
            if package:
                return self._reason(FRAMEWORK_ATTRIBUTE, f"its class derives from {package}'s")
        if self._is_bool(flag):
            return None  # a switch, read or left behind
        return self._value_reason(flag)

    def _unread_setting(self, flag: Flag) -> bool:
        """A module-level constant of a settings module (by name, or reached
        by ``django.conf.settings`` reads) that no code in the tree reads."""
        module, name = flag.symbol
        if not name.isupper():
            return False  # Django takes only upper-case names from a settings module
        if self._owner(flag) is not None or flag.reads or flag.uses or self.settings_reads(flag):
            return False
        return is_settings_module(module) or module in self._known_settings or module in self._reached_settings

    def _value_reason(self, flag: Flag) -> NotAFlag:
        if any(site.fact.kind != READ_TRUTH for site in flag.reads):
            return self._reason(COMPARED)
        if flag.uses:
            return self._reason(STORED)
        return self._reason(VALUE)

    @staticmethod
    def _reason(code: str, detail: str = "") -> NotAFlag:
        return NotAFlag(code, REASONS[code] + (f" ({detail})" if detail else ""))

    def _gates_or_bitwise(self, flag: Flag) -> bool:
        """Read in a condition, tested with ``&``, combined with ``|``/``^``,
        or stored into or tested on a field some code uses bitwise."""
        if flag.truth_reads or any(site.fact.kind == READ_BIT for site in flag.reads):
            return True
        if any(_bitwise(site.fact) for site in flag.uses):
            return True
        if flag.bit is None:
            return False
        fields = self.bit_fields
        return any(site.fact.field in fields for site in flag.reads if site.fact.field) or any(
            site.fact.field in fields for site in flag.uses if site.fact.field
        )

    @staticmethod
    def _is_bool(flag: Flag) -> bool:
        return flag.literal and any(isinstance(value, bool) for value in flag.values)

    @staticmethod
    def _owner(flag: Flag) -> Optional[str]:
        return flag.definitions[0].fact.owner_class if flag.definitions else None

    # ------------------------------------------------------ read by name
    def name_reads(self, flag: Flag) -> List[NameRead]:
        """For a class attribute no read resolves to: each place that reads
        it by name all the same. Through ``self``/``cls`` (or
        ``getattr(self, "x")``) in a method of its class or of a class
        related to it by inheritance, whatever is done with the value; or on
        an object flaglint cannot type (``provider.can_add``,
        ``getattr(view_class, "x", False)``), which by duck typing may be
        an instance of its class."""
        owner = self._owner(flag)
        if owner is None or flag.reads or flag.key or flag.enum_class is not None:
            return []
        name = short(flag)
        family = self._hierarchy(owner.rsplit(".", 1)[-1])
        through = [read for cls in sorted(family) for read in self._class_refs.get((cls, name), ())]
        return through + self._by_name.get(name, [])

    def module_refs(self, flag: Flag) -> List[NameRead]:
        """A module-level constant written in lower case (``has_states =
        True``), whose uses as a value flaglint does not record: each scope
        of its own module that names it."""
        if self._owner(flag) is not None or flag.reads or flag.uses or flag.key or not flag.definitions:
            return []
        module, name = flag.symbol
        facts = self.graph.symbols.modules.get(module)
        if facts is None or "." in name:
            return []
        scopes = {scope for scope, names in facts.scope_refs if name in names}
        scopes |= {guarded.scope for guarded in facts.guarded_refs if guarded.name == name}
        return [NameRead(facts.path, scope) for scope in sorted(scopes)]

    def _hierarchy(self, name: str) -> Set[str]:
        """A class's simple name with every descendant's and every ancestor
        of those: the classes whose ``self`` may be an instance of it (a
        mixin's attribute is read by another base of the class that mixes
        it in), but not its siblings through a shared base."""
        descendants = {name}
        todo = [name]
        while todo:
            current = todo.pop()
            for child in self._children.get(current, ()):
                if child not in descendants:
                    descendants.add(child)
                    todo.append(child)
        found = set(descendants)
        todo = list(descendants)
        while todo:  # their ancestors
            current = todo.pop()
            for _, bases in self._classes.get(current, ()):
                for base in bases:
                    simple = base.rsplit(".", 1)[-1]
                    if simple not in found:
                        found.add(simple)
                        todo.append(simple)
        return found

    @cached_property
    def _children(self) -> Dict[str, Set[str]]:
        children: Dict[str, Set[str]] = {}
        for name, classes in self._classes.items():
            for _, bases in classes:
                for base in bases:
                    children.setdefault(base.rsplit(".", 1)[-1], set()).add(name)
        return children

    def _refs(self):
        """(facts, reference, scope) of every reference the tree makes."""
        for facts in self.graph.files.values():
            if facts.problem is not None:
                continue
            for scope, names in facts.scope_refs:
                for ref in names:
                    yield facts, ref, scope
            for guarded in facts.guarded_refs:
                yield facts, guarded.name, guarded.scope

    @cached_property
    def _class_refs(self) -> Dict[Tuple[str, str], List[NameRead]]:
        """(class simple name, attribute) -> ``self.x`` references in the
        methods of class ``C`` (recorded as ``C.x``; ``C.x`` written out
        elsewhere resolves as an ordinary read)."""
        found: Dict[Tuple[str, str], Set[Tuple[str, str, str]]] = {}
        classes: Dict[str, Set[str]] = {}
        for facts, ref, scope in self._refs():
            if ref.startswith((UNKNOWN_RECEIVER, STRING_REF)) or "." not in ref:
                continue
            if facts.path not in classes:
                classes[facts.path] = {qualname for qualname, _ in facts.class_bases}
            head, attribute = ref.rsplit(".", 1)
            if head in classes[facts.path] and scope.startswith(head + "."):  # ``self.x`` in a method of C
                simple = head.rsplit(".", 1)[-1]
                found.setdefault((simple, attribute), set()).add((facts.path, scope, simple))
        return {key: [NameRead(*site) for site in sorted(sites)] for key, sites in found.items()}

    @cached_property
    def _by_name(self) -> Dict[str, List[NameRead]]:
        """attribute -> its reads on objects flaglint cannot type."""
        found: Dict[str, Set[Tuple[str, str]]] = {}
        classes: Dict[str, Set[str]] = {}
        for facts, ref, scope in self._refs():
            if ref.startswith(UNKNOWN_RECEIVER):
                name = ref[len(UNKNOWN_RECEIVER) :].rsplit(".", 1)[-1]
            elif ref.startswith(STRING_REF) or ref.count(".") < 2:
                continue
            else:  # ``self.provider.can_add`` in a method of C: ``C.provider.can_add``
                if facts.path not in classes:
                    classes[facts.path] = {qualname for qualname, _ in facts.class_bases}
                head, _, name = ref.rpartition(".")
                owner = head.rpartition(".")[0]
                if owner not in classes[facts.path] or not scope.startswith(owner + "."):
                    continue
            found.setdefault(name, set()).add((facts.path, scope))
        return {name: [NameRead(path, scope) for path, scope in sorted(sites)] for name, sites in found.items()}

    # ----------------------------------------------------- Django settings
    def settings_reads(self, flag: Flag) -> List[Tuple[str, int]]:
        """For a module-level constant nothing reads and no settings module
        of the tree (known by file name) binds: each ``settings.NAME`` read
        of Django's settings object. Which module ``DJANGO_SETTINGS_MODULE``
        names is decided at run time (``sentry.conf.server``); a module
        binding NAME may be it, so NAME is not "read never" there."""
        if flag.key or flag.reads or self._owner(flag) is not None or not flag.definitions:
            return []
        module, name = flag.symbol
        if self._named_settings or is_settings_module(module) or module in self._known_settings:
            return []  # the graph joins those reads already
        return self._settings_reads.get(name, [])

    @cached_property
    def _known_settings(self) -> Set[str]:
        """The settings modules the graph knows: by file name, named by
        ``DJANGO_SETTINGS_MODULE`` in code or configuration, and what they
        star-import (:mod:`.django_settings`)."""
        return set(self.graph.django_settings_modules)

    @cached_property
    def _named_settings(self) -> bool:
        """Whether the tree names its settings module: then the graph has
        joined ``settings.NAME`` reads to it, and a guess is not needed."""
        return bool(named_settings(list(self.graph.files.values()), self.graph.sources))

    @cached_property
    def _settings_reads(self) -> Dict[str, List[Tuple[str, int]]]:
        """NAME -> (path, line) of each read or use of ``django.conf.settings.NAME``."""
        prefix = SETTINGS_OBJECT + "."
        found: Dict[str, Set[Tuple[str, int]]] = {}
        symbols = self.graph.symbols
        for facts in self.graph.files.values():
            if facts.problem is not None or not facts.module:
                continue
            for ref, span in [*((r.ref, r.span) for r in facts.reads), *((u.ref, u.span) for u in facts.uses)]:
                if "." not in ref:
                    continue
                full = imported_as(symbols, facts.module, ref)
                rest = full[len(prefix) :] if full.startswith(prefix) else ""
                if rest and "." not in rest and rest.isupper():  # Django takes only upper-case names
                    found.setdefault(rest, set()).add((facts.path, span.line))
        return {name: sorted(sites) for name, sites in found.items()}

    @cached_property
    def _reached_settings(self) -> Set[str]:
        """Modules that bind a name read as ``django.conf.settings.NAME`` that
        no settings module known by name binds: settings modules named by
        ``DJANGO_SETTINGS_MODULE`` at run time, as far as the tree shows."""
        reached: Set[str] = set()
        for (module, name), definitions in self.graph.symbols.definitions.items():
            if self._named_settings or module in self._known_settings:
                continue
            if "." not in name and name in self._settings_reads and not is_settings_module(module):
                if not any(d.owner_class for d in definitions):
                    reached.add(module)
        return reached

    # ---------------------------------------------------------- frameworks
    def framework_of(self, flag: Flag) -> str:
        """The outside package a class attribute's class (or a class it is
        nested in) derives from, through the tree's classes; "" when none."""
        owner = self._owner(flag)
        if owner is None:
            return ""
        parts = owner.split(".")
        for size in range(len(parts), 0, -1):  # ``Model.Meta``: Meta itself, then Model
            package = self._framework_base(".".join(parts[:size]).rsplit(".", 1)[-1], set())
            if package:
                return package
        return ""

    def _framework_base(self, name: str, seen: Set[str]) -> str:
        if name in seen:
            return ""
        seen.add(name)
        for module, bases in self._classes.get(name, ()):
            for base in bases:
                package = self._outside_package(module, base)
                if package:
                    return package
                found = self._framework_base(base.rsplit(".", 1)[-1], seen)
                if found:
                    return found
        return ""

    def _outside_package(self, module: str, base: str) -> str:
        """The top-level package a base class is imported from, when that is
        neither in the tree nor in the standard library ("" otherwise)."""
        imp = self.graph.symbols.imports.get(module, {}).get(base.split(".")[0])
        if imp is None:
            return ""
        target = imp.module if imp.name is None else f"{imp.module}.{imp.name}"
        top = target.split(".")[0]
        if not top or _is_stdlib(top) or self._in_tree(top):
            return ""
        return top

    def _in_tree(self, top: str) -> bool:
        return top in self._tree_tops

    @cached_property
    def _tree_tops(self) -> Set[str]:
        modules = set(self.graph.symbols.modules) | set(self.graph.symbols.names)
        return {module.split(".")[0] for module in modules}

    @cached_property
    def _classes(self) -> Dict[str, List[Tuple[str, Tuple[str, ...]]]]:
        """class simple name -> (module, bases as written) of each class so named."""
        classes: Dict[str, List[Tuple[str, Tuple[str, ...]]]] = {}
        for facts in self.graph.files.values():
            if facts.problem is None and facts.module:
                for qualname, bases in facts.class_bases:
                    classes.setdefault(qualname.rsplit(".", 1)[-1], []).append((facts.module, bases))
        return classes

    @cached_property
    def bit_fields(self) -> Set[str]:
        """Fields some code tests with ``&`` or fills with ``|``/``^``."""
        fields: Set[str] = set()
        for facts in self.graph.files.values():
            if facts.problem is None:
                fields.update(read.field for read in facts.reads if read.kind == READ_BIT and read.field)
                fields.update(use.field for use in facts.uses if _bitwise(use) and use.field)
        return fields


def _bitwise(use: Use) -> bool:
    """Combined with ``|``/``^`` itself: ``READ | WRITE``, not a keyword
    argument of a call that is (``Q(status=OPEN) | Q(status=None)``
    combines two queries, not bits)."""
    return use.bitwise and not use.argument


def candidate(flag: Flag) -> bool:
    """What the audit weighs at all (``audit --all`` lists each, with the
    verdict): a keyed flag, anything read, an enum ``Flag`` member, a
    constant used as a bit, or a literal boolean."""
    if flag.key or flag.reads or flag.enum_class is not None or used_as_bit(flag):
        return True
    return flag.literal and any(isinstance(value, bool) for value in flag.values)

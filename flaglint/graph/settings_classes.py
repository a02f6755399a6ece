"""Settings classes across files: which classes hold settings, which of
their bool fields are read, and under which environment names.

A class is a settings class when

- it derives, through classes of the tree, from ``BaseSettings`` (pydantic
  v1 ``pydantic.BaseSettings``, v2 ``pydantic_settings.BaseSettings``; the
  base is matched by its name where it leaves the tree);
- or it is a dataclass or an attrs class whose name ends in ``Settings``,
  ``Config``, ``Configuration``, ``Options``, ``Flags``, ``Features`` or
  ``Toggles``;
- or it is a dataclass, an attrs class or a pydantic ``BaseModel`` that
  some settings class has as the type of a field (a nested model).

Its bool fields with a literal default are flags. A read is an attribute
chain (:class:`flaglint.facts.AttrChain`) whose first object resolves to the
class: the chain is followed through nested-model fields
(``settings.server.x_enabled``) and inherited fields. A chain on an object
flaglint cannot name reads by name (``loose_attrs``): a field of that name is
never reported. ``getattr`` by a computed name, ``model_dump()``, ``dict()``,
``vars()``, ``asdict()``, ``__dict__`` on an instance, or the class itself
passed to a call, make every field of it (and of its nested models) unsure:
none is reported. The class's own methods doing so through ``self`` are how
it serialises itself, not a read by a caller (as with a flag API's own
generic lookup).

The environment name of a pydantic settings field is its ``alias`` /
``validation_alias`` / v1 ``env`` names if any, else ``env_prefix`` (the
class's own, else its nearest settings base's) plus the field name;
case-insensitive unless ``case_sensitive = True``. A class whose
configuration is computed (``model_config = build_config(...)``) has no
known names. Decides nothing about findings: :mod:`flaglint.graph.analysis`
and the rules ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ..facts import PREFIX_UNKNOWN, AttrChain, FileFacts, SettingsClass, SettingsField
from .symbols import Symbol, SymbolTable

#: the names a settings root base has where it leaves the tree
SETTINGS_BASES = frozenset({"BaseSettings"})
#: bases of a pydantic model that is settings only when nested in settings
MODEL_BASES = frozenset({"BaseModel"})
#: a dataclass or attrs class so named is a settings class
SETTINGS_NAME = re.compile(r"(Settings|Config|Configuration|Options|Flags|Features|Toggles)$")
#: the last attribute of a chain that reads every field of its object
ANY = "*"
PASSED = "(passed)"
ALL_FIELD_METHODS = frozenset({"model_dump", "model_dump_json", "dict", "json", "__dict__", "_asdict", "copy"})
_MAX_DEPTH = 8


@dataclass(frozen=True)
class FieldRead:
    path: str
    chain: AttrChain


@dataclass(frozen=True)
class SettingsFlag:
    """A bool field with a literal default of a settings class."""

    owner: Symbol
    field: SettingsField
    path: str
    #: environment names a deployment may set (empty: not bound to the environment, or unknown)
    env_names: Tuple[str, ...]
    case_sensitive: bool

    @property
    def name(self) -> str:
        return f"{self.owner[1]}.{self.field.name}"


#: what separates the names in a reference's text
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


class SettingsModel:
    """Every settings class of the tree, their fields, and the reads of them."""

    def __init__(self, files: Iterable[FileFacts], symbols: SymbolTable) -> None:
        self.symbols = symbols
        self.files = [facts for facts in files if facts.problem is None and facts.module]
        self.declared: Dict[Symbol, Tuple[SettingsClass, str]] = {}
        self.bases: Dict[Symbol, Tuple[str, ...]] = {}
        for facts in self.files:
            for qualname, bases in facts.class_bases:
                self.bases.setdefault((facts.module, qualname), bases)
            for found in facts.settings_classes:
                self.declared.setdefault((facts.module, found.name), (found, facts.path))
        self.loose: Set[str] = {name for facts in self.files for name in facts.loose_attrs}
        self._fields: Dict[Symbol, Dict[str, Tuple[SettingsField, Symbol]]] = {}
        self._configs: Dict[Symbol, Tuple[Optional[str], Optional[bool]]] = {}

    # ------------------------------------------------------------ classes
    def _base_symbols(self, symbol: Symbol) -> List[Tuple[str, Optional[Symbol]]]:
        """(base as written, the class of the tree it names or None)."""
        found = []
        for base in self.bases.get(symbol, ()):
            resolved = self.symbols.resolve(symbol[0], base) if base else None
            found.append((base, resolved if resolved in self.bases else None))
        return found

    def _derives(self, symbol: Symbol, names: frozenset, seen: Optional[Set[Symbol]] = None) -> bool:
        seen = seen if seen is not None else set()
        if symbol in seen:
            return False
        seen.add(symbol)
        for written, resolved in self._base_symbols(symbol):
            if resolved is None and written.rsplit(".", 1)[-1] in names:
                return True
            if resolved is not None and self._derives(resolved, names, seen):
                return True
        return False

    @cached_property
    def classes(self) -> Set[Symbol]:
        """The settings classes (see the module docstring)."""
        found = {
            symbol
            for symbol, (declared, _) in self.declared.items()
            if self._derives(symbol, SETTINGS_BASES)
            or (declared.decorator and SETTINGS_NAME.search(declared.name.rsplit(".", 1)[-1]))
        }
        found |= {
            symbol for symbol in self.bases if symbol not in self.declared and self._derives(symbol, SETTINGS_BASES)
        }
        changed = True
        while changed:  # nested models
            changed = False
            for symbol in list(found):
                for field, owner in self.fields(symbol).values():
                    nested = self._field_type(owner, field)
                    if nested is None or nested in found or nested not in self.declared:
                        continue
                    declared, _ = self.declared[nested]
                    if declared.decorator or self._derives(nested, MODEL_BASES | SETTINGS_BASES):
                        found.add(nested)
                        changed = True
        return found

    def fields(self, symbol: Symbol) -> Dict[str, Tuple[SettingsField, Symbol]]:
        """Field name -> (field, the class declaring it), inherited ones too
        (each class once: a cycle of bases, which Python refuses, ends)."""
        if symbol not in self._fields:
            self._fields[symbol] = {}  # a cycle back here finds nothing more
            found: Dict[str, Tuple[SettingsField, Symbol]] = {}
            for _, resolved in reversed(self._base_symbols(symbol)):
                if resolved is not None:
                    found.update(self.fields(resolved))
            if symbol in self.declared:
                found.update((field.name, (field, symbol)) for field in self.declared[symbol][0].fields)
            self._fields[symbol] = found
        return self._fields[symbol]

    def _field_type(self, owner: Symbol, field: SettingsField) -> Optional[Symbol]:
        if field.default is not None or not field.annotation:
            return None
        return self.symbols.resolve(owner[0], field.annotation)

    # -------------------------------------------------------------- flags
    @cached_property
    def flags(self) -> List[SettingsFlag]:
        found = []
        for symbol in sorted(self.classes):
            if symbol not in self.declared:
                continue
            declared, path = self.declared[symbol]
            for field in declared.fields:
                if field.default is None:
                    continue
                names, case = self._env_names(symbol, field)
                found.append(SettingsFlag(symbol, field, path, names, case))
        return found

    def _env_names(self, symbol: Symbol, field: SettingsField) -> Tuple[Tuple[str, ...], bool]:
        if not self._derives(symbol, SETTINGS_BASES) or field.computed:
            return (), False
        prefix, case = self._config(symbol)
        if field.env_names:
            return field.env_names, bool(case)
        if prefix == PREFIX_UNKNOWN:
            return (), bool(case)
        return ((prefix or "") + field.name,), bool(case)

    def _config(self, symbol: Symbol) -> Tuple[Optional[str], Optional[bool]]:
        """(env_prefix, case_sensitive): the class's own, else inherited
        from its settings bases (None: set nowhere, pydantic's default)."""
        if symbol in self._configs:
            return self._configs[symbol]
        declared = self.declared.get(symbol)
        prefix = declared[0].env_prefix if declared else None
        case = declared[0].case_sensitive if declared else None
        self._configs[symbol] = (prefix, case)  # a cycle back here inherits nothing more
        for _, resolved in self._base_symbols(symbol):
            if resolved is not None and (prefix is None or case is None):
                base_prefix, base_case = self._config(resolved)
                prefix = base_prefix if prefix is None else prefix
                case = base_case if case is None else case
        self._configs[symbol] = (prefix, case)
        return prefix, case

    # -------------------------------------------------------------- reads
    @cached_property
    def _resolved(self) -> Tuple[Dict[Tuple[Symbol, str], List[FieldRead]], Set[Symbol]]:
        reads: Dict[Tuple[Symbol, str], List[FieldRead]] = {}
        unsure: Set[Symbol] = set()
        for facts in self.files:
            for chain in facts.attr_chains:
                self._follow(facts, chain, reads, unsure)
        closed = self._closure(self._closure(unsure, down=True), down=False)
        return reads, closed

    @cached_property
    def _subclasses(self) -> Dict[Symbol, List[Symbol]]:
        found: Dict[Symbol, List[Symbol]] = {}
        for symbol in self.bases:
            for _, resolved in self._base_symbols(symbol):
                if resolved is not None:
                    found.setdefault(resolved, []).append(symbol)
        return found

    def _closure(self, start: Set[Symbol], down: bool) -> Set[Symbol]:
        """``down``: the subclasses (an object typed as a base may be any of
        them); else the bases (a dump reads inherited fields too). Nested
        models are not: a dump's consumer (a display, ``**kwargs``) takes the
        top-level fields; the nested ones reach it only as nested data."""
        closed = set(start)
        todo = list(start)
        while todo:
            symbol = todo.pop()
            related: List[Optional[Symbol]]
            if down:
                related = list(self._subclasses.get(symbol, ()))
            else:
                related = [resolved for _, resolved in self._base_symbols(symbol)]
            for other in related:
                if other is not None and other not in closed and other in self.bases:
                    closed.add(other)
                    todo.append(other)
        return closed

    def _follow(self, facts: FileFacts, chain: AttrChain, reads, unsure: Set[Symbol]) -> None:
        kind, _, written = chain.root.partition(":")
        current, instance = self._root(facts.module, kind, written, 0)
        attrs = chain.attrs
        for index, attr in enumerate(attrs):
            if current is None:  # an object flaglint cannot name
                self.loose.update(name for name in attrs[index:] if name not in (ANY, PASSED))
                return
            if current not in self.classes:  # another class: what its attribute holds is not known
                self.loose.update(name for name in attrs[index + 1 :] if name not in (ANY, PASSED))
                return
            if attr == PASSED:
                if not instance and not self._in_tree(facts.module, attrs[index + 1 :]):
                    unsure.add(current)  # the class handed to code flaglint cannot see
                return
            if attr == ANY or attr in ALL_FIELD_METHODS:
                if kind != "self":  # the class's own serialisation is no read by a caller
                    unsure.add(current)
                return
            found = self.fields(current).get(attr)
            if found is None:  # a method or property: what it returns is not known
                self.loose.update(name for name in attrs[index + 1 :] if name not in (ANY, PASSED))
                return
            field, owner = found
            if field.default is not None:
                reads.setdefault((owner, attr), []).append(FieldRead(facts.path, chain))
                return
            current, instance = self._field_type(owner, field), True

    def _in_tree(self, module: str, callee: Tuple[str, ...]) -> bool:
        """Whether a call's callee is code of the analysed tree (which
        flaglint reads: what it does with the class is seen there)."""
        symbol = self.symbols.resolve(module, callee[0]) if callee else None
        return symbol is not None and symbol[0] in self.symbols.modules

    def _root(self, module: str, kind: str, written: str, depth: int) -> Tuple[Optional[Symbol], bool]:
        """(the class of a chain's first object or None when unknown, whether it is an instance)."""
        if depth > _MAX_DEPTH:
            return None, False
        if kind == "self":
            return (module, written), True
        symbol = self.symbols.resolve(module, written)
        if symbol is None:
            return None, False
        if kind == "type":
            return symbol, True
        if symbol in self.bases:  # a class: ``Settings().x`` (call) or ``Settings.x`` (name)
            return symbol, kind == "call"
        target = self.symbols.modules.get(symbol[0])
        if target is None:
            return None, False
        if kind == "call":
            returned = dict(target.returns).get(symbol[1])
            if returned is None:
                return None, False
            inner, _, name = returned.partition(":")
            found, _ = self._root(symbol[0], inner, name, depth + 1)
            return found, True
        created = dict(target.instances).get(symbol[1])  # ``settings = Settings()`` / ``= get_settings()``
        if created is None:
            return None, False
        found, _ = self._root(symbol[0], "call", created, depth + 1)
        return found, True

    def reads(self, flag: SettingsFlag) -> List[FieldRead]:
        return self._resolved[0].get((flag.owner, flag.field.name), [])

    def unsure(self, flag: SettingsFlag) -> bool:
        return flag.owner in self._resolved[1]

    @cached_property
    def env_style_names(self) -> Set[str]:
        """Upper-case names the code imports, references or reads from the
        environment (``PREFECT_API_ENABLE_HTTP2``, ``os.getenv("APP_X")``):
        a name spelled as a field's environment variable may read it (a
        legacy accessor, a module ``__getattr__``, the variable itself)."""
        found: Set[str] = set()
        for facts in self.files:
            refs = [imp.name or imp.local for imp in facts.imports]
            refs += [read.ref for read in facts.reads] + [use.ref for use in facts.uses]
            refs += [name for _, names in facts.scope_refs for name in names]
            refs += [guarded.name for guarded in facts.guarded_refs]
            for ref in refs:
                for part in _NOT_NAME.split(ref):  # ``env:X``, ``'X`` (a string), ``mod.X``
                    if "_" in part and part.isupper():
                        found.add(part)
        return found

    def named_in_code(self, flag: SettingsFlag) -> bool:
        """Its environment name (any case unless case-sensitive) is used in
        the code; with no known name, a name ending in ``_`` + the field's
        name in upper case (``PREFECT_API_ENABLE_HTTP2`` for ``enable_http2``
        when the prefix is computed)."""
        if flag.env_names:
            return any(name.upper() in self.env_style_names for name in flag.env_names)
        suffix = "_" + flag.field.name.upper()
        return any(name.endswith(suffix) for name in self.env_style_names)

    def unused(self, flag: SettingsFlag) -> bool:
        """No chain reads it, no object flaglint cannot name reads an
        attribute of its name, its environment name is not used in the
        code, and nothing may read any field of its class."""
        resolved = self._resolved  # fills ``loose`` too
        return (
            not resolved[0].get((flag.owner, flag.field.name))
            and flag.field.name not in self.loose
            and flag.owner not in resolved[1]
            and not self.named_in_code(flag)
        )

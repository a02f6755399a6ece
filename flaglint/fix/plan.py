"""Decide what ``flaglint fix`` bakes in: which flags, which value, and
exactly which reads (by path and span, as the graph resolved them).

Default: every flag the analysis proves never on (FL001), baked in as off,
minus what the user suppressed (an FL001 finding hidden by a suppression
comment, ``ignore`` or ``per-file-ignores`` means "leave this flag alone";
a hidden FL002 block is left as it is). With ``--flag NAME --value``, the
user's decision for one flag, whatever the analysis says (Piranha's mode).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Dict, List, Optional, Sequence, Set, Tuple

from ..config import Config
from ..decide import Selection, decide
from ..facts import READ_TRUTH, FileFacts, Span
from ..graph.analysis import FlagAnalysis
from ..graph.build import Flag, FlagGraph
from ..graph.references import resolved_definitions
from ..keys import is_keyed
from ..rules import RULES
from .transform import Target


class FixUsageError(Exception):
    """A --flag name that names no flag, or more than one."""


@dataclass(frozen=True)
class Decision:
    flag: Flag
    value: bool
    #: why this value: what FL001 says, or the user's --flag
    reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.flag.name}={self.value}"

    def describe(self) -> str:
        """One line naming the flag, its definition, the value baked in and
        why: what a person reads before letting ``fix`` write."""
        site = self.flag.definitions[0] if self.flag.definitions else None
        where = f"{site.path}:{site.span.line}: " if site is not None else ""
        return f"{where}bakes in {self.label}: {self.reason or 'never set'}"


@dataclass
class Plan:
    decisions: List[Decision]
    #: path -> reads to rewrite there
    targets: Dict[str, List[Target]] = field(default_factory=dict)
    #: (path, qualname) of functions FL002 reports dead under the decisions
    dead_functions: Set[Tuple[str, str]] = field(default_factory=set)
    #: (path, name) of module-level constants only dead code uses
    dead_constants: Set[Tuple[str, str]] = field(default_factory=set)
    #: also remove functions whose every reference the fix removed (a flag
    #: baked in as on: the facts record no gate for "runs only when off")
    orphans: bool = False
    #: with ``orphans``: (path, qualname) of what some reference resolves to;
    #: nothing else is ever an orphan (see graph.references.resolved_definitions)
    referenced: Set[Tuple[str, str]] = field(default_factory=set)
    notes: List[str] = field(default_factory=list)


def resolve_flag(graph: FlagGraph, name: str) -> Flag:
    """The flag ``name`` means: ``module.NAME`` exactly, else the short name
    (``NAME`` or ``Class.NAME``) if exactly one flag has it."""
    exact = [flag for flag in graph.flags.values() if flag.name == name]
    if len(exact) == 1:
        return exact[0]
    short = sorted(
        (flag for flag in graph.flags.values() if flag.symbol[1] == name or flag.symbol[1].rsplit(".", 1)[-1] == name),
        key=lambda flag: flag.name,
    )
    if len(short) == 1:
        return short[0]
    if not short:
        raise FixUsageError(f"no flag named {name!r} in the analysed code")
    # one line: the CLI escapes a message's line breaks (flaglint/printable.py),
    # since a module's name comes from a path the repository chose
    listed = ", ".join(flag.name for flag in short)
    raise FixUsageError(f"flag name {name!r} is ambiguous; use the full name, one of: {listed}")


def plan_fix(
    graph: FlagGraph,
    facts: Sequence[FileFacts],
    config: Config = Config(),
    flag_name: Optional[str] = None,
    value: Optional[bool] = None,
) -> Plan:
    if flag_name is not None:
        return _user_decision(graph, resolve_flag(graph, flag_name), bool(value))
    return _never_set(graph, facts, config)


def _user_decision(graph: FlagGraph, flag: Flag, value: bool) -> Plan:
    plan = Plan([Decision(flag, value, "your decision (--flag)")], orphans=value)
    _add_reads(plan, flag, value, skip=())
    if value:
        plan.referenced = resolved_definitions(graph)
    else:
        analysis = _DecidedAnalysis(graph, [flag])
        plan.dead_functions = {(dead.path, dead.function.qualname) for dead in analysis.dead_functions}
        plan.dead_constants = {(dead.path, dead.function.qualname) for dead in analysis.dead_constants}
    return plan


def _never_set(graph: FlagGraph, facts: Sequence[FileFacts], config: Config) -> Plan:
    analysis = FlagAnalysis(graph)
    rules = [RULES[code] for code in ("FL001", "FL002") if code in RULES]
    everything = [finding for rule in rules for finding in rule.check(graph, analysis)]
    selection = Selection(config.select, tuple(config.ignore), config.per_file_ignores)
    shown = set(decide(everything, {item.path: item for item in facts}, selection))
    wanted = {finding.flag: finding.message for finding in shown if finding.code == "FL001"}
    hidden_blocks = [
        (finding.path, finding.span) for finding in everything if finding.code == "FL002" and finding not in shown
    ]
    # a flag a computed environment write may set is reported, never removed
    dead = [flag for flag in analysis.never_set if flag.name in wanted and not analysis.open_env_writes(flag)]
    plan = Plan([Decision(flag, False, _never_set_reason(wanted[flag.name])) for flag in dead if flag.definitions])
    for flag in dead:
        if not flag.definitions:  # ``env:X`` / ``sdk:provider:key``: read through calls, no symbol
            plan.notes.append(f"{flag.name}: not baked in: a keyed flag's reads are calls; remove them by hand")
    for decision in plan.decisions:
        _add_reads(plan, decision.flag, False, hidden_blocks)
    hidden = set(hidden_blocks)
    plan.dead_functions = {
        (dead.path, dead.function.qualname)
        for dead in analysis.dead_functions
        if (dead.path, dead.function.span) not in hidden
    }
    plan.dead_constants = {(dead.path, dead.function.qualname) for dead in analysis.dead_constants}
    return plan


def _never_set_reason(message: str) -> str:
    """FL001's reason, and where flaglint looked: a flag set by a build, a
    distributor or a compiler looks exactly like this (docs/fix.md)."""
    why = message.partition("never set: ")[2] or "never set"
    return (
        f"{why}; nothing in the analysed code, its flag sources or external-flags sets it "
        "(set outside the tree? declare it in external-flags)"
    )


def _add_reads(plan: Plan, flag: Flag, value: bool, skip: Sequence[Tuple[str, Span]]) -> None:
    """Every read of ``flag`` the fix can decide, as a Target.

    A bit constant (``0x20``) is decided where it is tested on a field
    (``flags & BIT``, ``BIT in flags``); ``if BIT:`` tests the constant
    itself, which is true, so such reads are left alone. A bool flag's other
    uses (``x = not FLAG``, ``f(FLAG)``) are its value, so they are baked
    in too."""
    is_bit = flag.bit is not None
    for site in flag.reads:
        read = site.fact
        where = f"{site.path}:{read.span.line}:{read.span.column}"
        if is_keyed(read.ref):
            continue
        if is_bit and read.kind == READ_TRUTH:
            plan.notes.append(f"{where}: left `{read.ref}`: it tests the constant, not the bit")
            continue
        if any(path == site.path and (span == read.gate or span.contains(read.span)) for path, span in skip):
            plan.notes.append(f"{where}: left {flag.symbol[1]}: the block it gates is suppressed (FL002)")
            continue
        plan.targets.setdefault(site.path, []).append(Target(read.span, read.kind, value, flag.name))
    if is_bit:
        return  # a bit's uses set it (``flags |= BIT``): never rewritten
    for used in flag.uses:  # ``x = not FLAG``, ``f(FLAG)``: the value itself
        if any(path == used.path and span.contains(used.span) for path, span in skip):
            continue
        plan.targets.setdefault(used.path, []).append(Target(used.span, READ_TRUTH, value, flag.name))


class _DecidedAnalysis(FlagAnalysis):
    """The analysis, with the user's decision standing in for "never set"."""

    def __init__(self, graph: FlagGraph, off: List[Flag]) -> None:
        super().__init__(graph)
        self._off = off

    @cached_property
    def never_set(self) -> List[Flag]:
        return list(self._off)

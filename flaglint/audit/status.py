"""What each flag is (kind) and how it stands (status), from the analysis.

Shared by the audit inventory and the graph export, so a flag has the same
status in the report and in the exported graph. The verdicts come from
:class:`~flaglint.graph.analysis.FlagAnalysis`; nothing here re-decides
whether a flag is set or read.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Tuple

from ..graph.analysis import FlagAnalysis, kind_of
from ..graph.bits import short
from ..graph.build import KIND_BIT, KIND_BOOL, KIND_MEMBER, Flag, FlagGraph
from ..graph.flagness import candidate
from ..graph.symbols import Symbol
from ..keys import key_family

LIVE = "live"
NEVER_SET = "never-set"
DEAD = "dead"
REUSED = "reused"
ALIAS_COLLISION = "alias-collision"
UNUSED = "unused"
UNDECLARED = "undeclared"
ALWAYS_ON = "always-on"
MENTIONED_NOWHERE = "mentioned-nowhere"
OUTSIDE_PYTHON = "outside-python"
NOT_A_FLAG = "not-a-flag"

#: Every status, most urgent first (the order reports sort by); ``not-a-flag``
#: only with ``audit --all``.
STATUSES = (
    DEAD,
    REUSED,
    ALIAS_COLLISION,
    UNDECLARED,
    NEVER_SET,
    MENTIONED_NOWHERE,
    ALWAYS_ON,
    UNUSED,
    OUTSIDE_PYTHON,
    LIVE,
    NOT_A_FLAG,
)

#: The statuses a reader acts on (the summary line and the HTML cards lead with them).
TO_ACT_ON = (DEAD, REUSED, ALIAS_COLLISION, UNDECLARED, NEVER_SET, MENTIONED_NOWHERE, ALWAYS_ON, UNUSED)

STATUS_HELP = {
    DEAD: "never set, and it gates code: that code can never run",
    REUSED: "its bit has a second meaning (a collision, or a new name since the reference)",
    ALIAS_COLLISION: "an enum member with another member's value: Python silently makes it an alias",
    UNDECLARED: "a key no source defines, although the sources are declared complete (FL004)",
    NEVER_SET: "read, but nothing sets it (it gates no block)",
    ALWAYS_ON: "on for everyone in every source: the code for when it is off is dead (FL006)",
    UNUSED: "defined, never read",
    MENTIONED_NOWHERE: "defined in a flag source, named by no code and no file; only a key built at run time may read it",
    OUTSIDE_PYTHON: "no Python code reads it; files outside Python (front end, bundles, templates) mention it",
    LIVE: "read, and something can turn it on",
    NOT_A_FLAG: "tracked, but not a flag (audit --all): a value, a framework's attribute or setting, a dunder",
}

#: One colour per status, shared by the HTML audit and the graph export.
STATUS_COLOURS = {
    DEAD: "#c62828",
    REUSED: "#6a1b9a",
    ALIAS_COLLISION: "#e65100",
    UNDECLARED: "#ad1457",
    NEVER_SET: "#b7791f",
    ALWAYS_ON: "#1565c0",
    UNUSED: "#6b7280",
    MENTIONED_NOWHERE: "#546e7a",
    OUTSIDE_PYTHON: "#00838f",
    LIVE: "#2e7d32",
    NOT_A_FLAG: "#9e9e9e",
}

KINDS = (KIND_BOOL, KIND_BIT, KIND_MEMBER)


def all_flags(graph: FlagGraph) -> List[Flag]:
    """Symbol flags, then keyed flags (environment variables, SDK keys) when
    the graph has them."""
    keyed = getattr(graph, "iter_keyed", None)
    return [*graph.iter_flags(), *(keyed() if keyed is not None else ())]


def short_name(flag: Flag) -> str:
    """``POWER_PEG``; a keyed flag by its key (``env:BETA``)."""
    key = getattr(flag, "key", None)
    return key if key else short(flag)


def family_name(flag: Flag) -> str:
    """The module or class; ``env`` or ``sdk:<provider>`` for a keyed flag."""
    key = getattr(flag, "key", None)
    return key_family(key) if key else flag.family


def flag_statuses(graph: FlagGraph, analysis: FlagAnalysis, everything: bool = False) -> Dict[Symbol, str]:
    """symbol -> status for every flag the audit lists; with ``everything``
    also each constant it weighed and found not to be a flag
    (:data:`NOT_A_FLAG`; :meth:`FlagAnalysis.not_a_flag` says why)."""
    verdicts: Tuple[Tuple[str, Callable[[Flag], object]], ...] = (  # the first that holds, most urgent first
        (ALIAS_COLLISION, analysis.is_silent_alias),
        (REUSED, analysis.is_reused),
        (UNDECLARED, analysis.undeclared),
        (DEAD, analysis.is_dead),
        (NEVER_SET, analysis.is_never_set),
        (ALWAYS_ON, analysis.always_on),
        (NEVER_SET, analysis.never_set_untested),
        (OUTSIDE_PYTHON, analysis.read_elsewhere),  # read by other code (front end, templates), as FL005 says
        (LIVE, analysis.decided_by_override),  # a wrapper's hard-wired dict answers it, as FL005 says
        (LIVE, analysis.named_by_run_time_key),  # named in Python text a run-time key is built from
        (OUTSIDE_PYTHON, analysis.mentioned_by_name),  # its bare name in the front end; FL005 is silent
        (MENTIONED_NOWHERE, analysis.unresolved),  # FL005 says nothing either
        (UNUSED, analysis.unused),  # FL005 reports a flag source's flag exactly then
    )
    statuses: Dict[Symbol, str] = {}
    for flag in all_flags(graph):
        if not candidate(flag):
            continue
        if analysis.not_a_flag(flag) is not None:
            if everything:
                statuses[flag.symbol] = NOT_A_FLAG
            continue
        statuses[flag.symbol] = next((status for status, holds in verdicts if holds(flag)), LIVE)
    return statuses


def gated_lines(flag: Flag) -> int:
    """Lines of code its reads gate (the sum of the gated blocks' spans)."""
    return sum(site.fact.gate.end_line - site.fact.gate.line + 1 for site in flag.reads if site.fact.gate is not None)


def display_value(flag: Flag) -> str:
    """``False``, ``0x20``, ``?`` (computed); several bindings joined by `` / ``."""
    if not flag.definitions:
        return "?"
    shown: List[str] = []
    for site in flag.definitions:
        value = site.fact.value
        if site.fact.key:
            text = site.fact.key  # mirrors a keyed flag: ``os.getenv("X") == "1"``
        elif value is None:
            text = "?"
        elif isinstance(value, bool):
            text = str(value)
        elif flag.bit is not None or kind_of(flag) != KIND_BOOL:
            text = hex(value)
        else:
            text = str(value)
        if text not in shown:
            shown.append(text)
    return " / ".join(shown)

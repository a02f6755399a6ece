"""Drop the reads and uses of function locals once the module is walked.

Whether a bare name in a function is a local (and so not a flag) is only
known once the whole function has been seen, so the collector keeps reads and
uses inside functions pending, the way pyflakes defers function bodies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Tuple

from .core import Collector, Pending


def resolve_pending(collector: Collector):
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

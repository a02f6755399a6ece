"""Drop the reads and uses of function locals once the module is walked.

Whether a bare name in a function is a local (and so not a flag) is only
known once the whole function has been seen, so the collector keeps reads and
uses inside functions pending, the way pyflakes defers function bodies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Optional, Set, Tuple

from ..facts import ARG_KEYS, ARG_STRING, UNKNOWN_RECEIVER, GuardedRef, Read
from .core import Collector, Frame, Pending


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
        elif isinstance(pending.fact, Read):  # ``manager.has("x")`` on a parameter: no read, a mention of "x"
            for arg in pending.fact.call_args:
                if arg.kind in (ARG_STRING, ARG_KEYS):
                    for text in arg.value.split("\n"):
                        collector.listed_keys.setdefault(text, pending.fact.span.line)
    reads = tuple(_renumber(pending.fact, kept) for index, pending in enumerate(collector.reads) if index in kept)
    uses = tuple(_renumber(pending.fact, kept) for pending in collector.uses if not _is_local(pending))
    functions = tuple(_renumber(function, kept) for function in collector.functions)
    collector.classes = [_renumber(item, kept) for item in collector.classes]
    guarded = []
    seen: Set[Tuple[str, str, Tuple[int, ...]]] = set()
    for written, scope, guards, frames in collector.pending_refs:
        ref = _in_scope(written, frames)
        if ref is None:
            continue
        guards = renumber_guards(guards, kept) if guards else guards
        if guards:
            if (ref, scope, guards) not in seen:
                seen.add((ref, scope, guards))
                guarded.append(GuardedRef(ref, scope, guards))
        else:  # no gate, or every gate around it tested a local: an ordinary reference
            collector.scope_refs.setdefault(scope, set()).add(ref)
    return reads, uses, functions, tuple(guarded)


def _in_scope(ref: str, frames: Tuple[Frame, ...]) -> Optional[str]:
    """A reference as the module reads it, after Python's scoping: a name a
    function binds is that function's own (a parameter, an assignment, a
    loop or ``except`` variable), not the module-level name, unless declared
    ``global``. A local variable is no reference (``None``) and its
    attributes belong to an unknown object (``.send``); a nested ``def`` or
    ``class`` is named by its qualified name."""
    if not frames:
        return ref
    head, dot, rest = ref.partition(".")
    for frame in reversed(frames):
        if head in frame.globals:
            return ref
        if head in frame.bound:
            if head in frame.defs:
                return f"{frame.qualname}.{ref}"
            return UNKNOWN_RECEIVER + rest if rest else None
    return ref


def renumber_guards(guards: Tuple[int, ...], kept: Dict[int, int]) -> Tuple[int, ...]:
    return tuple(kept[index] for index in guards if index in kept)


def _renumber(fact, kept: Dict[int, int]):
    if not fact.guards:
        return fact
    return replace(fact, guards=renumber_guards(fact.guards, kept))


def _is_local(pending: Pending) -> bool:
    name = pending.first_name
    return any(name in frame.bound and name not in frame.globals for frame in pending.functions)

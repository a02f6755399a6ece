"""How rules name a flag and point at its source definitions: shared so
that every rule says ``flag 'new-ui' (openfeature)`` and
``environment variable X`` the same way."""

from __future__ import annotations

from typing import List, Optional

from ..facts import Span
from ..findings import Location
from ..keys import key_parts


def describe(flag) -> str:
    """``ENABLE_X``; ``environment variable X``; ``flag 'new-ui' (openfeature)``."""
    if not flag.key:
        return flag.symbol[1]
    provider, name = key_parts(flag.key)
    return f"environment variable {name}" if provider == "env" else f"flag {name!r} ({provider})"


def source_locations(graph, provider: str, name: str, limit: Optional[int] = None) -> List[Location]:
    """Where the project's sources define ``name``: flag files for an SDK
    provider, environment files for ``env``."""
    if provider == "env":
        found = [(assignment.path, assignment.line) for assignment in graph.sources.env.get(name, ())]
    else:
        found = [(definition.path, definition.line) for definition in graph.sources.definitions(provider, name)]
    return [Location(path, Span(line, 1, line, 1), "defined here") for path, line in found[:limit]]

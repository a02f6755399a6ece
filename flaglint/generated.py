"""Files a generator wrote: skipped unless ``analyse-generated = true``.

Generated modules (protobuf's ``*_pb2.py``, Unicode tables, vendored data) are
often the largest files of a tree and hold no flag a person maintains; a
9 MB one is what a hostile pull request would add to exhaust a worker's
memory. A file is generated when its name says so (``_pb2.py``,
``_pb2_grpc.py``) or when a comment in its first lines carries a generator's
marker (``# @generated``, ``# ... DO NOT EDIT``). Only comments count, so a
docstring that merely mentions the convention does not make a module
generated. Skipped files are listed with their reason (the summary's
skipped paths), never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import List, Optional

from .discover import Discovery, Skipped
from .sources.reading import read_head

#: file name endings of generated modules
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py")
#: how much of a file's start is looked at for a marker
HEAD_LINES = 10
HEAD_BYTES = 4096
_MARKER = re.compile(rb"^[ \t]*#.*?(@generated|DO NOT EDIT)", re.MULTILINE)


def generated_reason(path: Path) -> Optional[str]:
    """Why ``path`` is generated (the skipped path's reason), or None."""
    named = _by_name(path.name)
    if named is not None:
        return named
    try:
        head = read_head(path, HEAD_BYTES)
    except (OSError, ValueError):
        return None  # extraction reports an unreadable file as FL000
    return _by_marker(head)


def generated_blob_reason(name: str, data: bytes) -> Optional[str]:
    """:func:`generated_reason` for a file's bytes already read (a git
    revision's blob, see :mod:`flaglint.history.git`)."""
    return _by_name(name) or _by_marker(data[:HEAD_BYTES])


def _by_name(name: str) -> Optional[str]:
    for suffix in GENERATED_SUFFIXES:
        if name.endswith(suffix):
            return f"generated (a *{suffix} module): set analyse-generated = true to analyse it"
    return None


def _by_marker(head: bytes) -> Optional[str]:
    lines = b"\n".join(head.splitlines()[:HEAD_LINES])
    match = _MARKER.search(lines)
    if match is None:
        return None
    return f"generated (marked {match.group(1).decode()}): set analyse-generated = true to analyse it"


def without_generated(discovery: Discovery) -> Discovery:
    """``discovery`` with its generated Python files moved to ``skipped``."""
    kept, skipped = [], list(discovery.skipped)
    for source in discovery.files:
        reason = generated_reason(source.path)
        if reason is None:
            kept.append(source)
        else:
            skipped.append(Skipped(source.display, reason))
    if len(kept) == len(discovery.files):
        return discovery
    ordered: List[Skipped] = sorted(skipped, key=lambda item: item.display)
    return replace(discovery, files=tuple(kept), skipped=tuple(ordered))

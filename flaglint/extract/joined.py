"""Keys joined by a missing comma: ``["org:a" "org:b", "org:c"]``.

Python joins adjacent string literals, so a comma forgotten between two keys
of a list, tuple, set or dict gives one bogus key, and both real keys drop
out of the collection silently (pylint's implicit-str-concat, for keys).
Deliberate concatenation is common too (a long key or message split over
lines), so a joined string is reported only when each part alone looks like
a key of its collection, judged by the plain strings beside it:

- a head they share: each part starts with a head (the text up to and
  including its first ``:``, ``.`` or ``/``) that at least two of its
  siblings start with (``organizations:``), or
- a prefix they all share, ending in a separator (``FEATURE_``, ``app-``),
  or
- a dict of ``True``/``False`` values whose keys are all UPPER_SNAKE names.

Every sibling and every part must be key-shaped (no spaces), and no part may
start or end with a separator: ``"organizations:performance-" "issues"`` is
one key split on purpose. Collections need two plain-string siblings.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

_KEY = re.compile(r"[A-Za-z0-9_.:/\-]+")
_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_HEADS = ":./"
_SEPARATORS = ":./_-"
_MIN_SIBLINGS = 2
_MIN_PREFIX = 3


def joined_parts(siblings: Sequence[str], candidates: Sequence[Sequence[str]], bools: bool) -> List[int]:
    """The indices of ``candidates`` (each the literal parts of a joined
    string of a collection) that look like two keys joined by a missing
    comma, judged by ``siblings`` (the texts of the collection's plain
    strings); ``bools``: the collection is a dict whose values are all
    ``True``/``False``. Syntax-free, so that extraction's libcst visitor and
    its fast path for data modules share it."""
    if len(siblings) < _MIN_SIBLINGS or not all(_KEY.fullmatch(text) for text in siblings):
        return []
    return [index for index, parts in enumerate(candidates) if len(parts) > 1 and _looks_joined(parts, siblings, bools)]


def _looks_joined(parts: Sequence[str], siblings: Sequence[str], bools: bool) -> bool:
    if not all(_KEY.fullmatch(part) and part[0] not in _SEPARATORS and part[-1] not in _SEPARATORS for part in parts):
        return False
    if all(_head(part) is not None and sum(_head(text) == _head(part) for text in siblings) >= 2 for part in parts):
        return True
    if len(_shared_prefix([*siblings, *parts])) >= _MIN_PREFIX:
        return True
    return bools and all(_UPPER_SNAKE.fullmatch(text) for text in [*siblings, *parts])


def _head(text: str) -> Optional[str]:
    cut = min((text.find(mark) for mark in _HEADS if mark in text), default=-1)
    return text[: cut + 1] if cut > 0 else None


def _shared_prefix(texts: Sequence[str]) -> str:
    """The longest prefix of every text that ends in a separator."""
    first, last = min(texts), max(texts)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    prefix = first[:size]
    cut = max(prefix.rfind(mark) for mark in _SEPARATORS)
    return prefix[: cut + 1] if cut >= 0 else ""

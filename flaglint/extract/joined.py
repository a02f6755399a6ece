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
from typing import List, Optional, Sequence, Tuple

import libcst as cst

_KEY = re.compile(r"[A-Za-z0-9_.:/\-]+")
_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_HEADS = ":./"
_SEPARATORS = ":./_-"
_MIN_SIBLINGS = 2
_MIN_PREFIX = 3


def joined_in(node: cst.CSTNode) -> List[Tuple[Tuple[str, ...], cst.ConcatenatedString]]:
    """(parts, node) of each string in the collection ``node`` that looks
    like two keys joined by a missing comma."""
    elements = _keys_of(node)
    if elements is None:
        return []
    siblings = [text for text in map(_plain, elements) if text is not None]
    if len(siblings) < _MIN_SIBLINGS or not all(_KEY.fullmatch(text) for text in siblings):
        return []
    bools = isinstance(node, cst.Dict) and _bool_values(node)
    found = []
    for element in elements:
        if not isinstance(element, cst.ConcatenatedString):
            continue
        parts = _parts(element)
        if parts is not None and len(parts) > 1 and _looks_joined(parts, siblings, bools):
            found.append((tuple(parts), element))
    return found


def _keys_of(node: cst.CSTNode) -> Optional[List[cst.BaseExpression]]:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [element.value for element in node.elements if isinstance(element, cst.Element)]
    if isinstance(node, cst.Dict):
        return [element.key for element in node.elements if isinstance(element, cst.DictElement)]
    return None


def _bool_values(node: cst.Dict) -> bool:
    values = [element.value for element in node.elements if isinstance(element, cst.DictElement)]
    return bool(values) and all(isinstance(value, cst.Name) and value.value in ("True", "False") for value in values)


def _plain(node: cst.BaseExpression) -> Optional[str]:
    """The text of a plain (not joined, not f-) string literal."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _parts(node: cst.BaseExpression) -> Optional[List[str]]:
    """The literal parts of a joined string, or None if one is not a plain string."""
    if isinstance(node, cst.ConcatenatedString):
        left, right = _parts(node.left), _parts(node.right)
        return left + right if left is not None and right is not None else None
    text = _plain(node)
    return [text] if text is not None else None


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

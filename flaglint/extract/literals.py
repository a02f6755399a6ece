"""String literals read from their source text, without libcst.

A string literal is judged by its token as written (``r"a.b"``): what its
prefix and body are, whether its value can be read without evaluating it,
and which identifiers it may name code by. Both extraction paths use these
functions on the same token text: the libcst visitor (``SimpleString.value``)
and the fast path for data modules (:mod:`.data_module`, which never imports
libcst), so the two cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Callable, List, Optional, Union

#: a dotted path, optionally ``module:attribute`` (an entry point's value)
_PATH = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_DOTTED = re.compile(rf"\s*{_PATH}(?:\s*:\s*{_PATH})?\s*")
#: ``name = module:attribute [extras]`` as written in ``entry_points``
_ENTRY_POINT = re.compile(rf"\s*[\w.\-]+\s*=\s*({_PATH}(?:\s*:\s*{_PATH})?)\s*(?:\[[^\]]*\])?\s*")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_MAX_PATH_STRING = 300


def string_identifiers(text: str) -> List[str]:
    """The identifiers a string may name code by: every part of a dotted
    path or an entry point; nothing for prose."""
    match = _DOTTED.fullmatch(text) or _ENTRY_POINT.fullmatch(text)
    if match is None:
        return []
    return _IDENTIFIER.findall(match.group(1) if match.re is _ENTRY_POINT else text)


def may_name_code(token: str) -> bool:
    """Whether the literal ``token`` is worth evaluating for identifiers:
    not too long to name code, and not prose (a space, but no ``=`` of an
    entry point)."""
    return not (len(token) > _MAX_PATH_STRING or " " in token.strip("'\"") and "=" not in token)


def prefix_of(token: str) -> str:
    """The literal's prefix, lower-cased (``Rb"x"`` -> ``rb``), as libcst's
    ``SimpleString.prefix``."""
    end = 0
    while end < len(token) and token[end] not in "'\"":
        end += 1
    return token[:end].lower()


def plain_text(token: str, prefix: str, quote: int) -> Optional[str]:
    """The value of a str literal with nothing to evaluate (no escape, no
    ``\\r`` newline, not bytes): its text between the quotes (``quote`` is
    their length, 1 or 3). None for any other, whose value only
    ``literal_eval`` can tell (it compiles the literal, which costs more
    than the rest of the visit of a string)."""
    if "\\" in token or "\r" in token or "b" in prefix:
        return None
    return token[len(prefix) + quote : -quote]


def identifiers_of(token: str, value: Callable[[], Union[str, bytes, None]]) -> List[str]:
    """The identifiers the literal ``token`` may name code by; ``value()``
    evaluates it, and is only called when the token is worth it."""
    if not may_name_code(token):
        return []
    text = value()
    return string_identifiers(text) if isinstance(text, str) else []

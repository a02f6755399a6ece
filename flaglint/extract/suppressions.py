"""Find ``# flaglint: ignore[FL001]`` and ``# noqa: FL001`` comments.

Only real comments count: ``HELP = "use # noqa to silence"`` suppresses
nothing. Comments are the ``COMMENT`` tokens of :mod:`tokenize`, which knows
where strings (multi-line, f-strings) begin and end; reading them from the
CST would need positions, which cost far more. Most files mention neither
marker and are never tokenized.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterator, Tuple

_MARKER = re.compile(
    r"#\s*(?:flaglint:\s*ignore(?:\[(?P<ours>[^\]]*)\])?|noqa(?::\s*(?P<noqa>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?)",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
#: Python's own line ends; str.splitlines() also splits on form feeds and U+2028
_LINES = re.compile(r"\r\n|\r|\n")


def find_suppressions(text: str) -> Tuple[Tuple[int, Tuple[str, ...]], ...]:
    """(line, codes) pairs; empty codes mean every flaglint rule."""
    if "flaglint" not in text and "noqa" not in text.lower():
        return ()
    found = []
    for number, comment in _comments(text):
        for match in _MARKER.finditer(comment):
            codes = _codes(match)
            if codes is not None:
                found.append((number, codes))
    return tuple(found)


def _comments(text: str) -> Iterator[Tuple[int, str]]:
    """(line, text) of each comment. Where this Python cannot tokenize the
    text (libcst accepts some newer syntax), the lines after the last token
    read are taken as they are, as before: a suppression the user wrote is
    honoured rather than lost."""
    last = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            last = token.end[0]
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        lines = enumerate(_LINES.split(text), start=1)
        yield from ((number, line) for number, line in lines if number > last and "#" in line)


def _codes(match: "re.Match[str]"):
    if match.group("noqa") is not None:
        codes = tuple(code.upper() for code in _CODE.findall(match.group("noqa")))
        ours = tuple(code for code in codes if code.startswith("FL"))
        return ours or None  # ``# noqa: E501`` is not about us
    if match.group("ours") is not None:
        return tuple(code.upper() for code in _CODE.findall(match.group("ours")))
    return ()

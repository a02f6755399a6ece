"""Find ``# flaglint: ignore[FL001]`` and ``# noqa: FL001`` comments.

Only real comments count: ``HELP = "use # noqa to silence"`` suppresses
nothing. Comments are found by one regular expression that steps over string
literals (single, triple-quoted, f-strings, with their escapes): in valid
Python every quote outside a comment opens a string and every ``#`` outside a
string opens a comment. It finds exactly the ``COMMENT`` tokens of
:mod:`tokenize` (checked on the standard library and on generated programs)
at a tenth of its cost; the CST would need positions, which cost more still.
Most files mention neither marker and are not scanned at all.

Known limit: Python 3.12 allows an f-string to nest its own quote character
(``f"{d["k"]}"``); the scan reads that as two strings, which is still right
unless a ``#`` follows inside the same f-string.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator, List, Optional, Tuple

_MARKER = re.compile(
    r"#\s*(?:flaglint:\s*ignore(?:\[(?P<ours>[^\]]*)\])?|noqa(?::\s*(?P<noqa>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?)",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
#: Python's own line ends; str.splitlines() also splits on form feeds and U+2028
_LINES = re.compile(r"\r\n|\r|\n")
#: a comment, or a string literal to step over (its prefix needs no matching)
_COMMENT_OR_STRING = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | \"\"\"(?:[^\\"]|\\.|"(?!""))*\"\"\"
    | \'\'\'(?:[^\\']|\\.|'(?!''))*\'\'\'
    | "(?:[^\\"\r\n]|\\.|\\\r\n)*"
    | '(?:[^\\'\r\n]|\\.|\\\r\n)*'
    """,
    re.VERBOSE | re.DOTALL,
)


def find_suppressions(text: str) -> Tuple[Tuple[int, Tuple[str, ...]], ...]:
    """(line, codes) pairs; empty codes mean every flaglint rule."""
    if "flaglint" not in text and "noqa" not in text.lower():
        return ()
    found = []
    for number, comment in comments(text):
        for match in _MARKER.finditer(comment):
            codes = _codes(match)
            if codes is not None:
                found.append((number, codes))
    return tuple(found)


def comments(text: str) -> Iterator[Tuple[int, str]]:
    """(line, text) of each comment of ``text``, in order."""
    starts: Optional[List[int]] = None
    for match in _COMMENT_OR_STRING.finditer(text):
        if match.lastgroup == "comment":
            if starts is None:
                starts = [0, *(end.end() for end in _LINES.finditer(text))]
            yield bisect.bisect_right(starts, match.start()), match.group()


def _codes(match: "re.Match[str]"):
    if match.group("noqa") is not None:
        codes = tuple(code.upper() for code in _CODE.findall(match.group("noqa")))
        ours = tuple(code for code in codes if code.startswith("FL"))
        return ours or None  # a noqa naming only E501 is not about us
    if match.group("ours") is not None:
        return tuple(code.upper() for code in _CODE.findall(match.group("ours")))
    return ()

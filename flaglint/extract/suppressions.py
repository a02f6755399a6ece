"""Find ``# flaglint: ignore[FL001]`` and ``# noqa: FL001`` comments.

Read from the text, line by line, only when the file mentions either marker:
most files have none and pay nothing.
"""

from __future__ import annotations

import re
from typing import Tuple

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
    for number, line in enumerate(_LINES.split(text), start=1):
        if "#" not in line:
            continue
        for match in _MARKER.finditer(line):
            codes = _codes(match)
            if codes is not None:
                found.append((number, codes))
    return tuple(found)


def _codes(match: "re.Match[str]"):
    if match.group("noqa") is not None:
        codes = tuple(code.upper() for code in _CODE.findall(match.group("noqa")))
        ours = tuple(code for code in codes if code.startswith("FL"))
        return ours or None  # a noqa naming only E501 is not about us
    if match.group("ours") is not None:
        return tuple(code.upper() for code in _CODE.findall(match.group("ours")))
    return ()

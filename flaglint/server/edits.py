"""Text edits as plain data, for the server's code actions.

Two jobs, neither needing the protocol: where a suppression comment goes on
a line (and what it says), and a file's old and new text (what ``fix``
computed) as the few line ranges that differ, so an editor keeps its cursor
and undo history instead of replacing the whole buffer.

An :data:`Edit` is ``(start, end, text)``: positions are ``(line, column)``,
0-based, columns counted in code points of the old text (the protocol
converts them to the client's encoding).
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
from typing import List, Optional, Sequence, Tuple

Position = Tuple[int, int]
Edit = Tuple[Position, Position, str]

#: the suppression comments flaglint/extract/suppressions.py reads: one
#: already on the line is extended, since a second one on the same line
#: would replace the first
_OURS = re.compile(r"#\s*flaglint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def suppression(text: str, line: int, code: str) -> Optional[Edit]:
    """The edit that suppresses ``code`` on 1-based ``line`` of ``text``:
    ``  # flaglint: ignore[CODE]`` at the end of the line, or ``CODE`` added
    to the line's flaglint comment. None when a comment cannot go there
    (the line ends inside a string, or ``text`` does not tokenize) or the
    line already suppresses every code."""
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    comment = _comment_on(text, line)
    if comment is False:
        return None
    body = lines[line - 1].rstrip("\r\n")
    if isinstance(comment, tuple):
        start, found = comment
        for marker in (_OURS.search(found), _NOQA.search(found)):
            if marker is None:
                continue
            codes = marker.group("codes")
            if codes is None:
                return None  # ``# flaglint: ignore`` or ``# noqa`` suppresses everything already
            names = [name.strip().upper() for name in re.split(r"[,\s]+", codes) if name.strip()]
            if marker.re is _NOQA and not any(name.startswith("FL") for name in names):
                continue  # ``# noqa: E501`` is not about flaglint
            if not names or any(code.startswith(name) for name in names):
                return None  # ``ignore[]`` suppresses everything, as ``ignore`` does
            column = start + marker.end("codes")
            return ((line - 1, column), (line - 1, column), f",{code}")
    end = len(body)
    stripped = len(body.rstrip())
    return ((line - 1, stripped), (line - 1, end), f"  # flaglint: ignore[{code}]")


def _comment_on(text: str, line: int):
    """The comment on ``line`` as ``(column, text)``; None when the line ends
    outside any string without a comment; False when a comment cannot go
    at its end (inside a multi-line string, or the text does not tokenize)."""
    ends_clean = False
    found = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.start[0] > line:
                break
            if token.type == tokenize.COMMENT and token.start[0] == line:
                found = (token.start[1], token.string)
            if token.type in (tokenize.NEWLINE, tokenize.NL) and token.start[0] == line:
                ends_clean = True
            if token.type == tokenize.STRING and token.start[0] <= line < token.end[0]:
                return False  # the line ends inside a multi-line string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return False
    if found is not None:
        return found
    return None if ends_clean else False


def line_edits(old: str, new: str) -> List[Edit]:
    """``new`` as edits of ``old``: one per run of differing lines."""
    before = old.splitlines(keepends=True)
    after = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    edits: List[Edit] = []
    for tag, start, stop, first, last in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append((_position(before, start), _position(before, stop), "".join(after[first:last])))
    return edits


def _position(lines: Sequence[str], index: int) -> Position:
    """The start of line ``index``; past the last line, the end of the text
    (the end of its last line when that has no line break)."""
    if index < len(lines) or not lines:
        return (index, 0)
    last = lines[-1]
    stripped = last.rstrip("\r\n")
    return (len(lines) - 1, len(stripped)) if stripped == last else (len(lines), 0)

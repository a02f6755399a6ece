"""Check a rewritten file as Python will read it: as bytes.

Python decides how to decode a source file from its first two lines (a BOM,
or a PEP 263 coding cookie on line 1, or on line 2 below a comment or blank
line). Removing lines can move a comment that looked like a cookie into
those lines, or pull code out from above one: ``# coding: ascii`` on line 4
becomes the cookie, and a file that held ``"héllo"`` no longer imports; with
``latin-1`` it imports, but the string's value changes.

:func:`checked` encodes the new text the way it will be written and decodes
it the way Python will. When the decoding would change it pins the original
one with a cookie on the first line (below a shebang), which wins over any
cookie further down; when even that does not give back the same text, the
file is refused.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass
from typing import Optional

from ..extract.source import decode_source
from .write import syntax_error


@dataclass
class Checked:
    text: str
    data: bytes
    #: what was done to keep the decoding, for the user
    note: Optional[str] = None
    #: why the file must not be written
    refusal: Optional[str] = None


def checked(new: str, encoding: str, display: str, newer: bool = False) -> Checked:
    """``new`` as bytes in ``encoding``, read back as Python reads it
    (``newer``: checked by libcst's parser, see ``write.syntax_error``)."""
    first = _attempt(new, encoding, display, newer)
    if first.refusal is None or not first.refusal.startswith("removing lines"):
        return first
    pinned = _pin(new, encoding)
    second = _attempt(pinned, encoding, display, newer)
    if second.refusal is not None:
        return Checked(new, b"", refusal=first.refusal)
    second.note = (
        f"added `# -*- coding: {_cookie_name(encoding)} -*-` to keep how Python reads the file: {first.refusal}"
    )
    return second


def _attempt(text: str, encoding: str, display: str, newer: bool = False) -> Checked:
    try:
        data = text.encode(encoding)
    except (UnicodeError, LookupError) as error:
        return Checked(text, b"", refusal=f"the rewritten text cannot be encoded as {encoding}: {error}")
    try:
        now = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as error:
        return Checked(text, data, refusal=f"removing lines would make Python reject its coding line ({error.msg})")
    if _canonical(now) != _canonical(encoding):
        return Checked(
            text,
            data,
            refusal=f"removing lines would change which coding line Python obeys, so it would read the file as {now}, not {encoding}",
        )
    decoded = decode_source(data)
    if decoded != text:
        return Checked(text, data, refusal="the rewritten file would not read back as the same text")
    problem = syntax_error(data, display, newer)
    if problem:
        return Checked(text, data, refusal=f"the rewritten file would not compile ({problem})")
    return Checked(text, data)


def _pin(text: str, encoding: str) -> str:
    """``text`` with a coding cookie naming ``encoding`` as its first line,
    or its second below a shebang."""
    cookie = f"# -*- coding: {_cookie_name(encoding)} -*-"
    first, newline, rest = text.partition("\n")
    ending = "\r\n" if first.endswith("\r") else "\n"
    if first.startswith("#!"):
        return f"{first}{newline or ending}{cookie}{ending}{rest}"
    return f"{cookie}{ending}{text}"


def _cookie_name(encoding: str) -> str:
    return "utf-8" if _canonical(encoding) in ("utf-8", "utf-8-sig") else encoding


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()

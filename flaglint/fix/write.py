"""Compile checks and patches for fixed sources.

Writing is :mod:`.transaction`'s job (all files or none). Here: whether a
text or the bytes to be written compile, and the change as a patch that
``git apply`` accepts.
"""

from __future__ import annotations

import difflib
from typing import Optional, Union

from ..printable import printable
from ..quiet import user_code


def compile_error(text: Union[str, bytes], display: str) -> Optional[str]:
    """Why ``text`` is not a valid module for this Python, or None (bytes
    are decoded as Python decodes a source file)."""
    try:
        with user_code():
            compile(text, display, "exec", dont_inherit=True)
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"{error.msg}{where}"
    except (ValueError, RecursionError, MemoryError) as error:
        return str(error) or type(error).__name__
    return None


def newer_grammar_error(text: Union[str, bytes]) -> Optional[str]:
    """Why libcst's parser rejects ``text``, or None: the check of a file
    written for a newer Python than the one running (PEP 695 ``type`` and
    ``def f[T]`` on 3.11), which this interpreter cannot compile at all.
    libcst's parser knows the newest grammar it supports, so the file is
    judged by the grammar it was written in, not skipped."""
    import libcst as cst

    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return f"{error.message} (line {error.raw_line})"
    except (ValueError, RecursionError, MemoryError) as error:
        return str(error) or type(error).__name__
    return None


def syntax_error(text: Union[str, bytes], display: str, newer: bool = False) -> Optional[str]:
    """``compile_error``, or for a file of a newer grammar (``newer``)
    :func:`newer_grammar_error`."""
    return newer_grammar_error(text) if newer else compile_error(text, display)


def patch(display: str, old: bytes, new: bytes, deleted: bool = False, mode: int = 0o644) -> bytes:
    """The unified diff of one file's bytes (``a/`` and ``b/`` paths, as
    ``git diff`` writes), which ``git apply`` accepts whatever the file's
    encoding. Lines end at ``\\n`` only, as git sees them: a form feed, a
    lone ``\\r`` or a U+2028 inside a line is part of it (``splitlines``
    would split there, and ``git apply`` would reject the patch). A deleted
    file gets git's header (``deleted file mode``, ``+++ /dev/null``)."""
    name = display.lstrip("/").encode("utf-8", "surrogateescape")
    header = b""
    source, target = git_quote(b"a/" + name), git_quote(b"b/" + name)
    if deleted:
        kind = b"100755" if mode & 0o111 else b"100644"
        header = b"diff --git " + source + b" " + target + b"\ndeleted file mode " + kind + b"\n"
        target = b"/dev/null"
        new = b""
        if not old:
            return header
    lines = difflib.diff_bytes(difflib.unified_diff, git_lines(old), git_lines(new), source, target)
    body = b"".join(line + b"\n\\ No newline at end of file\n" if not line.endswith(b"\n") else line for line in lines)
    return header + body if body else b""


#: git's C-style escapes in a quoted path (quote.c); other control bytes are octal
_GIT_ESCAPES = {
    7: b"\\a",
    8: b"\\b",
    9: b"\\t",
    10: b"\\n",
    11: b"\\v",
    12: b"\\f",
    13: b"\\r",
    34: b'\\"',
    92: b"\\\\",
}


def git_quote(path: bytes) -> bytes:
    """``path`` as git writes it in a patch header: as it is, or C-quoted
    (``"a/d\\n::x"``, bytes past ASCII in octal, as git's default
    ``core.quotePath`` does) when it holds a quote or anything
    :func:`flaglint.printable.printable` escapes. ``git apply`` reads both;
    a line break in a directory name can then neither break the patch nor
    start a line of its own (``::error::``)."""
    if (
        printable(path.decode("utf-8", "surrogateescape")) == path.decode("utf-8", "surrogateescape")
        and b'"' not in path
    ):
        return path
    quoted = b"".join(
        _GIT_ESCAPES.get(byte) or (b"\\%03o" % byte if byte < 32 or byte >= 127 else bytes((byte,))) for byte in path
    )
    return b'"' + quoted + b'"'


def git_lines(text):
    """``text`` (str or bytes) cut after each newline (``\\n``), keeping it."""
    newline = "\n" if isinstance(text, str) else b"\n"
    lines = text.split(newline)
    last = lines.pop()
    return [line + newline for line in lines] + ([last] if last else [])

"""Text that cannot forge an output line: the one escape every human-readable
writer (check's text, audit's text and Markdown, graph DOT, messages on
stderr) puts keys, paths and messages through.

A repository under review is hostile input. A directory named
``d\\n::error::x`` or a flag key holding ``\\n::set-output name=x::1`` would
otherwise start a line of flaglint's output with a GitHub Actions workflow
command, and an ``ESC]8;;http://...`` sequence would draw a link or rewrite
the terminal. So:

- :func:`printable` escapes, Python-style, every character a terminal or a
  log viewer may act on: the C0 and C1 controls (line feed, carriage return,
  ESC, NEL, ...), DEL, the Unicode line and paragraph separators and the
  bidirectional overrides ("Trojan source"). The backslash is escaped too, so
  the escape round-trips: :func:`unescape` gives the original text back, and
  a key spelled with a literal backslash-n never prints like one holding a
  line feed.
- :func:`safe_lines` keeps a line of a human format from starting with a
  workflow command (``::`` or the older ``##[``), even without a line break:
  a path that begins with ``::error::`` would still be one. Its first
  character is escaped (``\\x3a``), which :func:`unescape` also reverses.

JSON and SARIF escape through :mod:`json`, the HTML audit through
:func:`html.escape`, and ``--format github`` through the Actions toolkit's
own escape: none of them needs this.

What stdout cannot encode must not stop the output either:
:func:`tolerate_unencodable` gives it the error handler :data:`OUTPUT_ERRORS`.
A name that is not UTF-8 reaches Python as surrogate escapes (``\\udcff``);
where stdout is strict (``LANG=en_US.UTF-8``, ``PYTHONIOENCODING=utf-8``)
printing one raised UnicodeEncodeError, exit 3. Now it prints the name's own
bytes, as ``ls`` does and as a ``C.UTF-8`` stdout already did, and any other
character the encoding lacks is escaped (``\\u6f22`` on a Latin-1 stdout).
"""

from __future__ import annotations

import codecs
import re

#: line and paragraph separators and the bidirectional controls: some terminals
#: and log viewers break a line at them, or reorder what a reader sees
_UNICODE_BREAKS = "\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile("[\\\\\x00-\x1f\x7f-\x9f" + _UNICODE_BREAKS + "]")
_SHORT = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: what GitHub Actions (and Azure Pipelines) read as a command at a line's start, after blanks
_COMMAND_START = re.compile(r"^([ \t]*)([:#])(?=:|#\[)")
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|[\\nrt])")


def _escape(match: "re.Match[str]") -> str:
    character = match.group()
    short = _SHORT.get(character)
    if short is not None:
        return short
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` on one line, every control character escaped (see the module)."""
    return _UNSAFE.sub(_escape, str(text))


def safe_lines(text: str) -> str:
    """``text`` with no line starting a workflow command. Lines are split at
    ``\\n`` only: anything else that breaks a line was escaped by
    :func:`printable` before it got here."""
    if "::" not in text and "#[" not in text:
        return text
    return "\n".join(_COMMAND_START.sub(_neutralise, line) for line in text.split("\n"))


def _neutralise(match: "re.Match[str]") -> str:
    return f"{match.group(1)}\\x{ord(match.group(2)):02x}"


def safe_line(text: object) -> str:
    """One line for a person (a message on stderr): escaped, and unable to
    start a workflow command."""
    return safe_lines(printable(text))


def unescape(text: str) -> str:
    """The text :func:`printable` or :func:`safe_line` was given."""

    def one(match: "re.Match[str]") -> str:
        escape = match.group()
        if escape[1] in "xu":
            return chr(int(escape[2:], 16))
        return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}[escape[1]]

    return _ESCAPE.sub(one, text)


#: the name of the error handler :func:`tolerate_unencodable` sets
OUTPUT_ERRORS = "flaglint-output"


def _bytes_or_escape(error: UnicodeError):
    """``surrogateescape`` for a name's undecodable bytes (never in a UTF-16
    or UTF-32 stream, where a lone byte would shift every character after
    it), ``backslashreplace`` for everything else."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    wide = error.encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32", "utf16", "utf32"))
    if not wide and all("\udc80" <= character <= "\udcff" for character in text):
        return bytes(ord(character) - 0xDC00 for character in text), error.end
    return codecs.backslashreplace_errors(error)


codecs.register_error(OUTPUT_ERRORS, _bytes_or_escape)


def tolerate_unencodable(stream: object) -> None:
    """Make ``stream`` (stdout) write what its encoding cannot, as
    :func:`_bytes_or_escape` does, instead of raising. A stream that cannot
    be reconfigured (not a text file) is left alone."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    try:
        reconfigure(errors=OUTPUT_ERRORS)
    except (ValueError, OSError, AttributeError):  # closed, or not an io.TextIOWrapper underneath
        pass

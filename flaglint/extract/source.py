"""Read a file's bytes and decode them the way Python would, or say why not.

Every failure here is a value (a Problem), never an exception: a file we cannot
read is reported as FL000 and the rest of the project is still analysed.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import Optional, Union

from ..facts import Problem
from ..sources.reading import LIMITS, TooLarge, read_source_bytes, too_large


def read_source(path: Path) -> Union[str, Problem]:
    """Return the decoded text of ``path`` or the Problem that prevents it.

    Never reads more than the Python cap (:data:`LIMITS`): a generated or
    hostile multi-gigabyte module is FL000, not a MemoryError."""
    try:
        data = read_source_bytes(path, "python")
    except TooLarge as error:
        return Problem(f"cannot read file: {error}")
    except OSError as error:
        return Problem(f"cannot read file: {error.strerror or error}")
    return decode_source(data)


def decode_source(data: bytes) -> Union[str, Problem]:
    """Decode bytes honouring a BOM and a PEP 263 coding cookie.

    Bytes over the Python cap (read by a caller that hashes them for the
    cache) are refused here too, so a file's result does not depend on
    whether the cache is on."""
    if len(data) > LIMITS["python"]:
        return Problem(f"cannot read file: {too_large('python')}")
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return Problem("file contains a NUL byte: binary or not Python source", line)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        return Problem(f"cannot decode file: {error.msg}", getattr(error, "lineno", None))
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError) as error:
        # UnicodeError, not only UnicodeDecodeError: some codecs a cookie may
        # name ("undefined", "punycode") raise the plain base class
        return Problem(_decode_message(data, encoding, error), _error_line(data, error))


def nul_problem(text: str) -> Optional[Problem]:
    """A NUL in decoded text (``# coding: utf-7`` turns ``+AAA-`` into one):
    CPython refuses such source, and libcst's string evaluation raises on it."""
    nul = text.find("\0")
    if nul < 0:
        return None
    return Problem("file contains a NUL character: binary or not Python source", text.count("\n", 0, nul) + 1)


def _decode_message(data: bytes, encoding: str, error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"cannot decode file as {encoding}: invalid byte 0x{data[error.start]:02x}"
    if isinstance(error, UnicodeError):
        cause = error.__cause__ or error  # Python 3.11+ wraps the codec's own message
        return f"cannot decode file as {encoding}: {cause}"
    return f"cannot decode file: {encoding!r} is not a text encoding"  # rot13, hex, zlib...


def _error_line(data: bytes, error: Exception):
    if isinstance(error, UnicodeDecodeError):
        return data.count(b"\n", 0, error.start) + 1
    return None

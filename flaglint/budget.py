"""How much a file may cost to analyse: a token budget, checked before parsing.

libcst builds a node, with its whitespace and position, for every token:
about 1.75 KB of memory per token (measured, docs/performance.md), so a
generated 9 MB module grew a worker past 4 GB before it was killed. The size
cap on reads (10 MB) does not bound that, so a file with more tokens than
the budget (``max-file-tokens``) is FL000 ("too large to analyse: N tokens
(limit M)"), never parsed. The default keeps one file's worker under 1 GiB.

Counting is cheap and runs before the cache and the workers: one regular
expression pass in C over the bytes, and only for a file longer than the
budget in bytes (a token is at least one byte, so a shorter file cannot be
over it). The count is deliberately a little high, never low: every
punctuation character counts as one token (``**=`` as three), a string
literal or a comment as one, each line break as one. Memory stays
constant: one match at a time.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Optional

#: the default ``max-file-tokens``. Measured (a cold ``check -j1`` of one
#: dict literal, peak RSS): 50,000 tokens 145 MB, 200,000 tokens 402 MB,
#: 400,000 tokens 751 MB, so about 1.75 KB a token over ~60 MB: a file at
#: this budget stays under 1 GiB with room to spare (docs/performance.md).
DEFAULT_MAX_TOKENS = 400_000

_TOKEN = re.compile(
    rb'"""[\s\S]*?"""'  # triple-quoted strings (an unterminated one fails once: the rest has no closer)
    rb"|'''[\s\S]*?'''"
    rb'|"(?:[^"\\\n]|\\[\s\S])*"'  # one-line strings, escapes included
    rb"|'(?:[^'\\\n]|\\[\s\S])*'"
    rb"|#[^\n]*"  # comments
    rb"|[A-Za-z0-9_\x80-\xff]+"  # names and numbers (non-ASCII bytes: names)
    rb"|[^\sA-Za-z0-9_\x80-\xff]"  # any other character: one token
    rb"|\n"
)


def count_tokens(data: bytes) -> int:
    """About as many tokens as Python's tokenizer finds in ``data``, never
    fewer (see the module docstring); linear time, no list of matches."""
    # the last of enumerate's counts, consumed in C with one match alive at a
    # time (``subn`` or ``findall`` would hold a piece per token: 750 MB for 9 MB)
    last = deque(enumerate(_TOKEN.finditer(data), 1), maxlen=1)
    return last[0][0] if last else 0


def budget_problem(data: bytes, limit: int) -> Optional[str]:
    """The FL000 message for ``data`` when it is over ``limit`` tokens, else None."""
    if len(data) <= limit:
        return None
    tokens = count_tokens(data)
    if tokens <= limit:
        return None
    return f"too large to analyse: {tokens} tokens (limit {limit})"

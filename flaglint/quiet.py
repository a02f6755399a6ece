"""Compiling the user's code must print nothing.

Python warns about the analysed code itself while compiling or evaluating
it: an invalid escape in a string literal (``"\\d"``: a SyntaxWarning from
Python 3.12, a DeprecationWarning before), ``x is 1``, ``assert (x, "m")``.
libcst's ``evaluated_value`` and our own ``compile``/``literal_eval`` calls
raise them on stderr, where they break ``--format json 2>&1`` and say
nothing about flaglint. Every place that compiles or evaluates user text
runs inside :func:`user_code`.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def user_code() -> Iterator[None]:
    """Silence the warnings Python raises about the code being compiled."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield

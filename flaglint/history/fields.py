"""Typed reads of a ledger's JSON, each naming the field it refuses.

A ledger comes from the repository under review or from a build artifact:
it is input, not flaglint's own memory. Converting its fields with ``str()``,
``bool()`` and ``int(x, 16)`` accepted nonsense silently (``"name": ["a"]``
became the name ``['a']``, ``"version": true`` version 1, ``"bit": "-0x1"``
bit -1), and what a malformed ledger says would then change a finding. So
every field is checked for its JSON type, and a wrong one is a ValueError
whose text names the field (the caller reports it, naming the file: exit 2).
"""

from __future__ import annotations

import re
from typing import Any, List

_HEX = re.compile(r"0x[0-9a-f]+", re.IGNORECASE)


def table(value: Any, field: str) -> dict:
    """A JSON object."""
    if not isinstance(value, dict):
        raise ValueError(f"{field} must be an object, not {_kind(value)}")
    return value


def array(value: Any, field: str) -> List[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise ValueError(f"{field} must be an array, not {_kind(value)}")
    return value


def text(value: Any, field: str) -> str:
    """A JSON string."""
    if not isinstance(value, str):
        raise ValueError(f"{field} must be a string, not {_kind(value)}")
    return value


def flag(value: Any, field: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise ValueError(f"{field} must be true or false, not {_kind(value)}")
    return value


def integer(value: Any, field: str) -> int:
    """A JSON integer (``true`` is not 1 here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field} must be an integer, not {_kind(value)}")
    return value


def bit(value: Any, field: str) -> int:
    """A bit as ``flaglint lock`` writes it: ``"0x20"``, never negative."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ValueError(f'{field} must be a hexadecimal string like "0x20", not {_shown(value)}')
    return int(value, 16)


def _kind(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) and len(value) <= 40 else _kind(value)

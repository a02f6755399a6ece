"""Whether a reference is spelled like a constant (``RLP``, ``Perm.read``).

Syntax-free, so that both extraction paths use it: the libcst visitor
(through :mod:`.names`) and the fast path for data modules, which never
imports libcst.
"""

from __future__ import annotations


def is_constant_like(ref: str) -> bool:
    """PEP 8 constants and enum members: ``RLP``, ``_MASK``, ``Perm.read``.

    Set-uses are recorded only for such references (the name or the class
    holding it is capitalised); lowercase names are locals and calls, which
    would make the facts large for nothing.
    """
    parts = ref.split(".")
    return parts[-1] not in _SINGLETONS and any(_starts_upper(p) for p in parts[-2:])


_SINGLETONS = frozenset({"None", "True", "False", "NotImplemented", "Ellipsis"})


def _starts_upper(name: str) -> bool:
    stripped = name.lstrip("_")
    return bool(stripped) and stripped[0].isupper()

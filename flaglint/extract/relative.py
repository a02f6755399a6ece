"""Relative imports made absolute against the importing module's name.

Syntax-free, so that both extraction paths use it: the libcst visitor
(``scopes.py``) and the fast path for data modules, which never imports
libcst.
"""

from __future__ import annotations

from typing import Optional


def absolute_module(module: str, is_package: bool, level: int, name: str) -> Optional[str]:
    """Resolve ``from ..x import y`` against the importing module's name."""
    if level == 0:
        return name
    package = module.split(".") if module else []
    if not is_package:
        package = package[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)

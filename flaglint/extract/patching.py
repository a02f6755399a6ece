"""Test doubles that turn a flag on: ``monkeypatch.setattr`` and ``mock.patch``.

A project's tests often switch a flag on for one test instead of assigning
it::

    monkeypatch.setattr(settings, "ENABLE_X", True)
    monkeypatch.setattr("pkg.settings.ENABLE_X", True)
    with mock.patch.object(settings, "ENABLE_X", True): ...
    @patch("pkg.settings.ENABLE_X", True)

Each is a set of the attribute ``ENABLE_X``, exactly like the builtin
``setattr(settings, "ENABLE_X", True)``: the code the flag gates runs under
those tests, so it is not dead, and ``flaglint fix`` must not delete it
(jedi 0.20.1 turns ``settings.add_bracket_after_function`` on this way and
nowhere else). Recognised by the callee's last one or two names, so the
``pytest``/``unittest.mock``/``mock`` spellings and aliases such as
``mp.setattr`` all count; the attribute must be a string literal.
"""

from __future__ import annotations

from typing import Optional, Sequence

import libcst as cst

from .names import dotted
from .values import can_be_true


def patched_attribute(call: cst.Call) -> Optional[str]:
    """The attribute name a test double gives a value that can be true, else None."""
    callee = dotted(call.func) or ""
    parts = callee.split(".")
    args = [arg for arg in call.args if arg.keyword is None and not arg.star]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    if len(parts) >= 2 and parts[-1] == "setattr":  # monkeypatch.setattr / mp.setattr
        return _object_form(args, keywords.get("value")) or _dotted_form(args, keywords.get("value"))
    if parts[-2:] == ["patch", "object"]:  # [mock.]patch.object(target, "X", new)
        return _object_form(args, keywords.get("new"))
    if parts[-1] == "patch" and (len(parts) >= 2 or callee == "patch"):  # [mock.]patch("a.b.X", new)
        return _dotted_form(args, keywords.get("new"))
    return None


def _object_form(args: Sequence[cst.Arg], value: Optional[cst.BaseExpression]) -> Optional[str]:
    """``(obj, "X", value)``; a missing value is a mock, which is true."""
    if len(args) < 2:
        return None
    name = _string(args[1].value)
    value = args[2].value if len(args) >= 3 else value
    if name is None or (value is not None and not can_be_true(value)):
        return None
    return name


def _dotted_form(args: Sequence[cst.Arg], value: Optional[cst.BaseExpression]) -> Optional[str]:
    """``("pkg.mod.X", value)``: the last name of a dotted string."""
    if not args:
        return None
    target = _string(args[0].value)
    if target is None or "." not in target:
        return None
    value = args[1].value if len(args) >= 2 else value
    if value is not None and not can_be_true(value):
        return None
    return target.rsplit(".", 1)[1] or None


def _string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None

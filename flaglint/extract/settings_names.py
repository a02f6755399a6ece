"""Which Django settings module the code names: ``DJANGO_SETTINGS_MODULE``.

Django reads its settings from the module ``DJANGO_SETTINGS_MODULE`` names,
and projects name it in code: ``os.environ.setdefault("DJANGO_SETTINGS_MODULE",
"proj.settings")`` in ``manage.py``, ``wsgi.py`` and ``asgi.py``,
``os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"``, a test's
``monkeypatch.setenv``. The graph (:mod:`flaglint.graph.django_settings`)
joins ``settings.X`` to the module so named, whatever its file is called.

Only a literal name counts: a name computed at run time names no module we
could know, and guessing one would join reads to the wrong constants
(precision first: the settings modules found by file name stay).
"""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

#: the environment variable Django reads its settings module from
SETTINGS_VARIABLE = "DJANGO_SETTINGS_MODULE"
#: a dotted module name: what ``importlib.import_module`` could import
_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def module_name(text: object) -> Optional[str]:
    """``text`` when it is a dotted module name (at most 200 characters), else None."""
    if isinstance(text, str) and len(text) <= 200 and _MODULE_NAME.match(text):
        return text
    return None


def literal(node: Optional[cst.BaseExpression]) -> Optional[str]:
    """The text of a literal string, else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def named_settings(key: Optional[str], value: Optional[cst.BaseExpression]) -> Optional[str]:
    """The module an environment write ``key = value`` names as Django's
    settings: ``key`` (the variable's name, None when not a literal) the
    settings variable, ``value`` a literal dotted module name. None for any
    other write."""
    if key != SETTINGS_VARIABLE:
        return None
    return module_name(literal(value))

"""Every read and set form the core issue names is understood.

Each case is a Knight-style pair (an old name read, a new name with the same
bit set) written with one form; the exact FL003 lines prove both sides were
recognised and tied together.
"""

from __future__ import annotations

import pytest

OLD = "OLD = 0x20\n"

READ_FORMS = {
    "x & BIT": "if order.flags & OLD:",
    "BIT & x": "if OLD & order.flags:",
    "x & BIT != 0": "if order.flags & OLD != 0:",
    "(x & BIT) == BIT": "if (order.flags & OLD) == OLD:",
    "bool(x & BIT)": "if bool(order.flags & OLD):",
    "not (x & BIT == 0)": "if not (order.flags & OLD == 0):",
}

SET_FORMS = {
    "x |= BIT": "    order.flags |= NEW\n",
    "x = A | BIT": "    order.flags = ODD | NEW\n",
    "x = BIT": "    order.flags = NEW\n",
    "keyword": "    return Order(flags=NEW)\n",
}


def _project(read_line: str, set_body: str) -> dict:
    return {
        "legacy.py": f"{OLD}\ndef route(order):\n    {read_line}\n        peg(order)\n",
        "proto.py": f"NEW = 1 << 5\nODD = 0x01\n\ndef mark(order):\n{set_body}",
    }


@pytest.mark.parametrize("read_line", READ_FORMS.values(), ids=READ_FORMS.keys())
def test_read_forms(lint, read_line):
    findings = lint(_project(read_line, SET_FORMS["x |= BIT"]))
    assert [(f.code, f.path, f.line, f.flag) for f in findings] == [
        ("FL003", "legacy.py", 5, "legacy.OLD"),
        ("FL003", "proto.py", 1, "proto.NEW"),
    ]


@pytest.mark.parametrize("set_body", SET_FORMS.values(), ids=SET_FORMS.keys())
def test_set_forms(lint, set_body):
    findings = lint(_project(READ_FORMS["x & BIT"], set_body))
    assert [(f.code, f.path, f.line) for f in findings] == [("FL003", "legacy.py", 5), ("FL003", "proto.py", 1)]


IMPORT_FORMS = {
    "from a import B": ("from pkg.flags import ENABLE_X", "ENABLE_X"),
    "import a as x": ("import pkg.flags as fl", "fl.ENABLE_X"),
    "import a.b": ("import pkg.flags", "pkg.flags.ENABLE_X"),
    "from . import b": ("from . import flags", "flags.ENABLE_X"),
    "relative from": ("from .flags import ENABLE_X", "ENABLE_X"),
    "package re-export": ("from pkg import ENABLE_X", "ENABLE_X"),
    "module alias": ("from pkg.flags import ENABLE_X as E\nALIAS = E", "ALIAS"),
}


@pytest.mark.parametrize("import_line, ref", IMPORT_FORMS.values(), ids=IMPORT_FORMS.keys())
def test_reads_resolve_through_imports(lint, import_line, ref):
    findings = lint(
        {
            "pkg/__init__.py": "from .flags import ENABLE_X\n",
            "pkg/flags.py": "ENABLE_X = False\n",
            "pkg/app.py": f"{import_line}\n\ndef f():\n    if {ref}:\n        g()\n",
        }
    )
    body_line = import_line.count("\n") + 5
    assert [(f.code, f.path, f.line, f.flag) for f in findings] == [
        ("FL002", "pkg/app.py", body_line, "pkg.flags.ENABLE_X"),
        ("FL001", "pkg/flags.py", 1, "pkg.flags.ENABLE_X"),
    ]


TRUTH_FORMS = {
    "if": ("if ENABLE_X:\n        g()\n", 5),
    "elif": ("if a:\n        pass\n    elif ENABLE_X:\n        g()\n", 7),
    "and": ("a = ENABLE_X and g()\n", 4),
    "while": ("while ENABLE_X:\n        g()\n", 5),
    "is True": ("if ENABLE_X is True:\n        g()\n", 5),
    "if not / else": ("if not ENABLE_X:\n        pass\n    else:\n        g()\n", 7),
    "or with not": ("x = (not ENABLE_X) or g()\n", 4),
    "guard clause": ("if not ENABLE_X:\n        return\n    g()\n    h()\n", 6),
}


@pytest.mark.parametrize("body, line", TRUTH_FORMS.values(), ids=TRUTH_FORMS.keys())
def test_truth_forms_gate_code(lint, body, line):
    findings = lint({"app.py": f"ENABLE_X = False\n\ndef f(a):\n    {body}"}, select=["FL002"])
    assert [(f.code, f.line) for f in findings] == [("FL002", line)]


def test_flag_enum_members_read_with_in_and_is(lint):
    findings = lint(
        {
            "perm.py": (
                "import enum\n\nclass Perm(enum.IntFlag):\n    R = enum.auto()\n    W = enum.auto()\n"
                "    LEGACY = 4\n    EXEC = 4\n\n"
                "def f(p):\n    if Perm.LEGACY in p:\n        old()\n    if p is Perm.R:\n        pass\n"
                "    return Perm.EXEC | Perm.R\n"
            )
        }
    )
    assert [(f.code, f.line, f.flag) for f in findings] == [
        ("FL003", 7, "perm.Perm.EXEC"),
        ("FL003", 11, "perm.Perm.LEGACY"),
    ]

"""Reasons a flag can be on carry a code; the audit's "set at" asks the code,
never the English text (issue 15: "a reason is an enum code with a location")."""

from __future__ import annotations

import pickle

from conftest import write_tree
from flaglint.audit import audit
from flaglint.audit.setters import names_to_find
from flaglint.graph.reasons import Reason, SetBy


def test_names_to_find_reads_codes_not_words():
    reworded = [
        ("a.py", "ENABLE_X", [Reason(SetBy.ATTRIBUTE_ASSIGNMENT, "some code stores it on an object")]),
        ("b.py", "ENABLE_Y", [Reason(SetBy.GLOBAL_ASSIGNMENT, "a function rebinds it")]),
        # the old English text without its code is just words
        ("c.py", "ENABLE_Z", ["an attribute assignment", "a global assignment"]),
    ]
    assert names_to_find(reworded) == ({"ENABLE_X"}, {"b.py": {"ENABLE_Y"}})


def test_a_reason_reads_as_its_text_and_survives_pickling():
    reason = Reason(SetBy.ENV_SOURCE, "set in .env:3", (".env", 3))
    assert reason == "set in .env:3" and str(reason) == "set in .env:3"
    again = pickle.loads(pickle.dumps(reason))
    assert (again, again.code, again.location) == (reason, SetBy.ENV_SOURCE, (".env", 3))


def test_graph_reasons_carry_codes_and_locations(tmp_path):
    write_tree(
        tmp_path,
        {
            "app.py": (
                "import os\n\nENABLE_X = False\nENABLE_G = False\n\n\ndef on(obj):\n    obj.ENABLE_X = True\n\n\n"
                "def enable():\n    global ENABLE_G\n    ENABLE_G = True\n\n\n"
                "def f():\n    if ENABLE_X or ENABLE_G:\n        g()\n    if os.getenv('BETA'):\n        g()\n"
            ),
            ".env": "BETA=1\n",
        },
    )
    flags = {entry.short: entry for entry in audit(["."], cwd=tmp_path, ages=False).flags}
    assert [(reason.code, reason.location) for reason in flags["ENABLE_X"].set_by] == [
        (SetBy.ATTRIBUTE_ASSIGNMENT, None)
    ]
    assert [(reason.code, reason.location) for reason in flags["ENABLE_G"].set_by] == [(SetBy.GLOBAL_ASSIGNMENT, None)]
    assert [(reason.code, reason.location) for reason in flags["env:BETA"].set_by] == [(SetBy.ENV_SOURCE, (".env", 1))]
    assert [(str(site), site.note) for site in flags["ENABLE_X"].setters] == [("app.py:8", "attribute assignment")]
    assert [(str(site), site.note) for site in flags["ENABLE_G"].setters] == [("app.py:13", "global assignment")]


def test_the_graph_builds_and_the_analysis_decides():
    """Issue 15: every verdict lives in graph/analysis.py; the graph only
    joins facts, so the rules and the audit cannot ask it for a second opinion."""
    from dataclasses import fields

    from flaglint.graph.analysis import FlagAnalysis
    from flaglint.graph.build import Flag, FlagGraph

    verdicts = ("set_by", "key_set_by", "undeclared", "always_on", "override_notes", "is_read", "unused")
    assert [name for name in verdicts if hasattr(FlagGraph, name)] == []
    assert [name for name in verdicts if not hasattr(FlagAnalysis, name)] == []
    assert "set_by" not in {field.name for field in fields(Flag)}

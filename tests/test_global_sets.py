"""``global X`` then X bound by a tuple, a loop or a ``with``: X is set.

A function that declares a module flag global and rebinds it through any
binding target (``_seen, PAUSED = record, computed``) may turn it on, as a
plain ``PAUSED = computed`` does. The same binding without ``global`` (in
that function) binds a local and sets nothing."""

from __future__ import annotations

import pytest

HEAD = "PAUSED = False\n\n\n"
READ = "\n\ndef handle():\n    if PAUSED:\n        return 'paused'\n    return 'ok'\n"


@pytest.mark.parametrize(
    "setter",
    [
        "def refresh(record):\n    global PAUSED\n    _seen, PAUSED = record, bool(record)\n",
        "def refresh(records):\n    global PAUSED\n    [PAUSED, _rest] = records\n",
        "def refresh(records):\n    global PAUSED\n    for PAUSED in records:\n        pass\n",
        "def refresh(lock):\n    global PAUSED\n    with lock as PAUSED:\n        pass\n",
    ],
)
def test_a_global_rebound_by_any_target_is_set(lint, setter):
    assert lint({"app.py": HEAD + setter + READ}) == ()


@pytest.mark.parametrize(
    "setter",
    [
        "def refresh(record):\n    _seen, PAUSED = record, bool(record)\n    return PAUSED\n",  # a local
        "def declare():\n    global PAUSED\n\n\ndef refresh(records):\n    for PAUSED in records:\n        pass\n",
    ],
)
def test_the_same_binding_of_a_local_sets_nothing(lint, setter):
    assert [(f.code, f.path, f.span.line) for f in lint({"app.py": HEAD + setter + READ})][:1] == [
        ("FL001", "app.py", 1)
    ]

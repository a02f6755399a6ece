"""A flag a project's tests turn on with ``monkeypatch.setattr`` or
``mock.patch`` is set: not FL001, and its code is not FL002 (so ``fix``
leaves it alone; jedi 0.20.1's ``add_bracket_after_function`` is one)."""

from __future__ import annotations

import pytest

SETTINGS = "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n"

TURNED_ON = {
    "monkeypatch object": "def test(monkeypatch):\n    monkeypatch.setattr(settings, 'ENABLE_X', True)\n",
    "monkeypatch path": "def test(monkeypatch):\n    monkeypatch.setattr('settings.ENABLE_X', True)\n",
    "monkeypatch keyword": "def test(mp):\n    mp.setattr(settings, 'ENABLE_X', value=1)\n",
    "patch.object": "from unittest import mock\n\ndef test():\n    with mock.patch.object(settings, 'ENABLE_X', True):\n        pass\n",
    "patch.object, a mock": "from unittest.mock import patch\n\n@patch.object(settings, 'ENABLE_X')\ndef test(x):\n    pass\n",
    "patch path": "from unittest.mock import patch\n\n@patch('settings.ENABLE_X', True)\ndef test():\n    pass\n",
    "mock.patch new=": "import mock\n\n@mock.patch('settings.ENABLE_X', new=True)\ndef test():\n    pass\n",
}

NOT_TURNED_ON = {
    "patched to False": "def test(monkeypatch):\n    monkeypatch.setattr(settings, 'ENABLE_X', False)\n",
    "patched to 0 by path": "from unittest.mock import patch\n\n@patch('settings.ENABLE_X', 0)\ndef test():\n    pass\n",
    "new=None": "import mock\n\n@mock.patch.object(settings, 'ENABLE_X', new=None)\ndef test():\n    pass\n",
    "another attribute": "def test(monkeypatch):\n    monkeypatch.setattr(settings, 'ENABLE_Y', True)\n",
    "a path without a dot": "from unittest.mock import patch\n\n@patch('ENABLE_X', True)\ndef test():\n    pass\n",
    "a name, not a string": "def test(monkeypatch):\n    monkeypatch.setattr(settings, ENABLE_X, True)\n",
    "getattr is no set": "def test():\n    assert getattr(settings, 'ENABLE_X') is False\n",
}


def _codes(lint, test_body):
    findings = lint({"settings.py": SETTINGS, "test_settings.py": "import settings\n\n" + test_body})
    return [(f.code, f.path, f.line, f.flag) for f in findings]


@pytest.mark.parametrize("test_body", TURNED_ON.values(), ids=TURNED_ON.keys())
def test_a_test_double_turns_the_flag_on(lint, test_body):
    assert _codes(lint, test_body) == []


@pytest.mark.parametrize("test_body", NOT_TURNED_ON.values(), ids=NOT_TURNED_ON.keys())
def test_what_does_not_turn_it_on(lint, test_body):
    assert _codes(lint, test_body) == [
        ("FL001", "settings.py", 1, "settings.ENABLE_X"),
        ("FL002", "settings.py", 5, "settings.ENABLE_X"),
    ]

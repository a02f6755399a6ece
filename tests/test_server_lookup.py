"""Hover and go to definition without the protocol (flaglint/server/lookup.py):
the flag under a position, its audit entry as text, where it is declared."""

from __future__ import annotations

import json

from conftest import git, write_tree

from flaglint.server import lookup
from flaglint.server.state import ProjectState

FLAGD = {
    "flags": {"new-checkout": {"state": "DISABLED", "variants": {"on": True, "off": False}, "defaultVariant": "off"}}
}
APP = 'from openfeature import api\n\nclient = api.get_client()\n\nif client.get_boolean_value("new-checkout", False):\n    print(1)\n'


def _state(root):
    state = ProjectState(root, cache_dir=None)
    state.load()
    assert state.project is not None
    return state


def test_definition_of_a_key_string_is_its_flag_file_entry(tmp_path):
    write_tree(
        tmp_path,
        {
            "flaglint.toml": 'flag-sources = ["deploy/flags.json"]\n',
            "deploy/flags.json": json.dumps(FLAGD, indent=2),
            "app.py": APP,
        },
    )
    state = _state(tmp_path)
    # line 5, the cursor inside "new-checkout"
    flag = lookup.flag_at(state.project, "app.py", 5, 35)
    assert flag is not None and flag.name == "sdk:openfeature:new-checkout"
    entry = lookup.entry_for(state.project, flag, tmp_path)
    assert [(place.path, place.line) for place in lookup.declarations(flag, entry)] == [("deploy/flags.json", 3)]


def test_nothing_under_the_cursor_outside_any_read(tmp_path):
    write_tree(tmp_path, {"app.py": APP})
    state = _state(tmp_path)
    assert lookup.flag_at(state.project, "app.py", 1, 1) is None
    assert lookup.flag_at(state.project, "app.py", 6, 5) is None  # inside the gated block, not on the read
    assert lookup.flag_at(state.project, "other.py", 5, 35) is None


def test_the_hover_has_the_ages_git_knows(tmp_path):
    write_tree(tmp_path, {"flags.py": "OLD = False\n", "app.py": "import flags\n\nif flags.OLD:\n    print(1)\n"})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first", date="2020-01-02T03:04:05+00:00")
    state = _state(tmp_path)
    flag = lookup.flag_at(state.project, "app.py", 3, 4)
    assert flag is not None
    entry = lookup.entry_for(state.project, flag, tmp_path, lookup.git_blame(tmp_path))
    assert entry is not None
    now = 1577934245 + 10 * 86400  # ten days after the commit
    assert lookup.hover_text(entry, now=now).splitlines() == [
        "flags.OLD: dead (bool flag)",
        "value False, family flags",
        "defined: flags.py:1",
        "set: nowhere",
        "read: app.py:3",
        "why: nothing sets it: 1 gated line can never run",
        "why: dead in all: 1 line in 1 file",
        "introduced 2020-01-02 (10 days ago)",
        "last touched 2020-01-02 (10 days ago)",
    ]


def test_the_hover_escapes_what_the_repository_names(tmp_path):
    folder = "x\x1b[31my"
    write_tree(tmp_path, {f"{folder}/app.py": "OLD = False\n\nif OLD:\n    print(1)\n"})
    state = _state(tmp_path)
    flag = lookup.flag_at(state.project, f"{folder}/app.py", 3, 4)
    assert flag is not None
    entry = lookup.entry_for(state.project, flag, tmp_path)
    assert entry is not None
    text = lookup.hover_text(entry)
    assert "\x1b" not in text
    assert "defined: x\\x1b[31my/app.py:1" in text.splitlines()

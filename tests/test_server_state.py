"""The language server's project in memory (flaglint/server/state.py).

Its findings must be those of ``flaglint check .`` run in the same folder,
on load and after any edit; an edit in one file changes the findings of the
files it affects; bad input is an FL000 finding, never an exception.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List

import pytest
from cases import DATA, EXPECTED, case_names
from conftest import count_extractions, write_tree

from flaglint import api
from flaglint.server.state import ProjectState

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _triples(by_path: Dict[str, list]) -> List[str]:
    return [f"{f.code} {f.path}:{f.span.line} {f.flag}" for path in sorted(by_path) for f in by_path[path]]


def _checked(root: Path) -> List[str]:
    from flaglint.config import find_config, load_config

    findings = api.check(["."], config=load_config(find_config(root)), cwd=root).findings
    return [f"{f.code} {f.path}:{f.span.line} {f.flag}" for f in findings]


CASES = [("cross_module", name) for name in case_names("cross_module")] + [
    ("registries", name) for name in case_names("registries")
]


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_load_finds_what_check_finds(tmp_path, kind, name):
    root = tmp_path / name
    shutil.copytree(DATA / kind / name, root, ignore=shutil.ignore_patterns(EXPECTED))
    assert _triples(ProjectState(root, cache_dir=None).load()) == _checked(root)


@pytest.mark.parametrize("name", ["knight_capital", "feature_service"])
def test_load_finds_what_check_finds_on_the_service_fixtures(tmp_path, name):
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns("expected.json"))
    found = _triples(ProjectState(root, cache_dir=None).load())
    assert found == _checked(root)
    assert found  # the fixtures have findings: the comparison is not vacuous


def _project(tmp_path: Path) -> Path:
    write_tree(
        tmp_path,
        {
            "flags.py": "NEW_UI = False\n",
            "setup.py": "import flags\n\ndef enable():\n    flags.NEW_UI = True\n",
            "view.py": "import flags\n\nif flags.NEW_UI:\n    print('new')\n",
        },
    )
    return tmp_path


def test_deleting_the_last_setter_in_a_buffer_reports_the_read_in_another_file(tmp_path):
    root = _project(tmp_path)
    state = ProjectState(root, cache_dir=None)
    assert state.load() == {}
    found = state.update(root / "setup.py", "import flags\n\ndef enable():\n    pass\n")
    assert _triples(found) == [
        "FL001 flags.py:1 flags.NEW_UI",
        "FL002 view.py:4 flags.NEW_UI",
    ]
    # the buffer is closed unsaved: the file on disk holds again
    assert state.update(root / "setup.py", None) == {}


def test_the_buffer_is_analysed_not_the_file_on_disk(tmp_path):
    root = _project(tmp_path)
    state = ProjectState(root, cache_dir=None)
    state.load()
    state.update(root / "setup.py", "import flags\n")
    assert (root / "setup.py").read_text() == "import flags\n\ndef enable():\n    flags.NEW_UI = True\n"
    assert state.text("setup.py") == "import flags\n"


def test_a_syntax_error_while_typing_is_fl000_in_that_file(tmp_path):
    root = _project(tmp_path)
    state = ProjectState(root, cache_dir=None)
    state.load()
    found = state.update(root / "view.py", "import flags\n\nif flags.NEW_UI\n    print('new')\n")
    assert [(f.code, f.path, f.span.line) for f in found["view.py"]] == [("FL000", "view.py", 3)]


def test_a_buffer_over_the_token_budget_is_fl000_not_analysed(tmp_path):
    root = _project(tmp_path)
    write_tree(root, {"flaglint.toml": "max-file-tokens = 1000\n"})
    state = ProjectState(root, cache_dir=None)
    state.load()
    found = state.update(root / "view.py", "x = 1\n" * 2_000)
    assert [(f.code, f.path, f.message) for f in found["view.py"]] == [
        ("FL000", "view.py", "too large to analyse: 8000 tokens (limit 1000)")
    ]


def test_a_file_outside_the_root_changes_nothing(tmp_path):
    root = _project(tmp_path / "project")
    write_tree(tmp_path, {"elsewhere.py": "import flags\nif flags.X:\n    pass\n"})
    state = ProjectState(root, cache_dir=None)
    state.load()
    assert state.update(tmp_path / "elsewhere.py", "import flags\nif flags.X:\n    pass\n") == {}
    assert state.display(tmp_path / "elsewhere.py") is None


def test_a_file_excluded_by_the_configuration_is_not_analysed(tmp_path):
    root = _project(tmp_path)
    write_tree(root, {"flaglint.toml": 'exclude = ["setup.py"]\n'})
    state = ProjectState(root, cache_dir=None)
    assert _triples(state.load()) == ["FL001 flags.py:1 flags.NEW_UI", "FL002 view.py:4 flags.NEW_UI"]
    assert _triples(state.update(root / "setup.py", "import flags\nflags.NEW_UI = True\n")) == [
        "FL001 flags.py:1 flags.NEW_UI",
        "FL002 view.py:4 flags.NEW_UI",
    ]


def test_a_suppression_typed_in_a_buffer_applies(tmp_path):
    root = _project(tmp_path)
    write_tree(root, {"setup.py": "import flags\n"})
    state = ProjectState(root, cache_dir=None)
    assert _triples(state.load()) == ["FL001 flags.py:1 flags.NEW_UI", "FL002 view.py:4 flags.NEW_UI"]
    found = state.update(root / "flags.py", "NEW_UI = False  # flaglint: ignore[FL001]\n")
    assert _triples(found) == ["FL002 view.py:4 flags.NEW_UI"]


def test_a_file_created_after_the_load_is_analysed(tmp_path):
    root = _project(tmp_path)
    state = ProjectState(root, cache_dir=None)
    state.load()
    write_tree(root, {"late.py": "import flags\n"})
    found = state.update(root / "late.py", "import flags\nif flags.NEW_UI:\n    pass\n")
    assert found == {}  # set in setup.py
    found = state.update(root / "setup.py", "import flags\n")
    assert _triples(found) == [
        "FL001 flags.py:1 flags.NEW_UI",
        "FL002 late.py:3 flags.NEW_UI",
        "FL002 view.py:4 flags.NEW_UI",
    ]


def test_a_deleted_file_leaves_the_project(tmp_path):
    root = _project(tmp_path)
    state = ProjectState(root, cache_dir=None)
    state.load()
    (root / "setup.py").unlink()
    assert _triples(state.update(root / "setup.py", None)) == [
        "FL001 flags.py:1 flags.NEW_UI",
        "FL002 view.py:4 flags.NEW_UI",
    ]


def test_the_load_starts_from_the_warm_cache(tmp_path, monkeypatch):
    root = _project(tmp_path)
    assert api.check(["."], cwd=root, cache_dir=".flaglint_cache").findings == ()
    extracted = count_extractions(monkeypatch)
    assert ProjectState(root).load() == {}
    assert extracted == []


def test_an_edit_that_leaves_the_facts_equal_is_not_judged_again(tmp_path):
    root = _project(tmp_path)
    state = ProjectState(root, cache_dir=None)
    state.load()
    before = state.project
    view = "import flags\n\n# a comment typed\nif flags.NEW_UI:\n    print('new')\n"
    # a comment on its own line shifts the lines below: new facts, a new judgement
    assert state.update(root / "view.py", view) == {}
    assert state.project is not before
    judged = state.project
    # a character typed inside the comment: the same facts, the same findings, no new judgement
    assert state.update(root / "view.py", view.replace("typed", "typed!")) == {}
    assert state.project is judged
    assert state.text("view.py") == view.replace("typed", "typed!")
    # the setter removed: judged again
    assert _triples(state.update(root / "setup.py", "import flags\n")) == [
        "FL001 flags.py:1 flags.NEW_UI",
        "FL002 view.py:5 flags.NEW_UI",
    ]
    assert state.project is not judged


#: the reviewer's case: other.py's buffer (not saved) imports what the fix deletes
UNSAVED_ELSEWHERE = {
    "app/__init__.py": "",
    "app/settings.py": "ENABLE_OLD = False\n",
    "app/legacy.py": 'def old_export():\n    return "old"\n',
    "app/views.py": (
        "from app.legacy import old_export\nfrom app.settings import ENABLE_OLD\n\n\n"
        'def view():\n    if ENABLE_OLD:\n        return old_export()\n    return "new"\n'
    ),
    "app/other.py": "def other():\n    return 1\n",
}
OTHER_UNSAVED = "from app.legacy import old_export\n\n\ndef other():\n    return old_export()\n"


def test_unsaved_names_every_open_buffer_that_differs_from_disk_touched_by_the_fix_or_not(tmp_path):
    write_tree(tmp_path, UNSAVED_ELSEWHERE)
    state = ProjectState(tmp_path, cache_dir=None)
    state.load()
    views, other = tmp_path / "app" / "views.py", tmp_path / "app" / "other.py"
    buffers = {views: UNSAVED_ELSEWHERE["app/views.py"], other: OTHER_UNSAVED}
    state.update_many(dict(buffers))
    # fix reads the disk: it deletes legacy.py, which other.py's unsaved text imports
    result = state.fix("app.settings.ENABLE_OLD")
    assert "app/other.py" not in [change.display for change in result.changes]
    assert [change.display for change in result.changes if change.deleted] == ["app/legacy.py", "app/settings.py"]
    assert state.unsaved(buffers) == ["app/other.py"]
    # saved buffers, and buffers outside the root, are not unsaved
    assert state.unsaved({views: UNSAVED_ELSEWHERE["app/views.py"], other: UNSAVED_ELSEWHERE["app/other.py"]}) == []
    assert state.unsaved({tmp_path.parent / "elsewhere.py": "x = 1\n"}) == []
    # a buffer whose file is gone from disk is unsaved
    (tmp_path / "app" / "other.py").unlink()
    assert state.unsaved({other: UNSAVED_ELSEWHERE["app/other.py"]}) == ["app/other.py"]

"""Named files are judged against their whole project (the pre-commit case)."""

from __future__ import annotations

from conftest import write_tree

from flaglint import api

PROJECT = {
    "pyproject.toml": "[tool.flaglint]\n",
    "pkg/__init__.py": "",
    "pkg/settings.py": "ENABLE_X = False\nENABLE_Y = False\n",
    "pkg/boot.py": "from pkg import settings\n\ndef boot():\n    settings.ENABLE_X = True\n",
    "pkg/app.py": (
        "from pkg import settings\n\ndef f():\n    if settings.ENABLE_X:\n        g()\n"
        "    if settings.ENABLE_Y:\n        h()\n"
    ),
}


def test_flag_set_in_an_unchanged_file_is_not_reported(tmp_path, monkeypatch):
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    findings = api.check(["pkg/app.py"], cwd=tmp_path).findings
    # ENABLE_X is set in boot.py, which was not named: still not FL001/FL002.
    # ENABLE_Y is never set: its dead block in app.py is reported; its FL001
    # lives in settings.py, which was not named, so it is not shown.
    assert [(f.code, f.path, f.line, f.flag) for f in findings] == [("FL002", "pkg/app.py", 7, "pkg.settings.ENABLE_Y")]


def test_fingerprints_match_a_whole_project_run(tmp_path, monkeypatch):
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    partial = api.check(["pkg/app.py"], cwd=tmp_path).findings
    whole = {f.fingerprint: f for f in api.check(["."], cwd=tmp_path).findings}
    assert all(f.fingerprint in whole and whole[f.fingerprint].line == f.line for f in partial)


def test_without_a_project_marker_only_the_named_files_are_analysed(tmp_path, monkeypatch):
    files = {key: value for key, value in PROJECT.items() if key != "pyproject.toml"}
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    findings = api.check(["pkg/app.py", "pkg/settings.py"], cwd=tmp_path).findings
    assert sorted((f.code, f.path, f.line) for f in findings) == [
        ("FL001", "pkg/settings.py", 1),
        ("FL001", "pkg/settings.py", 2),
        ("FL002", "pkg/app.py", 5),
        ("FL002", "pkg/app.py", 7),
    ]

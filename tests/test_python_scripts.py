"""Python without a ``.py`` suffix is Python (issue 26, item 5): build
scripts (``wscript``, ``SConstruct``, ``SConscript``) and suffix-less files
whose shebang names python are analysed, so what they set counts; other
suffix-less files (a shell script) are never read as Python.

Each project under ``tests/data/scripts/`` has its exact findings beside it.
"""

from __future__ import annotations

import shutil

import pytest

from flaglint.discover import discover, python_script

from cases import DATA, actual, case_names, expected
from conftest import run_cli, write_tree


@pytest.mark.parametrize("case", case_names("scripts"))
def test_scripts_case_reports_exactly(tmp_path, monkeypatch, case):
    assert actual("scripts", case, tmp_path, monkeypatch) == expected("scripts", case)


@pytest.mark.parametrize(
    "name, first_line, python",
    [
        ("tool", "#!/usr/bin/env python3\n", True),
        ("tool", "#!/usr/bin/python2.7 -u\n", True),
        ("tool", "#! /usr/bin/env python\n", True),
        ("wscript", "", True),
        ("SConstruct", "env = Environment()\n", True),
        ("SConscript", "Import('env')\n", True),
        ("tool", "#!/bin/sh\n", False),
        ("tool", "#!/usr/bin/env pythonista\n", False),
        ("tool", "import os\n", False),
        ("tool.sh", "#!/usr/bin/env python3\n", False),
        ("Makefile", "all:\n", False),
    ],
)
def test_which_files_are_python(tmp_path, name, first_line, python):
    path = tmp_path / name
    path.write_text(first_line, encoding="utf-8")
    assert python_script(str(path), name) is python
    found = [source.display for source in discover([str(tmp_path)], cwd=str(tmp_path)).files]
    assert found == ([name] if python else [])


def test_a_script_has_no_module_name(tmp_path):
    """A script cannot be imported: it gets no module name, so nothing can
    name it and the fix never deletes it as an emptied module."""
    write_tree(tmp_path, {"bin/tool": "#!/usr/bin/env python3\nprint(1)\n", "wscript": "top = '.'\n"})
    modules = {source.display: source.module for source in discover([str(tmp_path)], cwd=str(tmp_path)).files}
    assert modules == {"bin/tool": "", "wscript": ""}


def test_fix_does_not_bake_in_a_flag_a_wscript_sets(tmp_path, monkeypatch):
    root = tmp_path / "case"
    shutil.copytree(DATA / "scripts" / "wscript_sets_flag", root, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(root)
    result = run_cli("fix", "--diff", "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "flaglint: 0 flags removed, 0 lines deleted, 0 files changed (--diff: nothing written)\n"


def test_fix_bakes_it_in_when_the_wscript_sets_nothing(tmp_path, monkeypatch):
    root = tmp_path / "case"
    shutil.copytree(DATA / "scripts" / "wscript_sets_nothing", root, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(root)
    result = run_cli("fix", "--diff", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "-    if autoconfig:\n-        ctx.reconfigure()\n" in result.stdout
    assert "flaglint: SConstruct: skipped: cannot be parsed: syntax error: invalid syntax" in result.stderr

"""Dead code across modules: FL002 and ``fix`` follow a dead block's uses
into other modules (issue 12), and never remove what something else uses
(issue 16, item 5).

Each directory under ``tests/data/cross_module/`` is one case (see its
README): ``before/`` is checked (exact findings in ``findings.txt``) and
fixed, and must become ``after/``, file for file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest
from click.testing import CliRunner

from flaglint import api
from flaglint.cli import main
from flaglint.fix import run_fix, write_changes

from conftest import write_tree

DATA = Path(__file__).resolve().parent / "data" / "cross_module"
CASES = sorted(path.name for path in DATA.iterdir() if path.is_dir())


def _files(root: Path) -> Dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and ".flaglint_cache" not in path.parts
    }


@pytest.fixture
def project(tmp_path, monkeypatch):
    def load(case: str) -> Path:
        root = tmp_path / case
        shutil.copytree(DATA / case / "before", root)
        monkeypatch.chdir(root)
        return root

    return load


def _findings(root: Path):
    return [
        f"{finding.code} {finding.path}:{finding.span.line}:{finding.span.column} {finding.flag}"
        for finding in api.check(["."], cwd=root).findings
    ]


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exactly(project, case):
    root = project(case)
    assert _findings(root) == (DATA / case / "findings.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_fix_gives_the_after_tree(project, case):
    root = project(case)
    result = CliRunner().invoke(main, ["fix", "--all"])
    assert result.exit_code == 0, result.output
    assert _files(root) == _files(DATA / case / "after")


@pytest.mark.parametrize("case", CASES)
def test_fix_is_idempotent_and_compiles(project, case):
    root = project(case)
    first = run_fix(["."], cwd=root)
    assert write_changes(first) == []
    for change in first.changes:
        if not change.deleted:
            compile(change.new, change.display, "exec")
    second = run_fix(["."], cwd=root)
    assert second.changes == [] and second.removed == []


def test_fix_result_marks_the_emptied_module_deleted(project):
    root = project("module_deleted")
    result = run_fix(["."], cwd=root)
    changes = {change.display: (change.deleted, change.new) for change in result.changes}
    assert changes["app/legacy.py"] == (True, "")
    assert not changes["app/views.py"][0]
    # left empty, and views.py no longer imports it: deleted like an empty module
    assert changes["app/settings.py"] == (True, "")
    removed = [(item.kind, item.path, item.name) for item in result.removed if item.path == "app/legacy.py"]
    assert removed == [
        ("function", "app/legacy.py", "legacy_export"),
        ("import", "app/legacy.py", "csv"),
        ("import", "app/legacy.py", "io"),
        ("function", "app/legacy.py", "_quote"),
        ("module", "app/legacy.py", "app.legacy"),
    ]
    assert result.lines_deleted == 23


def test_dead_function_points_at_its_dead_use_and_its_import(project):
    root = project("routine_in_own_module")
    finding = next(f for f in api.check(["."], cwd=root).findings if f.path == "app/legacy.py" and f.span.line == 11)
    assert (
        finding.message == "legacy_export() is only referenced from code gated by never-set flag ENABLE_LEGACY_EXPORT"
    )
    related = [(location.path, location.span.line, location.note) for location in finding.related]
    assert related == [
        ("app/settings.py", 3, "ENABLE_LEGACY_EXPORT defined here"),
        ("app/views.py", 7, "only reference, in dead code"),
        ("app/views.py", 2, "import of legacy_export, only for dead code"),
    ]
    helper = next(f for f in api.check(["."], cwd=root).findings if f.path == "app/legacy.py" and f.span.line == 23)
    assert helper.message == "_escape() is only referenced from code gated by never-set flag ENABLE_LEGACY_EXPORT"
    assert [(loc.path, loc.span.line) for loc in helper.related[1:]] == [("app/legacy.py", 19)]


def test_dead_class_is_named_as_a_class(project):
    root = project("dead_class")
    finding = next(f for f in api.check(["."], cwd=root).findings if f.path == "app/exporters.py")
    assert (
        finding.message
        == "class LegacyExporter is only referenced from code gated by never-set flag ENABLE_LEGACY_EXPORT"
    )
    assert (finding.span.line, finding.span.end_line) == (10, 17)  # the `class` line to its last method, as for a def


def test_a_module_something_still_names_is_not_deleted(project):
    root = project("module_deleted")
    (root / "app" / "conf.py").write_text('EXPORTERS = ["app.legacy"]\n', encoding="utf-8")
    result = run_fix(["."], cwd=root)
    legacy = next(change for change in result.changes if change.display == "app/legacy.py")
    assert not legacy.deleted
    assert legacy.new == '"""The old CSV export, switched off in 2019."""\n'


def test_no_cascade_leaves_other_modules_alone(project):
    root = project("routine_in_own_module")
    result = run_fix(["."], cwd=root, cascade=False)
    assert sorted(change.display for change in result.changes) == ["app/views.py"]


@pytest.mark.parametrize(
    "source, keeps",
    [
        ("def helper():\n    return 1\n\nHOOKS = {'h': globals()['helper']}\n", "a literal globals() key"),
        (
            "import sys\n\ndef helper():\n    return 1\n\ndef get(name):\n    return getattr(sys.modules[__name__], name)\n",
            "sys.modules[__name__]",
        ),
        ("def helper():\n    return 1\n\ndef get(name):\n    return globals().get(name)\n", "globals().get(name)"),
    ],
    ids=["globals-literal", "sys-modules", "globals-get"],
)
def test_names_fetched_from_a_module_stay(project, tmp_path, monkeypatch, source, keeps):
    root = tmp_path / "dyn"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "app" / "settings.py").write_text("ENABLE_X = False\n", encoding="utf-8")
    (root / "app" / "helpers.py").write_text(source, encoding="utf-8")
    (root / "app" / "views.py").write_text(
        "from app import settings\nfrom app.helpers import helper\n\n\ndef view():\n    if settings.ENABLE_X:\n        helper()\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert _findings(root) == [
        "FL001 app/settings.py:1:1 app.settings.ENABLE_X",
        "FL002 app/views.py:7:9 app.settings.ENABLE_X",
    ], keeps
    assert "app/helpers.py" not in {change.display for change in run_fix(["."], cwd=root).changes}


def test_entry_point_in_setup_cfg_stays(tmp_path, monkeypatch):
    root = tmp_path / "cfg"
    (root / "app").mkdir(parents=True)
    (root / "setup.cfg").write_text(
        "[options.entry_points]\nconsole_scripts =\n    app = app.cli:main\n", encoding="utf-8"
    )
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "app" / "settings.py").write_text("ENABLE_X = False\n", encoding="utf-8")
    (root / "app" / "cli.py").write_text("def main():\n    return 0\n", encoding="utf-8")
    (root / "app" / "views.py").write_text(
        "from app import settings\nfrom app.cli import main\n\n\ndef view():\n    if settings.ENABLE_X:\n        main()\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert [code.split()[0] for code in _findings(root)] == ["FL001", "FL002"]
    (root / "setup.cfg").unlink()
    assert "FL002 app/cli.py:1:1 app.settings.ENABLE_X" in _findings(root)  # the same tree without it: dead


def test_a_packaging_file_above_a_project_outside_git_is_not_its_own(tmp_path, monkeypatch):
    """With no repository, the walk up for entry points stops at the working
    directory: a pyproject.toml lying in a parent (say /tmp) names another
    project's commands."""
    (tmp_path / "pyproject.toml").write_text('[project.scripts]\nother = "other.cli:main"\n', encoding="utf-8")
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "app" / "settings.py").write_text("ENABLE_X = False\n", encoding="utf-8")
    (root / "app" / "cli.py").write_text("def main():\n    return 0\n", encoding="utf-8")
    (root / "app" / "views.py").write_text(
        "from app import settings\nfrom app.cli import main\n\n\ndef view():\n    if settings.ENABLE_X:\n        main()\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    assert "FL002 app/cli.py:1:1 app.settings.ENABLE_X" in _findings(root)


def test_json_related_locations_for_a_dead_function(project):
    root = project("module_deleted")
    run = subprocess.run(
        [sys.executable, "-m", "flaglint", "check", "--format", "json", "."], capture_output=True, text=True, cwd=root
    )
    assert run.returncode == 1, run.stderr
    finding = next(f for f in json.loads(run.stdout)["findings"] if f["path"] == "app/legacy.py" and f["line"] == 7)
    assert [(item["path"], item["line"], item["note"]) for item in finding["related"]] == [
        ("app/settings.py", 1, "ENABLE_LEGACY_EXPORT defined here"),
        ("app/views.py", 7, "only reference, in dead code"),
        ("app/views.py", 2, "import of legacy_export, only for dead code"),
    ]


def test_audit_counts_dead_lines_across_files(project):
    from flaglint.audit import audit, render

    root = project("routine_in_own_module")
    inventory = audit(["."], cwd=root, ages=False)
    entry = next(item for item in inventory.flags if item.name == "app.settings.ENABLE_LEGACY_EXPORT")
    # the block (views.py:7), legacy_export (11-16), _quote (19-20), _escape (23-24)
    assert (entry.gated_lines, entry.dead_lines, entry.dead_files) == (1, 11, 2)
    assert "dead in all: 11 lines in 2 files" in entry.notes
    assert inventory.summary["dead_lines"] == 11
    assert "  note     dead in all: 11 lines in 2 files\n" in render(inventory, "text")


_VIEWS = "from app import settings\nfrom app.legacy import helper\n\n\ndef view():\n    if settings.ENABLE_X:\n        helper()\n"


@pytest.mark.parametrize(
    "files",
    [
        {"app/__init__.py": "from app.legacy import helper\n", "app/legacy.py": "def helper():\n    return 1\n"},
        {"app/__init__.py": "from app.legacy import *\n", "app/legacy.py": "def helper():\n    return 1\n"},
        {
            "app/__init__.py": "",
            "app/legacy.py": "class Service:\n    def helper(self):\n        return 1\n\n\ndef helper():\n    return Service().helper()\n",
            "app/run.py": "from app.legacy import Service\n\nSERVICE = Service()\n",
        },
    ],
    ids=["package-reexport", "package-star-reexport", "method-of-a-live-class"],
)
def test_public_names_and_methods_stay(tmp_path, monkeypatch, files):
    """A package's ``__init__`` is its public API; a live class keeps every
    method (the dead block's ``helper()`` only makes the function dead)."""
    write_tree(tmp_path, {"app/settings.py": "ENABLE_X = False\n", "app/views.py": _VIEWS, **files})
    monkeypatch.chdir(tmp_path)
    found = [line for line in _findings(tmp_path) if "app/legacy.py" in line]
    if "app/run.py" in files:
        assert found == ["FL002 app/legacy.py:6:1 app.settings.ENABLE_X"]  # the function, not the method
    else:
        assert found == []


def test_a_constant_only_dead_code_used_goes_and_a_live_one_stays(project):
    root = project("routine_in_own_module")
    result = run_fix(["."], cwd=root)
    removed = [(item.kind, item.name) for item in result.removed if item.path == "app/legacy.py"]
    assert ("definition", "QUOTE") in removed and ("definition", "INDENT") not in removed
    # not a finding: FL002 reports blocks, functions and classes
    assert not any(":7:" in line and "legacy.py" in line for line in _findings(root))


def test_a_constant_with_a_side_effect_stays(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": "ENABLE_X = False\n",
            "app/legacy.py": "LOG = open('/dev/null')\nLEVEL = 3\n\n\ndef helper():\n    return LOG, LEVEL\n",
            "app/views.py": _VIEWS,
        },
    )
    monkeypatch.chdir(tmp_path)
    legacy = next(change for change in run_fix(["."], cwd=tmp_path).changes if change.display == "app/legacy.py")
    assert legacy.new == "LOG = open('/dev/null')\n"


@pytest.mark.parametrize(
    "extra, kept",
    [
        ({"pyproject.toml": '[project.scripts]\nold = "app.views:old_path"\n'}, True),
        ({"app/registry.py": "def lookup(name):\n    return globals()[name]\n"}, False),
        ({"app/registry.py": "from app import views\n\n\ndef lookup(name):\n    return getattr(views, name)\n"}, True),
        ({}, False),
    ],
    ids=["entry-point", "other-module-globals", "getattr-module", "nothing"],
)
def test_value_true_keeps_functions_something_else_runs(tmp_path, monkeypatch, extra, kept):
    """Issue 16, item 5: with ``--value true`` the fix removes functions only
    the removed branch referenced, unless an entry point or a lookup by a
    computed name may run them."""
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": "ENABLE_NEW = False\n",
            "app/views.py": (
                "from app import settings\n\n\ndef view():\n    if settings.ENABLE_NEW:\n        return 1\n"
                "    return old_path()\n\n\ndef old_path():\n    return 0\n"
            ),
            **extra,
        },
    )
    monkeypatch.chdir(tmp_path)
    result = run_fix(["."], cwd=tmp_path, flag_name="ENABLE_NEW", value=True)
    views = next(change for change in result.changes if change.display == "app/views.py")
    assert ("def old_path():" in views.new) is kept


def test_packaging_files_that_are_not_regular_files_are_not_read(tmp_path, monkeypatch):
    """A FIFO named pyproject.toml or setup.cfg must not hang the entry-point
    reader (issue 16's hostile files): it is skipped."""
    import os

    from flaglint.sources.entry_points import entry_point_names

    os.mkfifo(tmp_path / "pyproject.toml")
    (tmp_path / "setup.cfg").symlink_to("/dev/zero")
    (tmp_path / ".git").mkdir()
    assert entry_point_names([tmp_path]) == set()
    (tmp_path / "sub").mkdir()
    (tmp_path / "setup.cfg").unlink()
    (tmp_path / "setup.cfg").write_text(
        "[options.entry_points]\nconsole_scripts =\n    x = pkg.cli:main\n", encoding="utf-8"
    )
    assert entry_point_names([tmp_path / "sub"]) == {"cli", "main"}  # read from the directory above


# ------------------------------------------- issue 26: what the cascade keeps


KEPT_PROJECT = {
    "app/__init__.py": "",
    "app/settings.py": "ENABLE_LEGACY = False\n",
    "app/views.py": (
        "import re\n\nfrom app import settings\n\n"
        '_LEGACY_PREFIX = re.compile("x")\n_PLAIN = "p"\n_UNUSED = re.compile("u")\n\n\n'
        "def view(rows):\n    if settings.ENABLE_LEGACY:\n        rows = [_LEGACY_PREFIX, _PLAIN]\n    return rows\n"
    ),
}
KEPT_LINE = (
    'flaglint: app/views.py:5: kept _LEGACY_PREFIX (`_LEGACY_PREFIX = re.compile("x")`): only removed code '
    "used it, but its value may have side effects when the module is imported; remove it by hand if it has none"
)


@pytest.mark.parametrize("args", [["fix", "--diff"], ["fix", "--all"]])
def test_fix_lists_a_constant_bound_to_a_call_that_it_keeps(tmp_path, monkeypatch, args):
    write_tree(tmp_path, KEPT_PROJECT)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    kept = [line for line in result.stderr.splitlines() if ": kept " in line]
    # _PLAIN (a string) is removed; _UNUSED was unused before the fix: not the fix's to mention
    assert kept == [KEPT_LINE]
    assert "flaglint: removed definition _PLAIN from app/views.py" in result.stderr


def test_fix_lists_a_module_nothing_imports_any_more_but_that_runs_code(project):
    project("docstring_module")
    result = CliRunner().invoke(main, ["fix", "--diff"])
    assert result.exit_code == 0, result.output
    kept = [line for line in result.stderr.splitlines() if ": kept " in line]
    assert kept == [
        "flaglint: app/delta.py:1: kept module app.delta: nothing imports it any more, but it still defines "
        "or runs code at import; delete it by hand if nothing loads it by path"
    ]
    assert "flaglint: removed module app.beta from app/beta.py" in result.stderr
    assert "app.gamma" not in result.stderr.replace("app.gamma.ENABLE_GAMMA", "")  # still imported: not listed


def test_a_flag_definition_kept_outside_the_paths_is_said_once(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.flaglint]\n",  # the project: app.py is judged with settings.py
            "settings.py": "ENABLE_X = False\n",
            "app.py": "import settings\n\n\ndef f():\n    if settings.ENABLE_X:\n        return 1\n    return 0\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["fix", "--diff", "--no-cache", "app.py"])
    assert result.exit_code == 0, result.output
    mentions = [line for line in result.stderr.splitlines() if "kept" in line]
    assert mentions == ["flaglint: settings.py:1: kept the definition of ENABLE_X: its file is outside the paths given"]

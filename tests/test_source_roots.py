"""Source roots: imports resolve as Python resolves them at run time (the
project root, ``src/``, every directory holding ``manage.py``, and
``[tool.flaglint] src``); one namer for discovery and history."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaglint import api
from flaglint.cli import main
from flaglint.config import load_config
from flaglint.discover import discover
from flaglint.history.git import files_at

from conftest import git, write_tree

DATA = Path(__file__).resolve().parent / "data" / "roots"
CASES = sorted(path.name for path in DATA.iterdir() if path.is_dir())


def _expected(case: str) -> list:
    return (DATA / case / "expected.txt").read_text().splitlines()


def _actual(root: Path) -> list:
    config = load_config(root / "pyproject.toml")
    findings = api.check(["."], cwd=root, config=config).findings
    return [f"{f.code} {f.path}:{f.span.line} {f.flag}" for f in findings]


def test_every_case_is_there():
    assert CASES == ["ambiguous_roots", "configured_src", "manage_root", "no_manage_root", "src_layout"]


@pytest.mark.parametrize("case", CASES)
def test_case_gives_exactly_its_expected_findings(case, tmp_path):
    shutil.copytree(DATA / case, tmp_path / case)
    (tmp_path / case / "expected.txt").unlink()
    assert _actual(tmp_path / case) == _expected(case)


def test_a_module_is_named_under_every_root_that_contains_it(tmp_path):
    shutil.copytree(DATA / "manage_root", tmp_path / "p")
    files = {source.display: (source.module, source.aliases) for source in discover(["."], cwd=tmp_path / "p").files}
    assert files["web/core/feature_flags/__init__.py"] == ("web.core.feature_flags", ("core.feature_flags",))
    assert files["web/pages/views.py"] == ("web.pages.views", ("pages.views",))
    assert files["web/manage.py"] == ("web.manage", ("manage",))


def test_a_directory_that_is_no_package_gives_no_alias(tmp_path):
    # scripts/ has no __init__.py: a root above it does not name scripts.tool
    write_tree(tmp_path, {"pyproject.toml": "[tool.flaglint]\n", "scripts/tool.py": "", "src/app/__init__.py": ""})
    files = {source.display: (source.module, source.aliases) for source in discover(["."], cwd=tmp_path).files}
    assert files == {"scripts/tool.py": ("tool", ()), "src/app/__init__.py": ("app", ())}


def _check(root: Path, *args) -> object:
    return CliRunner().invoke(main, ["check", str(root), *args], prog_name="flaglint")


@pytest.mark.parametrize(
    "value, message",
    [
        ('"lib"', "src must be a list of strings"),
        ("[1]", "src must be a list of strings"),
        ('["missing"]', "src: 'missing' is not a directory"),
        ('["notes.txt"]', "src: 'notes.txt' is not a directory"),
    ],
)
def test_a_bad_src_entry_exits_2_naming_it(tmp_path, monkeypatch, value, message):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"pyproject.toml": f"[tool.flaglint]\nsrc = {value}\n", "notes.txt": "", "app.py": ""})
    result = _check(tmp_path)
    assert result.exit_code == 2
    assert message in result.output


def test_src_paths_are_relative_to_the_configuration_file(tmp_path, monkeypatch):
    write_tree(tmp_path, {"proj/pyproject.toml": '[tool.flaglint]\nsrc = ["lib"]\n', "proj/lib/x.py": ""})
    monkeypatch.chdir(tmp_path)
    assert load_config(tmp_path / "proj" / "pyproject.toml").src == ("lib",)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_history_names_files_as_discovery_does(tmp_path):
    # issue 15: the configuration's directory is a package below the git
    # root; discovery said ``proto``, history said ``svc.proto``
    write_tree(
        tmp_path,
        {
            "svc/pyproject.toml": "[tool.flaglint]\n",
            "svc/__init__.py": "",
            "svc/proto.py": "",
            "svc/web/manage.py": "",
            "svc/web/core/__init__.py": "",
            "svc/web/core/flags.py": "",
        },
    )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "v1")
    today = {source.display: (source.module, source.aliases) for source in discover(["svc"], cwd=tmp_path).files}
    _, revision = files_at("HEAD", ["svc"], tmp_path)
    then = {source.display: (source.module, source.aliases) for source, _ in revision}
    assert then == today
    assert today["svc/proto.py"] == ("proto", ())
    assert today["svc/web/core/flags.py"] == ("core.flags", ())


def test_discover_and_scope_no_longer_import_each_other():
    package = Path(__file__).resolve().parent.parent / "flaglint"

    def imported(name: str) -> set:
        tree = ast.parse((package / name).read_text())
        return {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}

    assert "scope" not in imported("discover.py")
    assert "discover" not in imported("scope.py")


def test_two_files_with_one_name_are_not_guessed_between(lint):
    # scripts_a/flags.py and scripts_b/flags.py are both ``flags``: an import
    # of ``flags`` could mean either (it used to mean the first one found)
    views = "from flags import ENABLE_X\n\n\ndef run():\n    if ENABLE_X:\n        return 1\n"
    files = {
        "pyproject.toml": "[tool.flaglint]\n",
        "scripts_a/flags.py": "ENABLE_X = False\n",
        "scripts_a/run.py": views,
        "scripts_b/flags.py": "ENABLE_X = False\n",
    }
    assert [(f.code, f.path) for f in lint(files)] == []
    Path("scripts_b/flags.py").unlink()  # the lint fixture runs in the project
    del files["scripts_b/flags.py"]
    assert [(f.code, f.path, f.span.line) for f in lint(files)] == [
        ("FL001", "scripts_a/flags.py", 1),
        ("FL002", "scripts_a/run.py", 6),
    ]


def test_an_alias_of_a_file_whose_own_name_is_taken_is_not_guessed_either():
    from flaglint.facts import FileFacts
    from flaglint.graph.symbols import SymbolTable

    # two files named ``tool`` (the second is not the one ``tool`` means);
    # only the first says it is also ``app.tool``: still two candidates
    first = FileFacts("a/tool.py", "tool", aliases=("app.tool",))
    second = FileFacts("b/tool.py", "tool", aliases=("app.tool",))
    lonely = FileFacts("c/x.py", "x", aliases=("pkg.x",))
    table = SymbolTable([first, second, lonely])
    assert table.primary("app.tool") is None
    assert table.primary("tool") is None
    assert table.primary("pkg.x") == "x"
    assert SymbolTable([first, FileFacts("b/other.py", "other", aliases=("app.tool",))]).primary("app.tool") is None

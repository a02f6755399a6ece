"""A progress bar on stderr while files are extracted, only when stderr is a
terminal: pipes, CI logs and ``--format json 2>&1`` never see it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from typing import List, Tuple

import pytest
from click.testing import CliRunner

from flaglint import parallel
from flaglint.cache import FactsCache
from flaglint.cli import main
from flaglint.discover import discover

from conftest import write_tree

PROJECT = {
    "flags.py": "ENABLE_X = False\n",
    "app.py": "from flags import ENABLE_X\n\ndef f():\n    if ENABLE_X:\n        go()\n",
    "other.py": "Y = 1\n",
}

#: every command that extracts, with the options that keep it self-contained
COMMANDS = [
    pytest.param(("check", "--no-cache"), id="check"),
    pytest.param(("check", "--no-cache", "--format", "json"), id="check-json"),
    pytest.param(("audit", "--no-ages"), id="audit"),
    pytest.param(("graph",), id="graph"),
    pytest.param(("fix", "--diff"), id="fix"),
    pytest.param(("extract", "--no-cache", "--out", "facts.json"), id="extract"),
]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def on_terminal(monkeypatch, capsys, *args: str) -> Tuple[int, str, str]:
    """Run flaglint with stderr on a (fake) terminal: (exit code, stdout, stderr)."""
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(SystemExit) as exited:
        main.main(list(args), prog_name="flaglint")
    return exited.value.code, capsys.readouterr().out, terminal.getvalue()


@pytest.mark.parametrize("args", COMMANDS)
def test_a_terminal_gets_a_progress_bar(project, monkeypatch, capsys, args):
    _, stdout, stderr = on_terminal(monkeypatch, capsys, *args)
    assert "Extracting facts" in stderr
    assert "[####################################]  3/3" in stderr
    assert "Extracting" not in stdout


@pytest.mark.parametrize("args", COMMANDS)
def test_no_terminal_no_progress_bar(project, args):
    result = CliRunner().invoke(main, list(args), prog_name="flaglint")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Extracting" not in result.stderr
    assert "Extracting" not in result.stdout


def test_json_without_a_terminal_stays_one_document_on_both_streams(project):
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache"], prog_name="flaglint")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert [f["code"] for f in json.loads(result.output)["findings"]] == ["FL002", "FL001"]


def test_the_bar_ends_its_line_before_the_summary(project, monkeypatch, capsys):
    code, stdout, stderr = on_terminal(monkeypatch, capsys, "check", "--no-cache")
    assert code == 1
    assert stdout.startswith("app.py:5:9: FL002 ")
    assert stderr.endswith("\nFound 2 findings in 3 files (FL001: 1, FL002: 1).\n")


def test_a_usage_error_is_on_its_own_line_after_the_bar(tmp_path, monkeypatch, capsys):
    """The bar is closed before the error is printed."""
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    code, stdout, stderr = on_terminal(monkeypatch, capsys, "check", "--against", "nosuchrev")
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[-1] == "flaglint: error: unknown revision 'nosuchrev'"


def test_against_shows_one_bar_per_batch(tmp_path, monkeypatch, capsys):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    for command in (["init", "-q"], ["add", "."], ["-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    (tmp_path / "more.py").write_text("Z = 2\n")
    _, _, stderr = on_terminal(monkeypatch, capsys, "check", "--no-cache", "--against", "HEAD")
    assert "3/3" in stderr and "4/4" in stderr  # the revision's 3 files, then today's 4


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_real_terminal_gets_the_bar_and_stdout_stays_clean(project):
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "flaglint", "check", "--no-cache", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=follower,
        cwd=project,
    )
    os.close(follower)
    stdout = process.stdout.read()
    process.wait()
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.returncode == 1
    assert b"Extracting facts" in seen and b"3/3" in seen
    assert json.loads(stdout)["summary"]["files"] == 3


# --------------------------------------------------------------------------- the callback


def reports(files, **options) -> List[Tuple[int, int]]:
    calls: List[Tuple[int, int]] = []
    parallel.extract_all(files, progress=lambda done, total: calls.append((done, total)), **options)
    return calls


@pytest.mark.parametrize("pool", [False, True], ids=["serial", "pool"])
def test_extraction_reports_zero_then_each_file(project, monkeypatch, pool):
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2 if pool else 64)
    files = discover(["."], cwd=project).files
    assert reports(files, jobs=2) == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_cache_hits_count_as_done(project):
    files = discover(["."], cwd=project).files
    cache = FactsCache(project / "cache")
    assert reports(files, jobs=1, cache=cache) == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert reports(files, jobs=1, cache=cache) == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_no_callback_no_calls(project):
    files = discover(["."], cwd=project).files
    assert [item.path for item in parallel.extract_all(files, 1)] == ["app.py", "flags.py", "other.py"]

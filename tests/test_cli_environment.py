"""The machine flaglint runs on can fail it in ways that are not bugs: the
current directory deleted under the shell, or a full disk under stdout.
Those exit 2 with the reason, never 3 ("a bug in flaglint")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_tree

from flaglint.cli import main
from flaglint.exit_codes import ExitCode

APP = {"app.py": "FLAG = False\nif FLAG:\n    print(1)\n"}


def test_a_deleted_working_directory_exits_2_with_the_reason(tmp_path):
    write_tree(tmp_path / "project", APP)
    gone = tmp_path / "gone"
    gone.mkdir()
    old = os.getcwd()
    os.chdir(gone)
    try:
        gone.rmdir()
        result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path / "project")])
    finally:
        os.chdir(old)
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.output == (
        "flaglint: error: the current directory no longer exists (was it deleted?); cd to the project and run again\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="on 3.9/3.10 the report still reaches the device at the interpreter's own flush at exit (exit 120): not mended",
)
def test_a_full_disk_under_stdout_exits_2_with_the_reason(tmp_path):
    write_tree(tmp_path, APP)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-P" if sys.version_info >= (3, 11) else "-I",
                "-m",
                "flaglint",
                "check",
                "--no-cache",
                "--format",
                "json",
                ".",
            ],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
    assert done.returncode == ExitCode.USAGE_ERROR
    assert done.stderr == "flaglint: error: cannot write: No space left on device\n"

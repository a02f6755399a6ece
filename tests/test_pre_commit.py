"""The pre-commit hook, run by real pre-commit in a throw-away git repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a git checkout of flaglint"
)

LEGACY = "POWER_PEG = 0x20\n\ndef route(order):\n    if order.flags & POWER_PEG:\n        order.peg()\n"
PROTOCOL = "RLP = 1 << 5\n\ndef mark(order):\n    order.flags |= RLP\n"
PROTOCOL_FIXED = "RLP = 1 << 6\n\ndef mark(order):\n    order.flags |= RLP\n"


def _pre_commit(cwd: Path, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "flaglint", "--verbose", "--files", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_pre_commit_fails_on_a_reused_bit_and_passes_after_the_fix(tmp_path):
    pytest.importorskip("pre_commit")
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    (project / "legacy.py").write_text(LEGACY)
    (project / "protocol.py").write_text(PROTOCOL)
    git(project, "add", ".")

    failing = _pre_commit(project, "protocol.py")  # only the new code is staged
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "protocol.py:1:1: FL003 RLP reuses bit 0x20 of POWER_PEG" in failing.stdout
    # legacy.py was not named: its read is judged but not reported
    assert not [line for line in failing.stdout.splitlines() if line.startswith("legacy.py:")]

    (project / "protocol.py").write_text(PROTOCOL_FIXED)
    git(project, "add", ".")
    passing = _pre_commit(project, "protocol.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr

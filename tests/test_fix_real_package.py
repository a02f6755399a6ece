"""``flaglint fix`` on a slice of a real project (jedi 0.20.1, see
tests/data/fix_real/README.md): its own tests pass before and after, the
diff is exactly the expected one, a second run changes nothing, and every
file still compiles. No network: the slice is vendored."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest


from conftest import run_cli

DATA = Path(__file__).resolve().parent / "data" / "fix_real"
SLICE = DATA / "jedi-0.20.1"
HAS_READLINE = importlib.util.find_spec("readline") is not None


@pytest.fixture
def jedi(tmp_path, monkeypatch):
    root = tmp_path / "jedi-0.20.1"
    shutil.copytree(SLICE, root)
    monkeypatch.chdir(root)
    return root


def _own_tests(root: Path) -> Dict[str, int]:
    """Run the project's tests in a fresh interpreter; outcome -> count."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    summary = run.stdout.strip().splitlines()[-1]
    return {outcome: int(count) for count, outcome in re.findall(r"(\d+) (passed|failed|skipped|errors?)", summary)}


def _sources(root: Path) -> Dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.py"))}


EXPECTED_TESTS = {"passed": 4} if HAS_READLINE else {"passed": 3, "skipped": 1}


def test_the_slice_tests_pass_as_released(jedi):
    assert _own_tests(jedi) == EXPECTED_TESTS


def test_diff_is_exactly_the_dead_debug_block(jedi):
    before = _sources(jedi)
    result = run_cli("fix", "--diff")
    assert result.exit_code == 0, result.output
    assert result.stdout == (DATA / "jedi-0.20.1.diff").read_text(encoding="utf-8")
    assert result.stderr.splitlines() == [
        "flaglint: jedi/utils.py:16: bakes in jedi.utils.READLINE_DEBUG=False: every binding is false; nothing in "
        "the analysed code, its flag sources or external-flags sets it (set outside the tree? declare it in "
        "external-flags)",
        "flaglint: removed definition READLINE_DEBUG from jedi/utils.py",
        "flaglint: baked in jedi.utils.READLINE_DEBUG=False",
        "flaglint: 1 flag removed, 9 lines deleted, 1 file changed (--diff: nothing written)",
    ]
    assert _sources(jedi) == before


def test_fix_keeps_the_setting_its_tests_monkeypatch(jedi):
    """``add_bracket_after_function`` is set only by ``monkeypatch.setattr``
    in jedi's test: not dead, so nothing that reads it changes."""
    before = _sources(jedi)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    after = _sources(jedi)
    assert [name for name in before if before[name] != after[name]] == ["jedi/utils.py"]
    assert b"add_bracket_after_function" in after["jedi/api/classes.py"]
    assert b"READLINE_DEBUG" not in after["jedi/utils.py"]
    for name, text in after.items():
        compile(text, name, "exec", dont_inherit=True)
    assert _own_tests(jedi) == EXPECTED_TESTS


def test_second_run_changes_nothing(jedi):
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    once = _sources(jedi)
    again = run_cli(
        "fix",
        "--all",
    )
    assert again.exit_code == 0, again.output
    assert _sources(jedi) == once
    assert again.stderr.splitlines()[-1] == "flaglint: 0 flags removed, 0 lines deleted, 0 files changed"

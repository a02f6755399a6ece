"""A hostile repository (issue 21) cannot change a result through the facts
cache, nor make flaglint write outside the tree through a symlink.

Each project is ``app.py`` with two known findings (FL001 + FL002, see
tests/test_hostile_input.py). The promises, and the test that holds each,
are listed in docs/ci.md ("Untrusted repositories").
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import List

import pytest

from flaglint.cache import FactsCache
from flaglint.facts import FileFacts

from conftest import git, run_cli, write_tree
from test_hostile_input import APP, GOOD, triples

LINK_REFUSED = "it is a symbolic link, and flaglint never writes through one (name the real file)"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    write_tree(root, {"app.py": APP})
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    """A directory outside the tree, which nothing may be written into."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "keep.txt").write_text("the user's file\n")
    return directory


def listing(directory: Path) -> List[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*"))


def check_json(*args: str):
    result = run_cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout), result.stderr


def plant_emptied_cache(root: Path, monkeypatch) -> None:
    """What an attacker with the same flaglint can write: a valid entry for
    app.py whose facts are emptied (no flag, no read, nothing gated), made
    with the attacker's own secret (they cannot know the victim's)."""
    monkeypatch.setenv("FLAGLINT_CACHE_SECRET", "the attacker's secret")
    store = FactsCache(root / ".flaglint_cache")
    key = store.key((root / "app.py").read_bytes(), "app", False)
    store.store(key, FileFacts("app.py", "app"))
    getattr(store, "save", lambda: None)()
    monkeypatch.setenv("FLAGLINT_CACHE_SECRET", "the victim's secret")


# --------------------------------------------------------------------------- a lying cache


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "untracked"])
def test_a_lying_cache_in_the_repository_changes_no_result(project, monkeypatch, committed):
    plant_emptied_cache(project, monkeypatch)
    if committed:  # the reproduction: the repository commits .flaglint_cache/
        git(project, "init", "-q")
        git(project, "add", "-f", ".")
        git(project, "commit", "-q", "-m", "a cache that lies")
    uncached = check_json("--no-cache")
    assert uncached[0] == 1 and triples(uncached[1]) == GOOD
    code, document, stderr = check_json()
    assert (code, triples(document)) == (1, GOOD)
    text = run_cli("check")
    assert text.exit_code == 1
    assert text.stdout.splitlines()[:2] == [
        "app.py:1:1: FL001 flag ENABLE_X is read in 1 place but never set: every binding is false",
        "app.py:5:9: FL002 this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X",
    ]
    if committed:
        assert text.stderr.startswith(
            "flaglint: warning: cache directory .flaglint_cache is tracked by git: running without the cache\n"
        )
        assert {
            "path": ".flaglint_cache",
            "reason": "cache directory is tracked by git: running without the cache",
        } in (document["summary"]["skipped"])
    else:  # not tracked: used, but the planted index fails its MAC and is rewritten with ours
        assert "warning" not in text.stderr
        assert len(FactsCache(project / ".flaglint_cache").keys()) == 1
        assert check_json()[:2] == (1, uncached[1])


# --------------------------------------------------------------------------- the cache and symlinks


def test_a_symlinked_cache_directory_writes_nothing_outside(project, outside):
    os.symlink(outside, project / ".flaglint_cache")
    result = run_cli("check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "flaglint: warning: cache directory .flaglint_cache is a symbolic link: running without the cache\n"
    )
    code, document, stderr = check_json()
    assert (code, triples(document), stderr) == (1, GOOD, "")
    assert {"path": ".flaglint_cache", "reason": "cache directory is a symbolic link: running without the cache"} in (
        document["summary"]["skipped"]
    )
    assert listing(outside) == ["keep.txt"]


def test_a_cache_directory_under_a_symlink_writes_nothing_outside(project, outside):
    os.symlink(outside, project / "var")
    result = run_cli("check", "--cache-dir", "var/facts")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "flaglint: warning: cache directory var/facts is reached through the symbolic link var: "
        "running without the cache\n"
    )
    assert listing(outside) == ["keep.txt"]


def test_symlinked_fan_out_directories_write_nothing_outside(project, outside):
    (project / ".flaglint_cache").mkdir()
    for first in "0123456789abcdef":
        for second in "0123456789abcdef":
            os.symlink(outside, project / ".flaglint_cache" / (first + second))
    assert run_cli("check").exit_code == 1
    assert run_cli("check").exit_code == 1
    assert listing(outside) == ["keep.txt"]


def test_a_symlinked_index_is_refused_and_nothing_is_written_outside(project, outside):
    from flaglint.cache import INDEX_NAME

    (project / ".flaglint_cache").mkdir()
    os.symlink(outside / "keep.txt", project / ".flaglint_cache" / INDEX_NAME)
    result = run_cli("check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"flaglint: warning: cache directory .flaglint_cache is holding {INDEX_NAME} as a symbolic link: "
        "running without the cache\n"
    )
    assert listing(outside) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "the user's file\n"
    assert (project / ".flaglint_cache" / INDEX_NAME).is_symlink()


# --------------------------------------------------------------------------- other files flaglint writes


def _link_out(project: Path, outside: Path, name: str) -> Path:
    target = outside / name
    target.write_text("outside, not flaglint's\n")
    os.symlink(target, project / name)
    return target


def test_write_baseline_through_a_symlink_is_refused(project, outside):
    target = _link_out(project, outside, "baseline.json")
    result = run_cli("check", "--write-baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stderr == f"flaglint: error: baseline baseline.json: cannot write: {LINK_REFUSED}\n"
    assert target.read_text() == "outside, not flaglint's\n"
    assert (project / "baseline.json").is_symlink()


def test_write_baseline_through_a_symlink_inside_the_tree_is_refused_too(project):
    (project / "real.json").write_text("{}\n")
    os.symlink("real.json", project / "baseline.json")
    result = run_cli("check", "--write-baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stderr == f"flaglint: error: baseline baseline.json: cannot write: {LINK_REFUSED}\n"
    assert (project / "real.json").read_text() == "{}\n"


@pytest.mark.parametrize("inside", [False, True], ids=["outside", "inside"])
def test_lock_through_a_symlink_is_refused(project, outside, inside):
    write_tree(project, {"perm.py": "import enum\n\nclass Perm(enum.IntFlag):\n    R = 1\n    W = 2\n"})
    assert run_cli("lock").exit_code == 0  # a real ledger, then moved behind a link
    target = (project / "real.lock") if inside else (outside / "flaglint.lock")
    os.replace(project / "flaglint.lock", target)
    os.symlink("real.lock" if inside else target, project / "flaglint.lock")
    before = target.read_bytes()
    write_tree(project, {"perm.py": "import enum\n\nclass Perm(enum.IntFlag):\n    R = 1\n    W = 2\n    X = 4\n"})
    result = run_cli("lock")
    assert result.exit_code == 2
    assert result.stderr == f"flaglint: error: {project / 'flaglint.lock'}: cannot write: {LINK_REFUSED}\n"
    assert target.read_bytes() == before
    assert (project / "flaglint.lock").is_symlink()


@pytest.mark.parametrize(
    "command", [["audit", "--output"], ["graph", "--output"], ["extract", "-o"]], ids=["audit", "graph", "extract"]
)
def test_output_through_a_symlink_is_refused(project, outside, command):
    target = _link_out(project, outside, "report.out")
    result = run_cli(*command, "report.out")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"cannot write report.out: {LINK_REFUSED}\n")
    assert target.read_text() == "outside, not flaglint's\n"


def test_output_to_a_regular_file_and_to_dev_null_still_works(project):
    """Must not: the refusal is of links only."""
    assert run_cli("audit", "--output", "audit.txt").exit_code == 0
    assert "ENABLE_X" in (project / "audit.txt").read_text()
    if os.path.exists(os.devnull) and not os.path.islink(os.devnull):
        assert run_cli("audit", "--output", os.devnull).exit_code == 0
        assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
def test_a_baseline_over_a_fifo_or_device_is_refused_and_the_node_kept(tmp_path):
    """Replacing by rename would turn a device (``/dev/full``, as root) or a
    FIFO into a regular file: refused, exit 2, the node left as it was."""
    write_tree(tmp_path, {"app.py": "FLAG = False\nif FLAG:\n    print(1)\n"})
    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    result = run_cli("check", "--no-cache", "--write-baseline", str(fifo), ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output.endswith(
        f"flaglint: error: baseline {fifo}: cannot write: it is not a regular file"
        " (a device, a FIFO or a directory); not replaced\n"
    )
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

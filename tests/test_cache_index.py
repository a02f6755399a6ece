"""The cache's one sealed index (issue 22) and its secret (issue 21):
unchanged files known by stat, racy files hashed again, one write per run,
two runs at once, pruning; and flaglint/seal.py's secret handling."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import List

import pytest

from flaglint import cache, parallel, seal
from flaglint.cache import INDEX_NAME, TABLE_NAME, FactsCache
from flaglint.facts import FileFacts

from conftest import count_extractions, write_tree
from test_cache import PROJECT, findings


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    write_tree(root, PROJECT)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def trusting(monkeypatch):
    """Files written a moment ago count as old enough to trust their stat."""
    monkeypatch.setattr(cache, "RACY_NS", -10_000_000_000)


def count_reads(monkeypatch) -> List[str]:
    read: List[str] = []
    real = parallel.read_for_cache

    def counting(path):
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(parallel, "read_for_cache", counting)
    return read


# --------------------------------------------------------------------------- stat


def test_a_warm_run_reads_no_unchanged_file(project, monkeypatch, trusting):
    cold = findings(project, cache_dir=".flaglint_cache")
    read = count_reads(monkeypatch)
    extracted = count_extractions(monkeypatch)
    assert findings(project, cache_dir=".flaglint_cache") == cold
    assert (read, extracted) == ([], [])


def test_an_edit_that_restores_mtime_and_size_is_still_seen(project, monkeypatch, trusting):
    """ctime is in the signature: ``touch -d``/``rsync -t`` cannot hide an edit."""
    cold = findings(project, cache_dir=".flaglint_cache")
    flags = project / "flags.py"
    before = flags.stat()
    flags.write_text("ENABLE_X = True \nOLD = 0x20\n", encoding="utf-8")  # same size as before
    os.utime(flags, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (flags.stat().st_size, flags.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    read = count_reads(monkeypatch)
    extracted = count_extractions(monkeypatch)
    warm = findings(project, cache_dir=".flaglint_cache")
    assert (read, extracted) == (["flags.py"], ["flags.py"])
    assert warm == findings(project) != cold
    assert not any(finding["flag"] == "flags.ENABLE_X" for finding in warm)


def test_files_younger_than_the_racy_window_are_hashed_again(project, monkeypatch):
    """Just written: their timestamps may not have ticked yet, so no stat
    record is kept; the next run reads and hashes them (and extracts none)."""
    cold = findings(project, cache_dir=".flaglint_cache")
    read = count_reads(monkeypatch)
    extracted = count_extractions(monkeypatch)
    assert findings(project, cache_dir=".flaglint_cache") == cold
    assert sorted(read) == sorted(Path(name).name for name in PROJECT)
    assert extracted == []


def _status(mtime_ns: int, ctime_ns: int) -> SimpleNamespace:
    return SimpleNamespace(
        st_mode=stat.S_IFREG | 0o644, st_mtime_ns=mtime_ns, st_ctime_ns=ctime_ns, st_size=5, st_ino=7, st_dev=9
    )


@pytest.mark.parametrize(
    "age_mtime, age_ctime, kept",
    [(3.0, 3.0, True), (1.0, 3.0, False), (3.0, 1.0, False), (2.0, 2.0, True), (1.999, 5.0, False), (-1.0, 3.0, False)],
)
def test_the_racy_rule(tmp_path, age_mtime, age_ctime, kept):
    """A record is kept only if mtime and ctime are both at least RACY_NS
    (2 s) older than the moment the read began (a future mtime never is)."""
    started = 1_000_000 * 10**9
    store = FactsCache(tmp_path / "cache")
    status = _status(started - int(age_mtime * 1e9), started - int(age_ctime * 1e9))
    store.remember(tmp_path / "m.py", status, started, "m", False, "k" * 64)
    assert (str(tmp_path / "m.py") in store._loaded().stats) is kept


def test_a_record_for_another_module_name_is_not_used(project, monkeypatch, trusting):
    store = FactsCache(project / ".flaglint_cache")
    findings(project, cache_dir=".flaglint_cache")
    store = FactsCache(project / ".flaglint_cache")
    assert store.known(project / "flags.py", "flags", False) is not None
    assert store.known(project / "flags.py", "pkg.flags", False) is None
    assert store.known(project / "flags.py", "flags", True) is None


def test_stat_records_made_by_another_extractor_are_not_used(project, monkeypatch, trusting):
    """A stat record names a key made by the extractor of its day: after an
    edit to the extractor (or another libcst) it must not vouch for that
    key, or facts (and the memo's findings) from the old code come back."""
    cold = findings(project, cache_dir=".flaglint_cache")
    assert FactsCache(project / ".flaglint_cache").known(project / "flags.py", "flags", False) is not None
    monkeypatch.setattr(cache, "_extractor_digest", lambda: "an edited extractor")
    assert FactsCache(project / ".flaglint_cache").known(project / "flags.py", "flags", False) is None
    extracted = count_extractions(monkeypatch)
    assert findings(project, cache_dir=".flaglint_cache") == cold
    assert sorted(extracted) == sorted(PROJECT)


# --------------------------------------------------------------------------- one index, written once


def test_a_warm_run_without_changes_does_not_rewrite_the_index(project, trusting):
    findings(project, cache_dir=".flaglint_cache")
    index = project / ".flaglint_cache" / INDEX_NAME
    before = index.stat()
    findings(project, cache_dir=".flaglint_cache")
    after = index.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(path.name for path in (project / ".flaglint_cache").iterdir()) == [
        ".gitignore",
        "CACHEDIR.TAG",
        "analysis",  # the memo (flaglint/memo.py)
        INDEX_NAME,
        TABLE_NAME,
    ]


def test_a_cold_run_writes_the_index_once(project, monkeypatch):
    replaced: List[str] = []
    real = os.replace

    def counting(source, destination):
        replaced.append(Path(destination).name)
        return real(source, destination)

    monkeypatch.setattr(os, "replace", counting)
    findings(project, cache_dir=".flaglint_cache", jobs=2)
    # the facts once, the stat table made from them, then the memo (flaglint/memo.py)
    assert replaced == [INDEX_NAME, TABLE_NAME, "analysis"]


def test_two_runs_at_once_agree_and_leave_a_sound_index(project):
    """Two processes write the same index: each replaces it whole (the later
    merges what the earlier wrote), so both succeed and a third run finds
    every file's facts."""
    command = [sys.executable, "-m", "flaglint", "check", "--format", "json"]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert outputs[0] == outputs[1]
    assert outputs[0][1] == b""
    assert len(FactsCache(project / ".flaglint_cache").keys()) == len(PROJECT)


# --------------------------------------------------------------------------- pruning


def test_entries_unused_for_max_age_are_dropped(project, tmp_path, monkeypatch):
    findings(project, cache_dir=".flaglint_cache")
    old = FactsCache(project / ".flaglint_cache").keys()
    assert len(old) == len(PROJECT)
    later = time.time() + cache.MAX_AGE + 60
    monkeypatch.setattr(cache.time, "time", lambda: later)
    other = tmp_path / "other"
    write_tree(other, {"solo.py": "X = 1\n"})
    monkeypatch.chdir(other)
    findings(other, cache_dir=project / ".flaglint_cache")
    kept = FactsCache(project / ".flaglint_cache").keys()
    assert len(kept) == 1 and not kept & old


def test_entries_used_by_the_run_are_kept_whatever_their_age(project, monkeypatch):
    findings(project, cache_dir=".flaglint_cache")
    later = time.time() + cache.MAX_AGE + 60
    monkeypatch.setattr(cache.time, "time", lambda: later)
    (project / "new.py").write_text("Y = 2\n", encoding="utf-8")  # something to save
    findings(project, cache_dir=".flaglint_cache")
    assert len(FactsCache(project / ".flaglint_cache").keys()) == len(PROJECT) + 1


def test_the_index_is_bounded(project, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    findings(project, cache_dir=".flaglint_cache")
    assert len(FactsCache(project / ".flaglint_cache").keys()) == 3
    store = FactsCache(project / ".flaglint_cache")
    assert len(store._loaded().stats) <= 3


# --------------------------------------------------------------------------- the secret


@pytest.fixture
def user_secret(tmp_path, monkeypatch) -> Path:
    """No shared secret: the per-user one, in a temporary user cache directory."""
    monkeypatch.delenv(seal.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    seal._file_secret.cache_clear()
    yield tmp_path / "xdg" / "flaglint" / "secret"
    seal._file_secret.cache_clear()


def test_seal_round_trip_and_tampering():
    blob = seal.seal(b"facts")
    assert seal.unseal(blob) == b"facts"
    assert seal.unseal(blob[:-1] + b"X") is None
    assert seal.unseal(bytes([blob[0] ^ 1]) + blob[1:]) is None
    assert seal.unseal(b"short") is None
    assert seal.unseal(b"") is None


def test_another_secret_does_not_verify(monkeypatch):
    blob = seal.seal(b"facts")
    monkeypatch.setenv(seal.ENV, "another secret")
    assert seal.unseal(blob) is None
    assert seal.unseal(seal.seal(b"facts")) == b"facts"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_user_secret_is_created_once_private(user_secret):
    assert seal.secret_path() == user_secret
    blob = seal.seal(b"facts")
    assert stat.S_IMODE(user_secret.stat().st_mode) == 0o600
    content = user_secret.read_bytes()
    assert len(content.strip()) == 64
    seal._file_secret.cache_clear()  # as a new process would
    assert seal.unseal(blob) == b"facts"
    assert user_secret.read_bytes() == content


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_readable_secret_file_is_not_trusted(user_secret):
    user_secret.parent.mkdir(parents=True)
    user_secret.write_text("a" * 64 + "\n")
    os.chmod(user_secret, 0o644)
    blob = seal.seal(b"facts")
    os.environ[seal.ENV] = "a" * 64  # the same secret, through the environment: still not what was used
    try:
        assert seal.unseal(blob) is None
    finally:
        del os.environ[seal.ENV]
    assert user_secret.read_text() == "a" * 64 + "\n"  # left as it was


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlinked_secret_is_not_followed(user_secret, tmp_path):
    planted = tmp_path / "planted"
    planted.write_text("b" * 64 + "\n")
    os.chmod(planted, 0o600)
    user_secret.parent.mkdir(parents=True)
    os.symlink(planted, user_secret)
    blob = seal.seal(b"facts")
    os.environ[seal.ENV] = "b" * 64
    try:
        assert seal.unseal(blob) is None  # the planted secret was not the key
    finally:
        del os.environ[seal.ENV]
    assert planted.read_text() == "b" * 64 + "\n"


def test_a_cache_made_under_one_secret_is_cold_under_another(project, monkeypatch):
    findings(project, cache_dir=".flaglint_cache")
    monkeypatch.setenv(seal.ENV, "a CI runner with another secret")
    extracted = count_extractions(monkeypatch)
    assert FactsCache(project / ".flaglint_cache").keys() == set()
    findings(project, cache_dir=".flaglint_cache")
    assert sorted(extracted) == sorted(PROJECT)
    monkeypatch.setenv(seal.ENV, "flaglint tests")
    assert FactsCache(project / ".flaglint_cache").keys() == set(), "rewritten under the second secret"


def test_facts_store_and_load(tmp_path):
    store = FactsCache(tmp_path / "cache")
    facts = FileFacts("m.py", "m")
    store.store("k", facts)
    store.save()
    assert FactsCache(tmp_path / "cache").load("k") == facts

"""The facts cache: a warm run skips extraction and never changes a result."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Union

import pytest

import flaglint
from flaglint import api, cache, parallel, seal
from flaglint.cache import MAGIC, FactsCache
from flaglint.extract import extract as extract_module
from flaglint.facts import FileFacts, Problem

from conftest import count_extractions, run_cli, write_tree

#: Every rule fires: FL000 (bad.py), FL001 + FL002 (ENABLE_X, OLD), FL003 (Perm.EXEC).
PROJECT: Dict[str, Union[str, bytes]] = {
    "flags.py": "ENABLE_X = False\nOLD = 0x20\n",
    "app/__init__.py": "",
    "app/orders.py": (
        "from flags import ENABLE_X, OLD\n\n"
        "def route(order):\n"
        "    if ENABLE_X:\n"
        "        legacy(order)\n"
        "    if order.flags & OLD:\n"
        "        power_peg(order)\n\n"
        "def legacy(order):\n"
        "    return order\n"
    ),
    "app/perm.py": "import enum\n\nclass Perm(enum.IntFlag):\n    R = 1\n    W = 2\n    X = 4\n    EXEC = 4\n",
    "bad.py": "def f(:\n",
    "latin.py": b"# -*- coding: latin-1 -*-\nNAME = '\xe9'\n",
}


def entries(directory: Path) -> List[str]:
    """The keys of the cache's index in ``directory`` (none if it has no valid index)."""
    return sorted(FactsCache(directory).keys())


def findings(root: Path, **options) -> List[dict]:
    return [finding.to_dict() for finding in api.check(["."], cwd=root, **options).findings]


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    write_tree(root, PROJECT)
    monkeypatch.chdir(root)
    return root


# --------------------------------------------------------------------------- same results


def test_cold_warm_and_no_cache_give_identical_json(project):
    cold = run_cli("check", "--format", "json")
    assert entries(project / ".flaglint_cache"), "the cold run cached nothing"
    warm = run_cli("check", "--format", "json")
    uncached = run_cli("check", "--format", "json", "--no-cache")
    codes = {finding["code"] for finding in json.loads(uncached.stdout)["findings"]}
    assert codes == {"FL000", "FL001", "FL002", "FL003"}, "the project should exercise every rule"
    assert cold.exit_code == warm.exit_code == uncached.exit_code == 1
    assert cold.stdout == warm.stdout == uncached.stdout
    assert cold.stderr == warm.stderr == uncached.stderr


def test_pool_runs_use_the_cache_and_agree(project, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    serial = findings(project)
    cold = findings(project, jobs=2, cache_dir=".flaglint_cache")
    assert len(entries(project / ".flaglint_cache")) == len(PROJECT)
    seen = count_extractions(monkeypatch)
    warm = findings(project, jobs=2, cache_dir=".flaglint_cache")
    assert seen == []
    assert cold == warm == serial


def test_the_same_file_elsewhere_is_reported_at_its_own_path(tmp_path, monkeypatch):
    """Entries are keyed by content and module, not by path: a hit from another
    checkout must still name this checkout's file."""
    shared = tmp_path / "shared-cache"
    for name in ("one", "two"):
        write_tree(tmp_path / name, PROJECT)
    monkeypatch.chdir(tmp_path / "one")
    first = findings(tmp_path / "one", cache_dir=shared)
    monkeypatch.chdir(tmp_path)
    seen = count_extractions(monkeypatch)
    second = api.check(["two"], cwd=tmp_path, cache_dir=shared).findings
    assert seen == [], "the second checkout should be served from the cache"
    assert second, "the project has findings"
    assert [(f["code"], "two/" + f["path"], f["line"], f["message"]) for f in first] == [
        (f.code, f.path, f.span.line, f.message) for f in second
    ]


# --------------------------------------------------------------------------- warm runs


def test_a_warm_run_does_not_extract(project, monkeypatch):
    cold = findings(project, cache_dir=".flaglint_cache")

    def refuse(*args, **kwargs):
        raise AssertionError("a warm run must not extract")

    monkeypatch.setattr(parallel, "_extract", refuse)
    monkeypatch.setattr(extract_module, "extract_bytes", refuse)  # parallel imports them when it extracts
    monkeypatch.setattr(extract_module, "extract_file", refuse)
    monkeypatch.setattr(extract_module, "_extract", refuse)
    assert findings(project, cache_dir=".flaglint_cache") == cold


def test_changing_a_file_invalidates_only_its_entry(project, monkeypatch):
    findings(project, cache_dir=".flaglint_cache")
    before = set(entries(project / ".flaglint_cache"))
    (project / "flags.py").write_text("ENABLE_X = True\nOLD = 0x20\n", encoding="utf-8")
    seen = count_extractions(monkeypatch)
    warm = findings(project, cache_dir=".flaglint_cache")
    assert seen == ["flags.py"]
    after = set(entries(project / ".flaglint_cache"))
    assert len(after - before) == 1 and before <= after
    assert warm == findings(project), "the edit must show in the findings"
    assert not any(f["flag"] == "flags.ENABLE_X" for f in warm)


def test_module_name_is_part_of_the_key(project, monkeypatch):
    """The same bytes under another module name are extracted again."""
    findings(project, cache_dir=".flaglint_cache")
    shutil.copy(project / "app" / "orders.py", project / "app" / "orders_copy.py")
    seen = count_extractions(monkeypatch)
    findings(project, cache_dir=".flaglint_cache")
    assert seen == ["app/orders_copy.py"]


# --------------------------------------------------------------------------- damage


def _truncate(index: Path) -> None:
    index.write_bytes(index.read_bytes()[: index.stat().st_size // 2])


def _garbage(index: Path) -> None:
    index.write_bytes(os.urandom(300))


def _empty(index: Path) -> None:
    index.write_bytes(b"")


def _flipped_bit(index: Path) -> None:
    """A flip inside a string still unpickles, to different facts: only the MAC can tell."""
    data = bytearray(index.read_bytes())
    where = data.rindex(b"legacy")
    data[where] ^= 0x01
    index.write_bytes(bytes(data))


def _other_secret(index: Path) -> None:
    """A well-formed index sealed under another secret (what a repository can plant)."""
    blob = index.read_bytes()[len(MAGIC) :]
    payload = blob[32:]
    os.environ["FLAGLINT_CACHE_SECRET"] = "someone else"
    try:
        index.write_bytes(MAGIC + seal.seal(payload))
    finally:
        os.environ["FLAGLINT_CACHE_SECRET"] = "flaglint tests"


def _sealed_bad_pickle(index: Path) -> None:
    index.write_bytes(MAGIC + seal.seal(b"\x80\x05not a pickle at all"))


def _sealed_other_object(index: Path) -> None:
    index.write_bytes(MAGIC + seal.seal(pickle.dumps(["not", "an", "index"])))


def _directory(index: Path) -> None:
    index.unlink()
    index.mkdir()


@pytest.mark.parametrize(
    "damage",
    [_truncate, _garbage, _empty, _flipped_bit, _other_secret, _sealed_bad_pickle, _sealed_other_object, _directory],
)
def test_a_damaged_index_is_rebuilt(project, monkeypatch, damage):
    cold = findings(project, cache_dir=".flaglint_cache")
    index = project / ".flaglint_cache" / cache.INDEX_NAME
    assert index.is_file()
    damage(index)
    assert entries(project / ".flaglint_cache") == []
    seen = count_extractions(monkeypatch)
    assert findings(project, cache_dir=".flaglint_cache") == cold
    assert sorted(seen) == sorted(PROJECT)
    if damage is not _directory:  # a directory in the way: the cache is not used at all
        assert len(entries(project / ".flaglint_cache")) == len(PROJECT), "the index should have been rewritten"


CALLED: List[str] = []


def _planted():
    CALLED.append("code ran")
    return "pwned"


class _Exploit:
    def __reduce__(self):
        return (_planted, ())


def test_even_a_sealed_entry_cannot_run_code(project):
    """The MAC keeps out what others write; the restricted unpickler is the
    second wall, against an entry sealed with our own secret by a bug."""
    cold = findings(project, cache_dir=".flaglint_cache")
    store = FactsCache(project / ".flaglint_cache")
    key = store.key((project / "flags.py").read_bytes(), "flags", False)
    index = project / ".flaglint_cache" / cache.INDEX_NAME
    schema, stored, stats = pickle.loads(seal.unseal(index.read_bytes()[len(MAGIC) :]))
    stored[key] = (stored[key][0], pickle.dumps(_Exploit()))
    index.write_bytes(MAGIC + seal.seal(pickle.dumps((schema, stored, stats))))
    CALLED.clear()
    assert findings(project, cache_dir=".flaglint_cache") == cold
    assert CALLED == []


def test_readers_never_see_half_an_index(tmp_path):
    """The index is replaced atomically: while two writers keep rewriting it,
    a reader always gets one whole index, never a miss."""
    import threading

    directory = tmp_path / "cache"
    first = FactsCache(directory)
    key = first.key(b"X = 1\n", "m", False)
    facts = FileFacts("m.py", "m", attribute_sets=tuple(f"a{index}" for index in range(20_000)))
    first.store(key, facts)
    first.save()
    stop = threading.Event()

    def rewrite(tag: str) -> None:
        count = 0
        while not stop.is_set():
            writer = FactsCache(directory)
            writer.store(writer.key(b"%s%d" % (tag.encode(), count), "m", False), facts)
            writer.save()
            count += 1

    writers = [threading.Thread(target=rewrite, args=(tag,)) for tag in "ab"]
    for writer in writers:
        writer.start()
    try:
        loads = [FactsCache(directory).load(key) for _ in range(50)]
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert loads == [facts] * 50


def test_an_unwritable_cache_changes_nothing(project):
    (project / "blocked").write_text("a file where the cache directory should be\n")
    assert findings(project, cache_dir="blocked/cache") == findings(project)
    assert findings(project, cache_dir="blocked") == findings(project)


def test_a_failed_write_leaves_no_temporary_file(project, monkeypatch):
    def refuse(source, destination):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert findings(project, cache_dir=".flaglint_cache") == findings(project)
    leftovers = [path for path in (project / ".flaglint_cache").rglob("*")]
    assert sorted(path.name for path in leftovers) == [".gitignore", "CACHEDIR.TAG"]


# --------------------------------------------------------------------------- the directory


def test_the_cache_directory_ignores_itself(project):
    findings(project, cache_dir=".flaglint_cache")
    gitignore = project / ".flaglint_cache" / ".gitignore"
    assert "*" in gitignore.read_text(encoding="utf-8").splitlines()
    assert (
        (project / ".flaglint_cache" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    if shutil.which("git") is None:
        return
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "flaglint_cache" not in status
    assert "flags.py" in status


def test_an_existing_directory_gets_no_gitignore(project):
    """``--cache-dir .`` must not write a ``*`` .gitignore into the project."""
    findings(project, cache_dir=".")
    assert not (project / ".gitignore").exists()
    assert entries(project)


# --------------------------------------------------------------------------- the CLI


def test_cli_caches_in_flaglint_cache_by_default(project):
    run_cli("check")
    assert entries(project / ".flaglint_cache")


def test_cli_cache_dir(project, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "cache"
    result = run_cli("check", "--format", "json", "--cache-dir", str(elsewhere))
    assert len(entries(elsewhere)) == len(PROJECT)
    assert not (project / ".flaglint_cache").exists()
    assert (elsewhere / ".gitignore").is_file()
    assert run_cli("check", "--format", "json", "--cache-dir", str(elsewhere)).stdout == result.stdout

    relative = run_cli("check", "--cache-dir", "var/facts")
    assert relative.exit_code == 1
    assert len(entries(project / "var" / "facts")) == len(PROJECT)


def _poison(directory: Path, root: Path) -> None:
    """Store a wrong answer for flags.py, so reading the cache shows."""
    store = FactsCache(directory)
    key = store.key((root / "flags.py").read_bytes(), "flags", False)
    store.store(key, FileFacts("flags.py", "flags", problem=Problem("poisoned entry", 1, 1)))
    store.save()


def test_cli_reads_the_cache_and_no_cache_bypasses_it(project):
    _poison(project / ".flaglint_cache", project)
    assert "poisoned entry" in run_cli("check").stdout  # the cache is really read
    shutil.rmtree(project / ".flaglint_cache")
    _poison(project / ".flaglint_cache", project)
    before = entries(project / ".flaglint_cache")
    result = run_cli("check", "--no-cache", "--format", "json")
    assert "poisoned entry" not in result.stdout
    assert entries(project / ".flaglint_cache") == before, "--no-cache must not write"


def test_cli_no_cache_creates_nothing(project):
    run_cli("check", "--no-cache")
    run_cli("check", "--no-cache", "--cache-dir", "somewhere")
    assert not (project / ".flaglint_cache").exists()
    assert not (project / "somewhere").exists()


# --------------------------------------------------------------------------- the key


def test_the_key_changes_with_the_flaglint_version(monkeypatch, tmp_path):
    data = b"ENABLE_X = False\n"
    before = FactsCache(tmp_path).key(data, "flags", False)
    assert FactsCache(tmp_path).key(data, "flags", False) == before
    monkeypatch.setattr(flaglint, "__version__", flaglint.__version__ + ".post1")
    assert FactsCache(tmp_path).key(data, "flags", False) != before


def test_the_key_changes_with_the_schema_module_and_kind(monkeypatch, tmp_path):
    data = b"ENABLE_X = False\n"
    base = FactsCache(tmp_path).key(data, "flags", False)
    keys = {
        base,
        FactsCache(tmp_path).key(data + b"\n", "flags", False),
        FactsCache(tmp_path).key(data, "flags2", False),
        FactsCache(tmp_path).key(data, "flags", True),
    }
    monkeypatch.setattr(cache, "SCHEMA", cache.SCHEMA + "-next")
    keys.add(FactsCache(tmp_path).key(data, "flags", False))
    assert len(keys) == 5


def test_a_new_version_does_not_read_old_entries(project, monkeypatch):
    findings(project, cache_dir=".flaglint_cache")
    monkeypatch.setattr(flaglint, "__version__", flaglint.__version__ + ".post1")
    seen = count_extractions(monkeypatch)
    findings(project, cache_dir=".flaglint_cache")
    assert sorted(seen) == sorted(PROJECT)


def test_the_garbage_collector_is_back_on_after_a_warm_run(project):
    import gc

    findings(project, cache_dir=".flaglint_cache")
    findings(project, cache_dir=".flaglint_cache")
    assert gc.isenabled()

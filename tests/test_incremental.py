"""A second run reuses the first one's analysis only when nothing it depends on changed.

The memo (:mod:`flaglint.memo`) keeps the rules' findings under a key of
everything they depend on. These tests check that a warm run equals a cold
one after random edits (the property that matters), that the memo is really
used when nothing changed, and each way it must NOT be used.
"""

from __future__ import annotations

import os
import pickle
import random
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from conftest import count_extractions, found, run_cli, write_tree
from flaglint import api, memo, parallel
from flaglint import cache as cache_module
from flaglint import seal as seal_module
from flaglint.config import Config, load_config
from flaglint.seal import seal

CACHE = ".flaglint_cache"


@pytest.fixture
def judged(monkeypatch) -> List[int]:
    """How many times a run built the graph and ran the rules."""
    calls: List[int] = []
    real = api._judge

    def counting(gathered, config):
        calls.append(1)
        return real(gathered, config)

    monkeypatch.setattr(api, "_judge", counting)
    return calls


def _warm(root: Path, config: Config = Config(), **options):
    return api.check(["."], config, cwd=root, cache_dir=CACHE, **options)


def _cold(root: Path, config: Config = Config(), **options):
    return api.check(["."], config, cwd=root, **options)


BASE = {
    "flags.py": "NEW_UI = False\nOLD_PATH = False\nBETA = False\n",
    "app.py": (
        "import flags\n\n\ndef render():\n    if flags.NEW_UI:\n        return draw()\n    return 0\n\n\n"
        "def draw():\n    return 1\n"
    ),
    "admin.py": "import flags\n\n\ndef enable():\n    flags.BETA = True\n",
}


def test_nothing_changed_reuses_the_findings_without_building_the_graph(tmp_path, judged):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    assert len(judged) == 1
    second = _warm(tmp_path)
    assert len(judged) == 1  # the memo answered
    assert second == first
    assert sorted(found(second.findings)) == [
        ("FL001", "flags.py", 1, "flags.NEW_UI"),
        ("FL002", "app.py", 6, "flags.NEW_UI"),
        ("FL002", "app.py", 10, "flags.NEW_UI"),
    ]
    assert (tmp_path / CACHE / memo.NAME).is_file()


def test_the_memo_file_is_sealed_json(tmp_path):
    write_tree(tmp_path, BASE)
    _warm(tmp_path)
    blob = (tmp_path / CACHE / memo.NAME).read_bytes()
    assert blob == seal(blob[32:])
    assert blob[32:].startswith(b'{"format":"flaglint-analysis-2"')


def test_select_and_suppressions_are_applied_after_the_memo(tmp_path, judged):
    write_tree(tmp_path, BASE)
    _warm(tmp_path)
    only = _warm(tmp_path, select=["FL001"])
    assert len(judged) == 1
    assert found(only.findings) == [("FL001", "flags.py", 1, "flags.NEW_UI")]


def test_an_edit_recomputes(tmp_path, judged):
    write_tree(tmp_path, BASE)
    _warm(tmp_path)
    (tmp_path / "admin.py").write_text("import flags\n\n\ndef enable():\n    flags.NEW_UI = True\n")
    result = _warm(tmp_path)
    assert len(judged) == 2
    assert result.findings == ()
    assert result == _cold(tmp_path)


def test_a_configuration_change_is_not_answered_from_the_memo(tmp_path, judged):
    write_tree(tmp_path, BASE)
    _warm(tmp_path)
    write_tree(tmp_path, {"flaglint.toml": 'external-flags = ["flags.NEW_UI"]\n'})
    config = load_config(tmp_path / "flaglint.toml")
    result = _warm(tmp_path, config)
    assert len(judged) == 2
    assert result == _cold(tmp_path, config)
    assert all(finding.flag != "flags.NEW_UI" for finding in result.findings)


def test_a_flag_source_change_is_not_answered_from_the_memo(tmp_path, judged):
    write_tree(tmp_path, {"app.py": "import os\n\nif os.environ.get('NEW_UI'):\n    print(1)\n", ".env": "OTHER=1\n"})
    before = _warm(tmp_path)
    assert found(before.findings) == [("FL001", "app.py", 3, "env:NEW_UI"), ("FL002", "app.py", 4, "env:NEW_UI")]
    write_tree(tmp_path, {".env": "OTHER=1\nNEW_UI=1\n"})
    after = _warm(tmp_path)
    assert len(judged) == 2
    assert after == _cold(tmp_path)
    assert after.findings == ()


def test_a_forged_or_damaged_memo_is_ignored(tmp_path, judged):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    path = tmp_path / CACHE / memo.NAME
    forged = path.read_bytes()[32:].replace(b'"FL001"', b'"FL003"')
    for blob in (b"\x00" * 31 + forged, forged, b"", b"garbage" * 20):
        path.write_bytes(blob)
        assert _warm(tmp_path) == first
    assert len(judged) == 5


def test_a_memo_entry_of_the_wrong_shape_is_a_miss(tmp_path, judged):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    path = tmp_path / CACHE / memo.NAME
    text = path.read_bytes()[32:].decode()
    path.write_bytes(seal(text.replace('"FL001"', "17").encode()))
    assert _warm(tmp_path) == first
    assert len(judged) == 2


def test_a_fifo_in_place_of_the_memo_does_not_block(tmp_path):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    path = tmp_path / CACHE / memo.NAME
    path.unlink()
    import os

    os.mkfifo(path)
    assert _warm(tmp_path) == first


def test_no_memo_without_a_cache_or_with_a_ledger_or_a_crash(tmp_path, judged, monkeypatch):
    write_tree(tmp_path, BASE)
    _cold(tmp_path)
    _cold(tmp_path)
    assert len(judged) == 2
    assert not (tmp_path / CACHE).exists()
    api.lock(["."], Config(), cwd=tmp_path)  # a ledger: a reference the key does not cover
    gathered = api._gather(["."], Config(), tmp_path, 1, CACHE, None, None, None)
    assert gathered.reference is not None
    assert api._memo_key(gathered, Config()) is None
    _warm(tmp_path)
    _warm(tmp_path)
    assert len(judged) == 5  # two cold runs, the lock, two warm runs with a ledger
    (tmp_path / "flaglint.lock").unlink()
    # a file whose extraction crashed is not cached, so not keyed
    gathered = api._gather(["."], Config(), tmp_path, 1, CACHE, None, None, None)
    assert api._memo_key(gathered, Config()) is not None
    del gathered.keys["app.py"]
    assert api._memo_key(gathered, Config()) is None


def test_a_crash_is_never_keyed(tmp_path, monkeypatch):
    write_tree(tmp_path, {f"m{index}.py": f"X{index} = False\n" for index in range(3)})
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    monkeypatch.setattr(parallel, "_round", lambda todo, *args: list(todo))  # every worker "dies"
    keys: Dict[str, str] = {}
    cache = api._cache(tmp_path, CACHE)
    files = api._discover(["."], Config(), tmp_path).files
    facts = parallel.extract_all(files, 2, cache, None, keys=keys)
    assert [item.problem.message for item in facts if item.problem] == [
        "the parser crashed on this file (worker process died)"
    ] * 3
    assert keys == {}


def test_a_different_flaglint_is_a_different_key(monkeypatch):
    monkeypatch.setattr(memo, "code_digest", lambda: "other code")
    key = memo.project_key({"a.py": "k"}, [("a.py", ())], None, Config(), [])
    monkeypatch.undo()
    assert key is not None and key != memo.project_key({"a.py": "k"}, [("a.py", ())], None, Config(), [])


def test_the_key_is_the_same_in_every_process_despite_hash_randomisation(tmp_path):
    import subprocess
    import sys

    script = (
        "from flaglint import memo\nfrom flaglint.config import Config\nfrom flaglint.sources.model import Sources\n"
        "s = Sources(entry_points={'a', 'b', 'c', 'd', 'e'}, env_open=['x'])\n"
        "print(memo.project_key({'a.py': 'k'}, [('a.py', ('m',))], s, Config(external_flags=('A','B')), [('t', b'x')]))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONHASHSEED": str(seed)}
        ).stdout
        for seed in range(4)
    }
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_the_cli_reuses_the_memo_and_prints_the_same(tmp_path):
    write_tree(tmp_path, BASE)
    first = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    second = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert first.exit_code == second.exit_code == 1
    assert first.output == second.output
    assert (tmp_path / CACHE / memo.NAME).is_file()
    third = run_cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert third.output == first.output


# ------------------------------------------------------------ random edits

FLAGS = ("A", "B", "C", "D")


def _module(index: int) -> str:
    return (
        "import flags\nfrom flags import A\n\n\n"
        f"def f{index}():\n    if flags.B:\n        return g{index}()\n    return 0\n\n\n"
        f"def g{index}():\n    return h{index}()\n\n\n"
        f"def h{index}():\n    return {index}\n\n\n"
        f"def on{index}():\n    flags.C = True\n"
    )


def _project() -> Dict[str, str]:
    files = {"flags.py": "".join(f"{name} = False\n" for name in FLAGS)}
    files.update({f"pkg/m{index}.py": _module(index) for index in range(4)})
    files["pkg/__init__.py"] = ""
    return files


def _edit(rng: random.Random, root: Path) -> str:
    """One random edit of the project under ``root``; returns what it did."""
    modules = sorted(root.glob("pkg/m*.py"))
    kind = rng.choice(["read", "unset", "set", "rename", "delete", "create", "nothing", "comment", "env"])
    if kind in ("delete", "create") and (len(modules) <= 1 or kind == "create"):
        index = rng.randrange(10)
        (root / f"pkg/m{index}.py").write_text(_module(index))
        return f"create m{index}"
    if kind == "nothing" or not modules:
        return "nothing"
    target = rng.choice(modules)
    text = target.read_text()
    flag = rng.choice(FLAGS)
    if kind == "read":
        text += f"\n\ndef r{rng.randrange(1000)}():\n    if flags.{flag}:\n        return 1\n    return A\n"
    elif kind == "unset":
        lines = [line for line in text.splitlines() if "= True" in line]
        if lines:
            text = text.replace(rng.choice(lines) + "\n", "    pass\n", 1)
    elif kind == "set":
        text += f"\n\ndef s{rng.randrange(1000)}():\n    flags.{flag} = True\n"
    elif kind == "rename":
        names = [line[4:].split("(")[0] for line in text.splitlines() if line.startswith("def ")]
        old = rng.choice(names)
        text = text.replace(f"{old}(", f"{old}x(")
    elif kind == "delete":
        target.unlink()
        return f"delete {target.name}"
    elif kind == "comment":
        text = "# edited\n" + text
    elif kind == "env":
        env = root / ".env"
        if env.exists():
            env.unlink()
        else:
            env.write_text(f"{flag}=1\n")
        text += f"\nimport os\nif os.environ.get('{flag}'):\n    print(1)\n"
    target.write_text(text)
    return f"{kind} {target.name}"


def test_fifty_random_edits_give_a_cold_runs_findings(tmp_path, judged):
    rng = random.Random(22)
    write_tree(tmp_path, _project())
    hits = 0
    for step in range(50):
        what = _edit(rng, tmp_path)
        before = len(judged)
        warm = _warm(tmp_path)
        hits += len(judged) == before
        cold = _cold(tmp_path)
        assert warm == cold, f"step {step}: {what}"
        assert [f.fingerprint for f in warm.findings] == [f.fingerprint for f in cold.findings]
    assert hits >= 3  # some edits changed nothing: those runs were answered by the memo
    assert len(judged) - 50 >= 40  # every cold run judges; most warm ones too


# ------------------------------------- random edits touching every rule

RICH_FLAGD = {
    "new-checkout": '"new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}',
    "old-pricing": '"old-pricing": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}',
    "beta": '"beta": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}',
}
SDK_KEYS = ("new-checkout", "old-pricing", "beta", "new-chekout")
RICH_CONFIG = 'flag-sources = ["flags.json"]\nsources-complete = ["openfeature"]\n'
JOINED = (
    "FEATURES = {\n"
    '    "organizations:discover": True,\n'
    '    "organizations:integrations-discord": False,\n'
    '    "organizations:integrations-discord-notifications"\n'
    '    "organizations:integrations-opsgenie": False,\n'
    '    "projects:alert-filters": True,\n'
    "}\n"
)


def _flagd(keys) -> str:
    return '{"flags": {' + ", ".join(RICH_FLAGD[key] for key in keys) + "}}\n"


def _rich_project() -> Dict[str, str]:
    """Every rule FL001-FL006 and FL008 reports on this project, and each
    edit of :func:`_rich_edit` can turn some of them on or off: flag
    constants read and set across modules (FL001, FL002), a bit given a
    second name on one field (FL003), SDK reads against a complete flagd
    file named in the configuration (FL004 a misspelt key, FL005 a flag
    nothing reads, FL006 a flag served on), a key list with a missing comma
    (FL008), environment flags against a .env file and writes in the code."""
    files = _project()
    files.update(
        {
            "flaglint.toml": RICH_CONFIG,
            "flags.json": _flagd(["new-checkout", "old-pricing", "beta"]),
            ".env": "OTHER=1\n",
            "legacy.py": "POWER_PEG = 0x20\n\n\ndef route(order):\n    if order.flags & POWER_PEG:\n        order.peg()\n",
            "protocol.py": "RLP = 1 << 5\n\n\ndef mark(order):\n    order.flags |= RLP\n",
            "app.py": (
                "from openfeature import api\n\nclient = api.get_client()\n\n\n"
                "def view():\n    if client.get_boolean_value('new-checkout', False):\n        return 'new'\n"
                "    if client.get_boolean_value('new-chekout', False):\n        return 'typo'\n    return 'old'\n"
            ),
            "settings.py": JOINED,
            "boot.py": "import os\n\n\ndef boot():\n    os.environ['FEATURE_X'] = '1'\n",
            "envflags.py": (
                "import os\n\n\ndef run():\n    if os.environ.get('FEATURE_X'):\n        return 1\n"
                "    if os.environ.get('FEATURE_Y'):\n        return 2\n    return 0\n"
            ),
        }
    )
    return files


def _toggle(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    path.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1))


RICH_EDITS = ("module", "bit", "sdk read", "flag file", "config", "env write", "env file", "joined")


def _rich_edit(rng: random.Random, root: Path, kind: str) -> Tuple[str, Optional[str]]:
    """One random edit of kind ``kind`` of the rich project (``module``: one
    of :func:`_edit`'s); returns what it did and the Python file it edited,
    if one (the file a pre-commit hook would name)."""
    if kind == "module":
        what = _edit(rng, root)
        name = what.split()[-1] if what.split()[0] in ("read", "unset", "set", "rename", "comment", "env") else None
        return what, f"pkg/{name}" if name else None
    if kind == "bit":
        change = rng.choice(["store", "value"])
        if change == "store":
            _toggle(root / "protocol.py", "    order.flags |= RLP\n", "    pass\n")
        else:
            _toggle(root / "protocol.py", "RLP = 1 << 5\n", "RLP = 1 << 6\n")
        return f"bit {change}", "protocol.py"
    if kind == "sdk read":
        key = rng.choice(SDK_KEYS)
        with open(root / "app.py", "a") as out:
            out.write(
                f"\n\ndef f{rng.randrange(1000)}():\n    if client.get_boolean_value({key!r}, False):\n        return 1\n"
            )
        return f"sdk read {key}", "app.py"
    if kind == "flag file":
        keys = sorted(rng.sample(sorted(RICH_FLAGD), rng.randrange(1, len(RICH_FLAGD) + 1)))
        (root / "flags.json").write_text(_flagd(keys))
        return f"flag file {keys}", None
    if kind == "config":
        line = rng.choice(['sources-complete = ["openfeature"]\n', 'external-flags = ["flags.A", "env:FEATURE_Y"]\n'])
        config = root / "flaglint.toml"
        text = config.read_text()
        config.write_text(text.replace(line, "") if line in text else text + line)
        return f"config {line.strip()}", None
    if kind == "env write":
        change = rng.choice(["named", "prefix", "open"])
        written = {
            "named": "os.environ['FEATURE_X'] = '1'",
            "prefix": "os.environ['FEATURE_' + name()] = '1'",
            "open": "os.environ.update(extra())",
        }[change]
        boot = root / "boot.py"
        text = boot.read_text()
        if written in text:
            boot.write_text(text.replace(f"    {written}\n", "    pass\n", 1))
        else:
            boot.write_text(text + f"\n\ndef again():\n    {written}\n")
        return f"env write {change}", "boot.py"
    if kind == "env file":
        env = root / ".env"  # the module edits' "env" kind may have removed it
        if env.exists():
            _toggle(env, "OTHER=1\n", "OTHER=1\nFEATURE_Y=1\n")
        else:
            env.write_text("OTHER=1\nFEATURE_Y=1\n")
        return "env file", None
    _toggle(root / "settings.py", 'notifications"\n', 'notifications": True,\n')
    return "joined", "settings.py"


def _rich_config(root: Path) -> Config:
    return load_config(root / "flaglint.toml")


def test_random_edits_touching_every_rule_give_a_cold_runs_findings(tmp_path, judged):
    """Edits of code, flag files, configuration and environment writes, each
    followed by the warm ``check .``, the warm ``check FILE`` a pre-commit
    hook makes for the file edited, and a cold run: the warm findings are the
    cold ones (for the file named, the cold run's findings in that file)."""
    rng = random.Random(26)
    write_tree(tmp_path, _rich_project())
    seen = set()
    start = _cold(tmp_path, _rich_config(tmp_path))
    assert {finding.code for finding in start.findings} == {
        "FL001",
        "FL002",
        "FL003",
        "FL004",
        "FL005",
        "FL006",
        "FL008",
    }
    for step in range(40):
        what, named = _rich_edit(rng, tmp_path, RICH_EDITS[step % len(RICH_EDITS)])  # each kind in turn
        config = _rich_config(tmp_path)
        cold = _cold(tmp_path, config)
        warm = _warm(tmp_path, config)
        assert warm == cold, f"step {step}: {what}"
        assert [f.fingerprint for f in warm.findings] == [f.fingerprint for f in cold.findings]
        if named is not None and (tmp_path / named).exists():
            hook = api.check([named], config, cwd=tmp_path, cache_dir=CACHE)
            assert hook.findings == tuple(f for f in cold.findings if f.path == named), f"step {step}: {what}"
        seen |= {finding.code for finding in cold.findings}
        assert "FL000" not in seen, [(what, f.path, f.message) for f in cold.findings if f.code == "FL000"]
    assert seen == {"FL001", "FL002", "FL003", "FL004", "FL005", "FL006", "FL008"}


def test_the_collector_is_left_as_it_was_found(tmp_path, monkeypatch):
    """The graph stage and the pool freeze the heap (see api._settled_heap and
    parallel._round); a caller's collector is unfrozen and on afterwards."""
    import gc

    write_tree(tmp_path, {f"m{index}.py": f"X{index} = False\nif X{index}:\n    pass\n" for index in range(4)})
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    result = api.check(["."], cwd=tmp_path, jobs=2, cache_dir=CACHE)
    assert len(result.findings) == 8
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    project = api.analyse_project(["."], cwd=tmp_path)
    assert len(project.facts) == 4
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_text_references_are_keyed_and_the_memo_still_answers(tmp_path, judged):
    """Flag keys found in non-Python text are filled in after the graph;
    the key is of the texts themselves, so it holds across the run."""
    import shutil

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "references" / "project", root)
    config = load_config(root / "pyproject.toml")
    first = _warm(root, config)
    assert ("FL005", "ld.yaml", 9, "sdk:launchdarkly:fflag_x") in found(first.findings)
    assert _warm(root, config) == first
    assert len(judged) == 1
    banner = root / "web/src/Banner.tsx"
    banner.write_text(banner.read_text() + "\nconst more = 'fflag_x';\n")  # now fflag_x is mentioned
    after = _warm(root, config)
    assert len(judged) == 2
    assert after == _cold(root, config)
    assert ("FL005", "ld.yaml", 9, "sdk:launchdarkly:fflag_x") not in found(after.findings)


def test_the_key_covers_every_configuration_field_the_graph_reads():
    import inspect
    import re

    read = set(re.findall(r"config\.(\w+)", inspect.getsource(api.build_graph)))
    assert read == set(memo.CONFIG_FIELDS)


# --------------------------------------------------------------------------- the warm path: no fact loaded


@pytest.fixture
def trusting(monkeypatch):
    """Files written a moment ago count as old enough to trust their stat."""
    monkeypatch.setattr(cache_module, "RACY_NS", -10_000_000_000)


@pytest.fixture
def loads(monkeypatch) -> List[str]:
    """The keys whose facts were unpickled from the cache (a cold run unpickles none)."""
    seen: List[str] = []
    real = cache_module.FactsCache.load

    def counting(self, key):
        found = real(self, key)
        if found is not None:
            seen.append(key)
        return found

    monkeypatch.setattr(cache_module.FactsCache, "load", counting)
    return seen


@pytest.fixture
def reads(monkeypatch) -> List[str]:
    """The files a run read (and hashed) for the cache."""
    seen: List[str] = []
    real = parallel.read_for_cache

    def counting(path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(parallel, "read_for_cache", counting)
    return seen


def test_a_memo_hit_unpickles_no_fact_and_reads_no_file(tmp_path, trusting, judged, loads, reads):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    # cold: keying stops at the first file the cache lacks (admin.py); its bytes are passed on, not read again
    assert (len(judged), loads, sorted(reads)) == (1, [], ["admin.py", "app.py", "flags.py"])
    del reads[:]
    second = _warm(tmp_path)
    assert (len(judged), loads, reads) == (1, [], [])
    assert second == first
    assert second.files == 3


def test_without_stat_records_a_memo_hit_hashes_each_file_but_unpickles_none(tmp_path, judged, loads, reads):
    """Files younger than the racy window have no stat record (the cache's
    rule): they are read and hashed again, and the memo still answers."""
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    del reads[:]
    assert _warm(tmp_path) == first
    assert (len(judged), loads, sorted(reads)) == (1, [], ["admin.py", "app.py", "flags.py"])


def test_a_touched_file_is_hashed_once_and_the_memo_still_answers(tmp_path, trusting, judged, loads, reads):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    os.utime(tmp_path / "app.py", ns=(1, 1_000_000_000))
    del reads[:]
    assert _warm(tmp_path) == first
    assert (len(judged), loads, reads) == (1, [], ["app.py"])
    del reads[:]
    assert _warm(tmp_path) == first  # its new stat was recorded
    assert (len(judged), loads, reads) == (1, [], [])


def test_an_edit_with_a_new_stat_gives_a_cold_runs_findings(tmp_path, trusting, judged, loads):
    write_tree(tmp_path, BASE)
    _warm(tmp_path)
    (tmp_path / "admin.py").write_text("import flags\n\n\ndef enable():\n    flags.NEW_UI = True\n")
    result = _warm(tmp_path)
    assert len(judged) == 2
    assert len(loads) == 2  # the facts of the two unchanged files, for the graph
    assert result.findings == ()
    assert result == _cold(tmp_path)


def test_an_edit_that_restores_mtime_and_size_gives_a_cold_runs_findings(tmp_path, trusting, judged):
    """ctime is in the stat signature: the memo's keys cannot be fooled by
    ``touch -d`` or ``rsync -t`` after a same-size edit."""
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    admin = tmp_path / "admin.py"
    before = admin.stat()
    admin.write_text(BASE["admin.py"].replace("flags.BETA = True", "flags.NEW_UI=True"))  # same size
    os.utime(admin, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (admin.stat().st_size, admin.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = _warm(tmp_path)
    assert len(judged) == 2
    assert result == _cold(tmp_path) != first
    assert result.findings == ()


def test_a_racy_edit_in_the_same_mtime_tick_gives_a_cold_runs_findings(tmp_path, judged):
    """A file edited within the racy window of its last read (same mtime,
    same size) has no stat record, so it is hashed, and the memo misses."""
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    admin = tmp_path / "admin.py"
    before = admin.stat()
    admin.write_text(BASE["admin.py"].replace("flags.BETA = True", "flags.NEW_UI=True"))
    os.utime(admin, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = _warm(tmp_path)
    assert len(judged) == 2
    assert result == _cold(tmp_path) != first


def test_suppressions_hold_on_a_memo_hit(tmp_path, trusting, judged, loads):
    files = dict(BASE, **{"flags.py": "NEW_UI = False  # flaglint: ignore[FL001]\nOLD_PATH = False\nBETA = False\n"})
    write_tree(tmp_path, files)
    first = _warm(tmp_path)
    assert sorted(found(first.findings)) == [
        ("FL002", "app.py", 6, "flags.NEW_UI"),
        ("FL002", "app.py", 10, "flags.NEW_UI"),
    ]
    second = _warm(tmp_path)
    assert (len(judged), loads) == (1, [])
    assert second == first == _cold(tmp_path)
    key = api._memo_key(api._gather(["."], Config(), tmp_path, 1, CACHE, None, None, None), Config())
    assert key is not None
    remembered = memo.AnalysisMemo(tmp_path / CACHE).lookup(key)
    assert remembered is not None and remembered[1] == {"flags.py": {1: ("FL001",)}}


def test_a_forged_index_is_a_miss_and_the_findings_stand(tmp_path, trusting, judged, monkeypatch):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    index = tmp_path / CACHE / cache_module.INDEX_NAME
    blob = bytearray(index.read_bytes())
    blob[-5] ^= 0xFF  # a forged stat record or entry fails the MAC: nothing in it is believed
    index.write_bytes(bytes(blob))
    extracted = count_extractions(monkeypatch)
    assert _warm(tmp_path) == first
    assert sorted(extracted) == ["admin.py", "app.py", "flags.py"]
    assert cache_module.FactsCache(tmp_path / CACHE).keys()  # rewritten, sealed


def test_a_file_over_the_token_budget_turns_the_memo_off(tmp_path, trusting, judged):
    files = dict(BASE, **{"big.py": "X = [" + "1, " * 400 + "]\n"})
    write_tree(tmp_path, files)
    config = replace(Config(), max_file_tokens=500)
    first = _warm(tmp_path, config)
    assert [(f.code, f.path) for f in first.findings if f.code == "FL000"] == [("FL000", "big.py")]
    assert _warm(tmp_path, config) == first == _cold(tmp_path, config)
    assert len(judged) == 3  # never remembered (big.py has no key): the cold run judges too


def test_a_file_longer_in_bytes_than_the_budget_but_within_it_is_keyed(tmp_path, trusting, judged, loads, reads):
    files = dict(BASE, **{"long.py": "# " + "x" * 2000 + "\nY = 1\n"})
    write_tree(tmp_path, files)
    config = replace(Config(), max_file_tokens=500)
    first = _warm(tmp_path, config)
    del reads[:]
    assert _warm(tmp_path, config) == first
    assert (len(judged), loads, reads) == (1, [], ["long.py"])  # read for the budget, as extraction does


# --------------------------------------------------------------------------- the stat table


@pytest.fixture
def index_reads(monkeypatch) -> List[str]:
    """How many times a run read the whole facts index."""
    seen: List[str] = []
    real = cache_module._read_index

    def counting(path, schema):
        seen.append(Path(path).name)
        return real(path, schema)

    monkeypatch.setattr(cache_module, "_read_index", counting)
    return seen


def test_a_memo_hit_reads_the_stat_table_not_the_index(tmp_path, trusting, judged, index_reads):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    assert (tmp_path / CACHE / cache_module.TABLE_NAME).is_file()
    del index_reads[:]
    assert _warm(tmp_path) == first
    assert (len(judged), index_reads) == (1, [])


def test_a_missing_stat_table_is_written_back_on_a_memo_hit(tmp_path, trusting, judged, index_reads):
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    table = tmp_path / CACHE / cache_module.TABLE_NAME
    table.unlink()
    del index_reads[:]
    assert _warm(tmp_path) == first
    assert (len(judged), index_reads, table.is_file()) == (1, [cache_module.INDEX_NAME], True)
    del index_reads[:]
    assert _warm(tmp_path) == first
    assert index_reads == []


def test_a_forged_stat_table_is_ignored(tmp_path, trusting, judged, monkeypatch, index_reads):
    """A table sealed with another secret, whose records send every file to
    another file's key, is not believed: the index is read instead."""
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    table = tmp_path / CACHE / cache_module.TABLE_NAME
    blob = table.read_bytes()
    schema, signature, stats, keys = pickle.loads(seal_module.unseal(blob[len(cache_module.TABLE_MAGIC) :]))
    one = next(iter(stats.values()))[3]
    stats = {name: (*record[:3], one, record[4]) for name, record in stats.items()}
    monkeypatch.setenv(seal_module.ENV, "a repository's own secret")
    table.write_bytes(cache_module.TABLE_MAGIC + seal(pickle.dumps((schema, signature, stats, keys))))
    monkeypatch.setenv(seal_module.ENV, "flaglint tests")
    del index_reads[:]
    assert _warm(tmp_path) == first
    assert index_reads == [cache_module.INDEX_NAME]


def test_a_stat_table_of_another_index_is_ignored(tmp_path, trusting, judged, index_reads):
    """Another run replaced the index after the table was written: the
    table no longer describes it, so the index is read."""
    write_tree(tmp_path, BASE)
    first = _warm(tmp_path)
    index = tmp_path / CACHE / cache_module.INDEX_NAME
    index.write_bytes(index.read_bytes())  # the same bytes, another file: a new signature
    del index_reads[:]
    assert _warm(tmp_path) == first
    assert index_reads == [cache_module.INDEX_NAME]


def test_a_symlinked_stat_table_makes_the_cache_unusable(tmp_path):
    write_tree(tmp_path, BASE)
    _warm(tmp_path)
    table = tmp_path / CACHE / cache_module.TABLE_NAME
    table.unlink()
    table.symlink_to(tmp_path / "elsewhere")
    assert cache_module.unusable(tmp_path / CACHE) == f"holding {cache_module.TABLE_NAME} as a symbolic link"
    assert not (tmp_path / "elsewhere").exists()

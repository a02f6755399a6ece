"""A bit given a new name since a git revision (--against) or since the ledger."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest


from conftest import count_extractions, git, run_cli, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FLAGS_2005 = "POWER_PEG = 0x20\nODD_LOT = 0x01\n"
ROUTER_2005 = (
    "from flags import POWER_PEG, ODD_LOT\n\ndef route(order):\n    if order.flags & POWER_PEG:\n        peg(order)\n"
    "    if order.flags & ODD_LOT:\n        odd(order)\n"
)
MARKER_2005 = "from flags import ODD_LOT\n\ndef mark(order):\n    order.flags |= ODD_LOT\n"
# 2012: Power Peg's reader is gone and its bit is given to RLP
FLAGS_2012 = "RLP = 0x20\nODD_LOT = 0x01\n"
ROUTER_2012 = "from flags import ODD_LOT\n\ndef route(order):\n    if order.flags & ODD_LOT:\n        odd(order)\n"
MARKER_2012 = MARKER_2005 + "\ndef retail(order):\n    order.flags |= RLP\n"
MARKER_2012 = MARKER_2012.replace("import ODD_LOT", "import ODD_LOT, RLP")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    _write(tmp_path, FLAGS_2005, ROUTER_2005, MARKER_2005)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "2005")
    return tmp_path


def _write(root, flags, router, marker):
    (root / "flags.py").write_text(flags)
    (root / "router.py").write_text(router)
    (root / "marker.py").write_text(marker)


def test_retired_bit_given_a_new_name_is_reported_against_a_revision(repo):
    _write(repo, FLAGS_2012, ROUTER_2012, MARKER_2012)
    result = run_cli("check", ".", "--against", "HEAD")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("flags.py:1:1: FL003 RLP gives bit 0x20 of ")
    assert "it was POWER_PEG" in lines[0] and "revision " in lines[0]


def test_unchanged_names_are_never_reported(repo):
    (repo / "marker.py").write_text(MARKER_2005 + "\n# a comment\n")
    result = run_cli("check", ".", "--against", "HEAD", "--select", "FL003")
    assert result.exit_code == 0, result.stdout


def test_old_reads_still_present_are_reported_too(repo):
    # Knight exactly: the old reader survives, the bit gets a new name elsewhere
    (repo / "flags.py").write_text(FLAGS_2005 + "RLP = 0x20\n")
    (repo / "marker.py").write_text(MARKER_2012)
    result = run_cli("check", ".", "--against", "HEAD", "--select", "FL003")
    codes = [(line.split(":")[0], line.split(":")[1]) for line in result.stdout.splitlines()]
    assert codes == [("flags.py", "3"), ("router.py", "5")]


def test_ledger_catches_reuse_without_history_and_lock_refuses_it(repo):
    assert run_cli("lock", ".").exit_code == 0
    ledger = json.loads((repo / "flaglint.lock").read_text())
    assert [entry["name"] for entry in ledger["families"]["field .flags"]["0x20"]] == ["POWER_PEG"]
    _write(repo, FLAGS_2012, ROUTER_2012, MARKER_2012)

    checked = run_cli("check", ".")
    assert checked.exit_code == 1
    assert "in flaglint.lock it was POWER_PEG" in checked.stdout

    before = (repo / "flaglint.lock").read_bytes()
    refused = run_cli("lock", ".")
    assert refused.exit_code == 1
    assert "refusing to record RLP" in refused.stderr and "--rename POWER_PEG=RLP" in refused.stderr
    assert (repo / "flaglint.lock").read_bytes() == before

    assert run_cli("lock", ".", "--rename", "POWER_PEG=RLP").exit_code == 0
    entries = json.loads((repo / "flaglint.lock").read_text())["families"]["field .flags"]["0x20"]
    assert {(e["name"], e["retired"]) for e in entries} == {("POWER_PEG", True), ("RLP", False)}
    assert run_cli("check", ".").exit_code == 0


def test_lock_is_deterministic(repo):
    run_cli("lock", ".")
    first = (repo / "flaglint.lock").read_bytes()
    run_cli("lock", ".")
    assert (repo / "flaglint.lock").read_bytes() == first


@pytest.mark.parametrize(
    "args, message",
    [
        (("--against", "no-such-rev"), "unknown revision 'no-such-rev'"),
        (("--against", "HEAD~5"), "unknown revision 'HEAD~5'"),
    ],
)
def test_bad_revisions_exit_2(repo, args, message):
    result = run_cli("check", ".", *args)
    assert result.exit_code == 2
    assert result.stderr == f"flaglint: error: {message}\n"


def test_not_a_git_repository_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text("X = 1\n")
    result = run_cli("check", ".", "--against", "HEAD")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


def test_corrupt_ledger_exits_2(repo):
    (repo / "flaglint.lock").write_text("{not json")
    result = run_cli("check", ".")
    assert result.exit_code == 2
    assert "cannot read ledger" in result.stderr


def test_retired_in_one_commit_renamed_in_the_next(repo):
    """The 2012 sequence: Power Peg's reader is retired (its constant kept as
    a comment-marked leftover), then the bit is given to RLP in the next commit."""
    (repo / "flags.py").write_text("POWER_PEG = 0x20  # retired\nODD_LOT = 0x01\n")
    (repo / "router.py").write_text(ROUTER_2012)
    git(repo, "commit", "-qam", "retire power peg")
    assert run_cli("lock", ".").exit_code == 0
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "ledger")
    _write(repo, FLAGS_2012, ROUTER_2012, MARKER_2012)
    git(repo, "commit", "-qam", "2012: RLP")

    against = run_cli("check", ".", "--against", "HEAD~1", "--select", "FL003")
    assert against.exit_code == 1
    assert [line.split(": ")[0] for line in against.stdout.splitlines()] == ["flags.py:1:1"]
    assert "it was POWER_PEG" in against.stdout

    ledger = run_cli("check", ".", "--select", "FL003")
    assert ledger.exit_code == 1 and "in flaglint.lock it was POWER_PEG" in ledger.stdout

    assert run_cli("lock", ".", "--rename", "POWER_PEG=RLP").exit_code == 0
    assert run_cli("check", ".", "--select", "FL003").exit_code == 0


# --------------------------------------------------------------------------- --against through the facts cache


def test_against_extracts_only_what_changed_and_a_second_run_nothing(repo, monkeypatch):
    from flaglint import api

    (repo / "flags.py").write_text(FLAGS_2005 + "RLP = 0x20\n")  # the only file changed since HEAD
    seen = count_extractions(monkeypatch)
    cold = api.check(["."], cwd=repo, against="HEAD", cache_dir=".flaglint_cache").findings
    # the revision's three files, then today's: only flags.py differs from HEAD
    assert seen == ["flags.py", "marker.py", "router.py", "flags.py"]
    seen.clear()
    warm = api.check(["."], cwd=repo, against="HEAD", cache_dir=".flaglint_cache").findings
    assert seen == [], "a second --against run must be served from the cache"
    uncached = api.check(["."], cwd=repo, against="HEAD").findings
    assert [f.to_dict() for f in cold] == [f.to_dict() for f in warm] == [f.to_dict() for f in uncached]
    assert any(f.code == "FL003" and "revision " in f.message for f in warm)


def test_against_through_the_cli_uses_the_cache_dir(repo, monkeypatch):
    _write(repo, FLAGS_2012, ROUTER_2012, MARKER_2012)
    first = run_cli("check", ".", "--against", "HEAD")
    seen = count_extractions(monkeypatch)
    second = run_cli("check", ".", "--against", "HEAD")
    assert seen == []
    assert (first.exit_code, first.stdout) == (second.exit_code, second.stdout) == (1, first.stdout)
    seen.clear()
    run_cli("check", ".", "--against", "HEAD", "--no-cache")
    assert seen == ["flags.py", "marker.py", "router.py", "flags.py", "marker.py", "router.py"]


# --------------------------------------------------------------------------- enum members (issue 15, defect 1)

ENUM_V1 = "from enum import IntFlag\n\n\nclass OrderFlag(IntFlag):\n    NONE = 0\n    POWER_PEG = 0x20\n"
ROUTER_V1 = "from svc.proto import OrderFlag\n\n\ndef route(order, flags):\n    if flags & OrderFlag.POWER_PEG:\n        order.peg()\n"
ENUM_V2 = ENUM_V1.replace("POWER_PEG", "RLP")
ROUTER_V2 = (
    "from svc.proto import OrderFlag\n\n\ndef route(order, flags):\n    flags |= OrderFlag.RLP\n    return flags\n"
)


def _enum_repo(root, package: bool):
    """A git root whose project (its configuration's directory) is ``svc/``,
    a package or not, committed with POWER_PEG and then with RLP on its bit."""
    for args in (("init", "-q"), ("config", "user.email", "t@example.com"), ("config", "user.name", "t")):
        git(root, *args)
    files = {"svc/pyproject.toml": "[tool.flaglint]\n", "svc/proto.py": ENUM_V1, "svc/router.py": ROUTER_V1}
    write_tree(root, {**files, **({"svc/__init__.py": ""} if package else {})})
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    write_tree(root, {"svc/proto.py": ENUM_V2, "svc/router.py": ROUTER_V2})
    git(root, "commit", "-qam", "v2")


def _enum_finding(path: str, origin: str) -> str:
    return (
        f"{path}:6:5: FL003 OrderFlag.RLP gives bit 0x20 of scope proto.OrderFlag a new meaning: in {origin} it was "
        "POWER_PEG. Retired bits stay reserved: old code may still run somewhere. If this is a rename, declare it: "
        "flaglint lock --rename POWER_PEG=RLP"
    )


@pytest.mark.parametrize("package", [False, True], ids=["plain-dir", "package"])
@pytest.mark.parametrize("run_in, target, shown", [("svc", ".", "proto.py"), (".", "svc", "svc/proto.py")])
def test_retired_enum_member_whose_value_a_new_member_takes(tmp_path, monkeypatch, package, run_in, target, shown):
    """The revision's files are named the way today's are (from the project
    root, the configuration's directory), so the enum's family matches."""
    _enum_repo(tmp_path, package)
    monkeypatch.chdir(tmp_path / run_in)
    result = run_cli("check", "--against", "HEAD~1", target)
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD~1"], cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.splitlines() == [_enum_finding(shown, f"revision {commit.stdout.strip()}")]
    assert result.exit_code == 1


@pytest.mark.parametrize("package", [False, True], ids=["plain-dir", "package"])
def test_ledger_catches_a_retired_enum_member_and_lock_refuses_it(tmp_path, monkeypatch, package):
    _enum_repo(tmp_path, package)
    git(tmp_path, "checkout", "-q", "HEAD~1")
    monkeypatch.chdir(tmp_path / "svc")
    assert run_cli("lock", ".").exit_code == 0
    families = json.loads((tmp_path / "svc" / "flaglint.lock").read_text())["families"]
    assert families == {
        "scope proto.OrderFlag": {
            "0x20": [
                {
                    "first_seen": families["scope proto.OrderFlag"]["0x20"][0]["first_seen"],
                    "name": "POWER_PEG",
                    "retired": False,
                }
            ]
        }
    }
    git(tmp_path, "checkout", "-q", "-")

    checked = run_cli("check", ".")
    assert checked.stdout.splitlines() == [_enum_finding("proto.py", "flaglint.lock")]
    assert checked.exit_code == 1
    refused = run_cli("lock", ".")
    assert refused.exit_code == 1
    assert "refusing to record RLP" in refused.stderr and "--rename POWER_PEG=RLP" in refused.stderr


def test_a_package_made_since_the_revision_does_not_hide_a_reuse(tmp_path, monkeypatch):
    """v1 has no ``svc/__init__.py``, v2 adds one: ``proto`` became
    ``svc.proto``, but the revision's files are named as today's paths are."""

    _enum_repo(tmp_path, package=False)
    (tmp_path / "svc" / "pyproject.toml").unlink()
    write_tree(tmp_path, {"pyproject.toml": "[tool.flaglint]\n", "svc/__init__.py": ""})
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--against", "HEAD~1", ".")
    assert [line.split(": FL003 ")[0] for line in result.stdout.splitlines()] == ["svc/proto.py:6:5"]
    assert "of scope svc.proto.OrderFlag a new meaning" in result.stdout


# --------------------------------------------------------------------------- a class moved to another module


def _moved_repo(root, member: str):
    """v1: OrderFlag.POWER_PEG in svc/proto.py; v2: the class lives in
    svc/orders.py (proto.py deleted) and its 0x20 member is ``member``."""

    for args in (("init", "-q"), ("config", "user.email", "t@example.com"), ("config", "user.name", "t")):
        git(root, *args)
    write_tree(root, {"svc/pyproject.toml": "[tool.flaglint]\n", "svc/proto.py": ENUM_V1, "svc/router.py": ROUTER_V1})
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    (root / "svc" / "proto.py").unlink()
    router = ROUTER_V1.replace("svc.proto", "svc.orders").replace("POWER_PEG", member)
    write_tree(root, {"svc/orders.py": ENUM_V1.replace("POWER_PEG", member), "svc/router.py": router})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v2")


def test_a_class_moved_and_its_bit_renamed_is_reported(tmp_path, monkeypatch):
    _moved_repo(tmp_path, "RLP")
    monkeypatch.chdir(tmp_path / "svc")
    result = run_cli("check", "--against", "HEAD~1", "--select", "FL003", ".")
    assert [line.split(" a new meaning")[0] for line in result.stdout.splitlines()] == [
        "orders.py:6:5: FL003 OrderFlag.RLP gives bit 0x20 of scope orders.OrderFlag"
    ]
    assert "it was POWER_PEG" in result.stdout and result.exit_code == 1


def test_a_class_moved_with_its_names_is_not_a_reuse(tmp_path, monkeypatch):
    _moved_repo(tmp_path, "POWER_PEG")
    monkeypatch.chdir(tmp_path / "svc")
    result = run_cli("check", "--against", "HEAD~1", "--select", "FL003", ".")
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_moved_class_keeps_its_ledger_history(tmp_path, monkeypatch):
    _moved_repo(tmp_path, "RLP")
    git(tmp_path, "checkout", "-q", "HEAD~1")
    monkeypatch.chdir(tmp_path / "svc")
    assert run_cli("lock", ".").exit_code == 0
    git(tmp_path, "checkout", "-q", "-")
    checked = run_cli("check", "--select", "FL003", ".")
    assert checked.exit_code == 1 and "in flaglint.lock it was POWER_PEG" in checked.stdout
    refused = run_cli("lock", ".")
    assert refused.exit_code == 1 and "scope orders.OrderFlag bit 0x20: refusing to record RLP" in refused.stderr
    assert run_cli("lock", ".", "--rename", "POWER_PEG=RLP").exit_code == 0
    families = json.loads((tmp_path / "svc" / "flaglint.lock").read_text())["families"]
    assert sorted(families) == ["scope orders.OrderFlag", "scope proto.OrderFlag"]
    assert [(e["name"], e["retired"]) for e in families["scope orders.OrderFlag"]["0x20"]] == [
        ("POWER_PEG", True),
        ("RLP", False),
    ]
    assert run_cli("check", "--select", "FL003", ".").exit_code == 0


def test_moved_families_match_only_when_unambiguous():
    from flaglint.history.compare import moved_families

    assert moved_families({"scope b.Flags", "field .flags"}, {"scope a.Flags", "field .flags"}) == {
        "scope b.Flags": "scope a.Flags"
    }
    assert moved_families({"scope b.Flags", "scope c.Flags"}, {"scope a.Flags"}) == {}
    assert moved_families({"scope b.Flags"}, {"scope a.Flags", "scope z.Flags"}) == {}
    assert moved_families({"scope b.Flags", "scope a.Flags"}, {"scope a.Flags"}) == {}  # a.Flags is still there
    assert moved_families({"scope pkg.proto"}, {"scope proto"}) == {"scope pkg.proto": "scope proto"}
    assert moved_families({"field .mode"}, {"field .flags"}) == {}  # fields are not named after modules

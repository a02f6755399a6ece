"""``flaglint drift``: conflicts (FL007) between builds that run side by side,
from git revisions of a real repository or from their flaglint.lock ledgers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest


from conftest import git, run_cli, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

POWER_PEG_V1 = (
    "POWER_PEG = 0x20  # order.flags bit\n"
    "\n\n"
    "def handle_parent_order(order):\n"
    "    if order.flags & POWER_PEG:\n"
    "        run_power_peg(order)\n"
    "        return True\n"
    "    return False\n"
)
PROTOCOL_V1 = "ODD_LOT = 0x01\n\n\ndef mark_odd_lot(order):\n    order.flags |= ODD_LOT\n"
# v2: Power Peg is retired (its module deleted) and its bit given to RLP
PROTOCOL_V2 = (
    "ODD_LOT = 0x01\n"
    "RLP = 0x20\n"
    "\n\n"
    "def mark_odd_lot(order):\n"
    "    order.flags |= ODD_LOT\n"
    "\n\n"
    "def mark_retail(order):\n"
    "    order.flags |= RLP\n"
)
ROUTER = (
    "from smars.protocol import ODD_LOT\n\n\n"
    "def route(order, session):\n"
    "    if order.flags & ODD_LOT:\n"
    "        session.queue_odd_lot(order)\n"
)
V1 = {
    "smars/__init__.py": "",
    "smars/legacy/__init__.py": "",
    "smars/legacy/power_peg.py": POWER_PEG_V1,
    "smars/protocol.py": PROTOCOL_V1,
    "smars/router.py": ROUTER,
}
V2 = {**{k: v for k, v in V1.items() if k != "smars/legacy/power_peg.py"}, "smars/protocol.py": PROTOCOL_V2}
KNIGHT_MESSAGE = (
    "bit 0x20 of .flags: build {v2} sets it as RLP (smars/protocol.py:10); "
    "build {v1} reads it as POWER_PEG and runs smars/legacy/power_peg.py:6-7 when it is set"
)


def _commit(repo, files, message, delete=()):
    for relative in delete:
        (repo / relative).unlink()
    for relative, text in files.items():
        target = repo / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def _repo(root, *versions):
    """A repository with one commit per version; each version is (files, deleted)."""
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "t")
    for number, (files, deleted) in enumerate(versions, start=1):
        _commit(root, files, f"v{number}", deleted)
    return root


def _ledgers(repo, out, revisions, *lock_args):
    """Each revision's flaglint.lock as its build would write it, copied out of the repository."""
    paths = []
    for revision in revisions:
        git(repo, "checkout", "-q", revision)
        result = run_cli("lock", ".", *lock_args)
        assert result.exit_code == 0, result.output
        target = out / f"{revision.replace('~', '-')}.lock"
        shutil.move(str(repo / "flaglint.lock"), str(target))
        paths.append(str(target))
    git(repo, "checkout", "-q", "main")
    return paths


@pytest.fixture
def knight(tmp_path, monkeypatch):
    repo = _repo(tmp_path / "repo", (V1, ()), (V2, ("smars/legacy/power_peg.py",)))
    git(repo, "branch", "-M", "main")
    monkeypatch.chdir(repo)
    return repo


# --------------------------------------------------------------------------- bit conflicts


def test_v2_sets_the_bit_v1_reads_as_power_peg(knight):
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert result.exit_code == 1, result.output
    assert result.stdout == "smars/protocol.py:10:1: FL007 " + KNIGHT_MESSAGE.format(v1="HEAD~1", v2="HEAD") + "\n"
    assert result.stderr == "Found 1 conflict between 2 builds (HEAD~1, HEAD).\n"


def test_the_same_build_twice_has_no_conflict(knight):
    result = run_cli("drift", "HEAD", "HEAD")
    assert (result.exit_code, result.stdout) == (0, "")
    assert run_cli("drift", "HEAD~1", "HEAD~1").exit_code == 0


def test_the_ledgers_copied_out_give_the_same_result(knight, tmp_path):
    v1, v2 = _ledgers(knight, tmp_path, ["HEAD~1", "main"])
    result = run_cli("drift", v1, v2)
    assert result.exit_code == 1, result.output
    assert result.stdout == "smars/protocol.py:10:1: FL007 " + KNIGHT_MESSAGE.format(v1=v1, v2=v2) + "\n"
    assert run_cli("drift", v2, v2).exit_code == 0
    mixed = run_cli("drift", v1, "HEAD")  # a ledger and a revision compare the same way
    assert mixed.stdout == "smars/protocol.py:10:1: FL007 " + KNIGHT_MESSAGE.format(v1=v1, v2="HEAD") + "\n"


def test_the_json_finding_names_the_reader_and_the_gated_code(knight):
    result = run_cli("drift", "HEAD~1", "HEAD", "--format", "json")
    document = json.loads(result.stdout)
    [finding] = document["findings"]
    assert (finding["code"], finding["name"], finding["path"], finding["line"], finding["flag"]) == (
        "FL007",
        "fleet-conflict",
        "smars/protocol.py",
        10,
        "POWER_PEG",
    )
    assert [(r["path"], r["line"], r["end_line"], r["note"]) for r in finding["related"]] == [
        ("smars/legacy/power_peg.py", 6, 7, "build HEAD~1: runs when POWER_PEG is set"),
    ]
    assert document["summary"]["builds"] == ["HEAD~1", "HEAD"]
    assert result.stderr == ""


@pytest.mark.parametrize("output_format", ["sarif", "github"])
def test_other_formats(knight, output_format):
    result = run_cli("drift", "HEAD~1", "HEAD", "--format", output_format)
    assert result.exit_code == 1
    if output_format == "sarif":
        [run] = json.loads(result.stdout)["runs"]
        assert [(r["ruleId"], r["level"]) for r in run["results"]] == [("FL007", "error")]
    else:
        assert result.stdout.startswith("::error file=smars/protocol.py,line=10,")


def test_select_and_ignore(knight):
    assert run_cli("drift", "HEAD~1", "HEAD", "--ignore", "FL007").exit_code == 0
    assert run_cli("drift", "HEAD~1", "HEAD", "--select", "FL001").exit_code == 0
    assert run_cli("drift", "HEAD~1", "HEAD", "--select", "FL007").exit_code == 1
    assert run_cli("drift", "HEAD~1", "HEAD", "--exit-zero").exit_code == 0
    bad = run_cli("drift", "HEAD~1", "HEAD", "--select", "XX9")
    assert bad.exit_code == 2 and "--select" in bad.stderr


def test_three_builds_compare_every_pair(knight):
    """main and HEAD are the same commit: each conflicts with HEAD~1, not with the other."""
    result = run_cli("drift", "HEAD~1", "HEAD", "main")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "smars/protocol.py:10:1: FL007 " + KNIGHT_MESSAGE.format(v1="HEAD~1", v2="HEAD"),
        "smars/protocol.py:10:1: FL007 " + KNIGHT_MESSAGE.format(v1="HEAD~1", v2="main"),
    ]
    assert result.stderr == "Found 2 conflicts between 3 builds (HEAD~1, HEAD, main).\n"


def test_revisions_are_read_through_the_facts_cache(knight, monkeypatch):
    from flaglint import parallel

    seen = []
    real = parallel._extract

    def counting(source, data=None):
        seen.append(source.display)
        return real(source, data)

    monkeypatch.setattr(parallel, "_extract", counting)
    first = run_cli("drift", "HEAD~1", "HEAD")
    # HEAD~1's five files, then only HEAD's protocol.py: the others are the same bytes
    assert sorted(seen) == sorted([*V1, "smars/protocol.py"])
    seen.clear()
    second = run_cli("drift", "HEAD~1", "HEAD")
    assert seen == []
    assert (first.exit_code, first.stdout) == (second.exit_code, second.stdout) == (1, first.stdout)
    run_cli("drift", "HEAD~1", "HEAD", "--no-cache")
    assert len(seen) == len(V1) + len(V2)


# --------------------------------------------------------------------------- must not


def test_unchanged_bits_are_not_conflicts(tmp_path, monkeypatch):
    repo = _repo(tmp_path / "repo", (V1, ()), ({"smars/router.py": ROUTER + "\n# v2\n"}, ()))
    monkeypatch.chdir(repo)
    assert run_cli("drift", "HEAD~1", "HEAD").exit_code == 0


def test_a_bit_only_one_build_uses_is_not_a_conflict(tmp_path, monkeypatch):
    v2 = {"smars/protocol.py": PROTOCOL_V2}  # v2 adds RLP; nothing in v1 has bit 0x20
    repo = _repo(tmp_path / "repo", ({k: v for k, v in V1.items() if "power_peg" not in k}, ()), (v2, ()))
    monkeypatch.chdir(repo)
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert (result.exit_code, result.stdout) == (0, "")


# v1 sets PEG (nothing reads it any more); v2 renames it PEGGED, sets and reads it
RENAME_V1 = {
    "flags.py": "PEG = 0x20\n",
    "marker.py": "from flags import PEG\n\n\ndef mark(order):\n    order.flags |= PEG\n",
}
RENAME_V2 = {
    "flags.py": "PEGGED = 0x20\n",
    "marker.py": "from flags import PEGGED\n\n\ndef mark(order):\n    order.flags |= PEGGED\n",
    "router.py": "from flags import PEGGED\n\n\ndef route(order):\n    if order.flags & PEGGED:\n        peg(order)\n",
}


@pytest.fixture
def renamed(tmp_path, monkeypatch):
    repo = _repo(tmp_path / "repo", (RENAME_V1, ()), (RENAME_V2, ()))
    git(repo, "branch", "-M", "main")
    monkeypatch.chdir(repo)
    return repo


def test_an_undeclared_rename_is_a_conflict(renamed):
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert result.stdout == (
        "marker.py:5:1: FL007 bit 0x20 of .flags: build HEAD~1 sets it as PEG (marker.py:5); "
        "build HEAD reads it as PEGGED and runs router.py:6 when it is set\n"
    )


def test_a_declared_rename_whose_old_name_nothing_reads_is_not_a_conflict(renamed, tmp_path):
    git(renamed, "checkout", "-q", "HEAD~1")
    assert run_cli("lock", ".").exit_code == 0
    git(renamed, "checkout", "-q", "main")
    assert run_cli("lock", ".", "--rename", "PEG=PEGGED").exit_code == 0  # the work tree's ledger declares it
    assert run_cli("drift", "HEAD~1", "HEAD").exit_code == 0
    v2 = tmp_path / "v2.lock"
    shutil.copy(renamed / "flaglint.lock", v2)
    (renamed / "flaglint.lock").unlink()
    [v1] = _ledgers(renamed, tmp_path, ["HEAD~1"])
    assert run_cli("drift", "HEAD~1", "HEAD").exit_code == 1  # no ledger any more: nothing declares it
    result = run_cli("drift", v1, str(v2))
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_declared_rename_does_not_excuse_a_build_that_still_reads_the_old_name(knight):
    """Knight's eighth server: declaring POWER_PEG=RLP a rename does not stop
    the old build from running Power Peg."""
    git(knight, "checkout", "-q", "HEAD~1")
    assert run_cli("lock", ".").exit_code == 0
    git(knight, "checkout", "-q", "main")
    assert run_cli("lock", ".", "--rename", "POWER_PEG=RLP").exit_code == 0
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert "reads it as POWER_PEG" in result.stdout


# --------------------------------------------------------------------------- keys

KEY_ON = "import os\n\n\ndef checkout():\n    if os.getenv('NEW_CHECKOUT', '1') == '1':\n        return 'new'\n    return 'old'\n"
KEY_OFF = KEY_ON.replace("os.getenv('NEW_CHECKOUT', '1')", "os.getenv('NEW_CHECKOUT')")


def test_a_key_whose_default_differs_between_builds(tmp_path, monkeypatch):
    repo = _repo(tmp_path / "repo", ({"app.py": KEY_ON}, ()), ({"app.py": KEY_OFF}, ()))
    git(repo, "branch", "-M", "main")
    monkeypatch.chdir(repo)
    expected = (
        "app.py:5:1: FL007 env:NEW_CHECKOUT: where it is not set, build {a} takes it as on (app.py:5) "
        "and build {b} as off (app.py:5)\n"
    )
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert (result.exit_code, result.stdout) == (1, expected.format(a="HEAD~1", b="HEAD"))
    assert run_cli("drift", "HEAD", "HEAD").exit_code == 0
    v1, v2 = _ledgers(repo, tmp_path, ["HEAD~1", "main"])
    from_ledgers = run_cli("drift", v1, v2)
    assert (from_ledgers.exit_code, from_ledgers.stdout) == (1, expected.format(a=v1, b=v2))
    assert run_cli("drift", v1, v1).exit_code == 0


def test_a_key_read_with_the_same_default_is_not_a_conflict(tmp_path, monkeypatch):
    repo = _repo(tmp_path / "repo", ({"app.py": KEY_OFF}, ()), ({"app.py": KEY_OFF + "\n# v2\n"}, ()))
    monkeypatch.chdir(repo)
    assert run_cli("drift", "HEAD~1", "HEAD").exit_code == 0


def test_a_key_one_build_reads_that_the_other_builds_flag_source_no_longer_defines(tmp_path, monkeypatch):
    v1 = {"app.py": KEY_OFF, ".env": "NEW_CHECKOUT=1\nDEBUG=0\n"}
    v2 = {"app.py": "import os\n\nDEBUG = os.getenv('DEBUG') == '1'\n", ".env": "DEBUG=0\n"}
    repo = _repo(tmp_path / "repo", (v1, ()), (v2, ()))
    git(repo, "branch", "-M", "main")
    monkeypatch.chdir(repo)
    expected = (
        "app.py:5:1: FL007 env:NEW_CHECKOUT: build {a} reads it (app.py:5) and its flag source defines it "
        "(.env:1), but build {b}'s flag sources no longer do: where they are deployed, build {a} gets "
        "the code's default (off)\n"
    )
    result = run_cli("drift", "HEAD~1", "HEAD", "--select", "FL007")
    assert (result.exit_code, result.stdout) == (1, expected.format(a="HEAD~1", b="HEAD"))
    v1_lock, v2_lock = _ledgers(repo, tmp_path, ["HEAD~1", "main"])
    from_ledgers = run_cli("drift", v1_lock, v2_lock)
    assert (from_ledgers.exit_code, from_ledgers.stdout) == (1, expected.format(a=v1_lock, b=v2_lock))


FLAGD = '{{"flags": {{{}}}}}\n'
FLAG = '"{}": {{"state": "ENABLED", "variants": {{"on": true, "off": false}}, "defaultVariant": "on"}}'
OPENFEATURE_APP = (
    "from openfeature import api\n\nclient = api.get_client()\n\n\n"
    "def page():\n    if client.get_boolean_value('new-ui', False):\n        return 'new'\n    return 'old'\n"
)


def test_an_sdk_key_gone_from_the_other_builds_configured_flag_file(tmp_path, monkeypatch):
    """The configured flag file is read as it was at each revision."""
    config = '[tool.flaglint]\nflag-sources = ["deploy/flags.flagd.json"]\n'
    v1 = {
        "pyproject.toml": config,
        "app.py": OPENFEATURE_APP,
        "deploy/flags.flagd.json": FLAGD.format(FLAG.format("new-ui")),
    }
    v2 = {"app.py": "X = 1\n", "deploy/flags.flagd.json": FLAGD.format(FLAG.format("dark-mode"))}
    repo = _repo(tmp_path / "repo", (v1, ()), (v2, ()))
    monkeypatch.chdir(repo)
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert result.exit_code == 1, result.output
    assert result.stdout == (
        "app.py:7:1: FL007 sdk:openfeature:new-ui: build HEAD~1 reads it (app.py:7) and its flag source defines it "
        "(deploy/flags.flagd.json:1), but build HEAD's flag sources no longer do: where they are deployed, "
        "build HEAD~1 gets the code's default (off)\n"
    )
    (repo / "deploy" / "flags.flagd.json").write_text(FLAGD.format(FLAG.format("new-ui")))
    _commit(repo, {}, "v3: new-ui is back")
    assert run_cli("drift", "HEAD~2", "HEAD").exit_code == 0


def test_a_key_defined_in_a_source_file_the_other_build_does_not_have_is_not_gone(tmp_path, monkeypatch):
    """The other build has environment files, but not the one that defines
    the key (another service's, or one that came later): nothing went."""
    v1 = {"svc/app.py": KEY_OFF, "svc/.env": "NEW_CHECKOUT=1\n"}
    repo = _repo(tmp_path / "repo", (v1, ()), ({"other/.env": "DEBUG=0\n"}, ("svc/app.py", "svc/.env")))
    monkeypatch.chdir(repo)
    assert run_cli("drift", "HEAD~1", "HEAD").exit_code == 0
    assert run_cli("drift", "HEAD", "HEAD~1").exit_code == 0


def test_a_key_no_source_ever_defined_is_not_gone(tmp_path, monkeypatch):
    v1 = {"app.py": KEY_OFF, ".env": "DEBUG=0\n"}
    repo = _repo(tmp_path / "repo", (v1, ()), ({".env": "DEBUG=1\n"}, ()))
    monkeypatch.chdir(repo)
    assert run_cli("drift", "HEAD~1", "HEAD").exit_code == 0


# --------------------------------------------------------------------------- exit 2


def test_fewer_than_two_builds_exits_2(knight):
    for args in ((), ("HEAD",)):
        result = run_cli("drift", *args)
        assert result.exit_code == 2
        assert result.stderr == (
            f"flaglint: error: drift compares at least 2 builds (git revisions or flaglint.lock files), got {len(args)}\n"
        )


def test_a_bad_revision_exits_2(knight):
    result = run_cli("drift", "HEAD", "no-such-rev")
    assert result.exit_code == 2
    assert result.stderr == (
        "flaglint: error: no-such-rev: neither a flaglint.lock file nor a readable git revision: "
        "unknown revision 'no-such-rev'\n"
    )
    assert "Traceback" not in result.output


def test_outside_a_repository_a_revision_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "other.lock: cannot read ledger: "),
        ('{"lockfileVersion": 3, "packages": {}}', "other.lock: not a flaglint ledger"),
        (
            '{"version": 9, "tool": "flaglint", "families": {}}',
            "other.lock: ledger version 9 is not one this flaglint reads",
        ),
        ('{"version": 2, "tool": "flaglint", "families": {}, "build": {"bits": 3}}', "other.lock: malformed ledger: "),
        (
            '{"version": 2, "tool": "flaglint", "families": {}}',
            'other.lock: malformed ledger: a version 2 ledger without its "build" section\n',
        ),
    ],
)
def test_an_unreadable_or_foreign_ledger_exits_2(knight, content, message):
    (knight / "other.lock").write_text(content)
    result = run_cli("drift", "HEAD", "other.lock")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"flaglint: error: {message}")
    assert "Traceback" not in result.output


def test_a_directory_is_not_a_build(knight):
    result = run_cli("drift", "HEAD", "smars")
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: smars: a directory, not a flaglint.lock ledger or a git revision\n"


def test_a_version_1_ledger_is_refused_by_drift_and_still_read_by_check(knight):
    old = {
        "version": 1,
        "tool": "flaglint",
        "renames": [],
        "families": {"field .flags": {"0x20": [{"name": "POWER_PEG", "first_seen": "abc", "retired": False}]}},
    }
    (knight / "flaglint.lock").write_text(json.dumps(old))
    result = run_cli("drift", "flaglint.lock", "HEAD")
    assert result.exit_code == 2
    assert result.stderr == (
        "flaglint: error: flaglint.lock: a version 1 ledger records no build snapshot (what the build reads and "
        "sets): run `flaglint lock` on that build with this flaglint to rewrite it\n"
    )
    checked = run_cli("check", ".", "--select", "FL003")  # the history it has still serves check
    assert checked.exit_code == 1 and "in flaglint.lock it was POWER_PEG" in checked.stdout
    assert run_cli("lock", ".", "--rename", "POWER_PEG=RLP").exit_code == 0
    assert json.loads((knight / "flaglint.lock").read_text())["version"] == 2


# --------------------------------------------------------------------------- the ledger


def test_the_ledger_records_each_builds_reads_sets_and_defaults(knight):
    assert run_cli("lock", ".").exit_code == 0
    build = json.loads((knight / "flaglint.lock").read_text())["build"]
    assert build["bits"] == [
        {
            "bit": "0x1",
            "family": "field .flags",
            "name": "ODD_LOT",
            "read": ["smars/router.py:6"],
            "set": ["smars/protocol.py:6"],
        },
        {"bit": "0x20", "family": "field .flags", "name": "RLP", "read": [], "set": ["smars/protocol.py:10"]},
    ]
    assert build["keys"] == [] and build["sources"] == []


def test_the_ledger_is_the_same_from_another_directory_and_another_machine(knight, tmp_path, monkeypatch):
    (knight / "app.py").write_text(KEY_ON)
    assert run_cli("lock", ".").exit_code == 0
    first = (knight / "flaglint.lock").read_bytes()
    assert b"app.py:5" in first and str(tmp_path).encode() not in first
    monkeypatch.chdir(knight / "smars")
    assert run_cli("lock", "..").exit_code == 0
    assert (knight / "flaglint.lock").read_bytes() == first
    moved = tmp_path / "elsewhere"
    shutil.copytree(knight, moved)
    monkeypatch.chdir(moved)
    assert run_cli("lock", ".").exit_code == 0
    assert (moved / "flaglint.lock").read_bytes() == first


# --------------------------------------------------------------------------- the bundled Knight fixture

KNIGHT = Path(__file__).resolve().parent.parent / "fixtures" / "knight_capital"
KNIGHT_LEDGERS = KNIGHT / "ledgers"


def _knight_build(root, which):
    """The fixture as one of two builds: ``deployed`` (2011: Power Peg wired
    in, no RLP yet) or ``release`` (2012: RLP added, Power Peg deleted)."""
    shutil.copytree(KNIGHT / "smars", root / "smars")
    protocol, router = root / "smars" / "protocol.py", root / "smars" / "router.py"
    if which == "deployed":
        _cut(
            protocol,
            "RLP = 1 << 5  # Retail Liquidity Program (2012)\n",
            "def mark_retail(order):\n    order.flags |= RLP\n\n\n",
        )
    else:
        shutil.rmtree(root / "smars" / "legacy")
        _cut(
            router,
            "from smars.legacy.power_peg import handle_parent_order\n",
            "    if handle_parent_order(order):\n        return\n",
        )


def _cut(path, *pieces):
    """Delete each piece from ``path``; fail loudly if the fixture changed
    and a piece is not there, rather than build the wrong build."""
    text = path.read_text()
    for piece in pieces:
        assert piece in text, f"fixture changed: {path.name} no longer has {piece!r}; update _knight_build"
        text = text.replace(piece, "")
    path.write_text(text)


@pytest.mark.parametrize("which", ["deployed", "release"])
def test_the_bundled_knight_ledgers_are_what_lock_writes(tmp_path, monkeypatch, which):
    """Set FLAGLINT_WRITE_LEDGERS=1 to rewrite them after a format change."""
    root = tmp_path / which
    _knight_build(root, which)
    monkeypatch.chdir(root)
    assert run_cli("lock", ".").exit_code == 0
    written = (root / "flaglint.lock").read_text(encoding="utf-8")
    if os.environ.get("FLAGLINT_WRITE_LEDGERS"):
        (KNIGHT_LEDGERS / f"{which}.lock").write_text(written, encoding="utf-8")
    assert (KNIGHT_LEDGERS / f"{which}.lock").read_text(encoding="utf-8") == written


def test_the_knight_readme_shows_the_drift_run_exactly(monkeypatch):
    monkeypatch.chdir(KNIGHT)
    result = run_cli("drift", "ledgers/deployed.lock", "ledgers/release.lock")
    assert result.exit_code == 1
    assert result.stdout == (
        "smars/protocol.py:8:1: FL007 bit 0x20 of .flags: build ledgers/release.lock sets it as RLP "
        "(smars/protocol.py:8); build ledgers/deployed.lock reads it as POWER_PEG and runs "
        "smars/legacy/power_peg.py:10-11 when it is set\n"
    )
    readme = (KNIGHT / "README.md").read_text(encoding="utf-8")
    shown = "$ flaglint drift ledgers/deployed.lock ledgers/release.lock\n" + result.stdout + result.stderr
    assert shown in readme


# --------------------------------------------------------------------------- the documentation


def test_the_fl007_page_example_is_what_drift_prints(tmp_path, monkeypatch):
    """docs/rules/FL007.md shows FL007's first example; its two builds, as git
    tags v1 and v2, give exactly the findings it shows through ``drift v1 v2``."""
    from flaglint.rules import RULES

    example = RULES["FL007"].examples[0]
    assert "`flaglint drift v1 v2` reports:" in RULES["FL007"].documentation()
    git(tmp_path, "init", "-q")
    for number, files in enumerate(example.builds, start=1):
        for old in tmp_path.glob("*.py"):
            old.unlink()
        write_tree(tmp_path, files)
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"v{number}")
        git(tmp_path, "tag", f"v{number}")
    monkeypatch.chdir(tmp_path)
    result = run_cli("drift", "v1", "v2", "--format", "json")
    assert result.exit_code == 1
    shown = [(f["code"], f["path"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert shown == list(example.expected)


def test_the_json_summary_names_the_builds_and_no_file_count(knight):
    """Drift compares builds, not files: a ``files`` count of 0 would be false."""
    document = json.loads(run_cli("drift", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert document["summary"] == {"builds": ["HEAD~1", "HEAD"], "findings": 1, "by_code": {"FL007": 1}, "skipped": []}


FILE_ENTRY = (
    "HIDDEN = 0x20\n\n\nclass FileEntry:\n    flags = 0\n\n\n"
    "def show(entry: FileEntry):\n    if entry.flags & HIDDEN:\n        return None\n    return entry\n"
)
ORDER = "RLP = 0x20\n\n\nclass Order:\n    flags = 0\n\n\ndef mark(order: Order):\n    order.flags |= RLP\n"


def test_a_field_is_known_by_its_name_in_drift_as_in_fl003(tmp_path, monkeypatch):
    """The documented choice: a ``.flags`` field is one family whatever class
    holds it. Drift across builds reports what FL003 reports inside one."""
    repo = _repo(tmp_path / "repo", ({"fs.py": FILE_ENTRY}, ()), ({"orders.py": ORDER}, ()))
    monkeypatch.chdir(repo)
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert result.stdout == (
        "orders.py:9:1: FL007 bit 0x20 of .flags: build HEAD sets it as RLP (orders.py:9); "
        "build HEAD~1 reads it as HIDDEN and runs fs.py:10 when it is set\n"
    )
    check = run_cli("check", ".", "--select", "FL003")
    assert [line.split(" ")[:2] for line in check.stdout.splitlines()] == [
        ["fs.py:10:9:", "FL003"],
        ["orders.py:1:1:", "FL003"],
    ]


def test_a_field_reached_by_a_dict_key_is_not_followed(tmp_path, monkeypatch):
    """Documented limit: ``order["flags"]`` is no field, so no conflict (and no error)."""
    v1 = {
        "app.py": "POWER_PEG = 0x20\n\n\ndef handle(order):\n    if order['flags'] & POWER_PEG:\n        order.peg()\n"
    }
    v2 = {"app.py": "RLP = 0x20\n\n\ndef mark(order):\n    order['flags'] |= RLP\n"}
    repo = _repo(tmp_path / "repo", (v1, ()), (v2, ()))
    monkeypatch.chdir(repo)
    result = run_cli("drift", "HEAD~1", "HEAD")
    assert (result.exit_code, result.stdout) == (0, "")

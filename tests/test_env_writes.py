"""Computed environment writes set only the names they can build.

``os.environ[f"FEATURE_{x}"] = "1"`` sets names starting with ``FEATURE_``;
``os.environ.update(d)`` sets the keys of a dict literal or of a dict bound
only to literal keys. Only a write flaglint cannot bound may set any name:
FL001 still reports the environment flags it could set, naming the write
("unless ... sets it"), while FL002 and ``fix`` treat them as possibly set,
so a miss never becomes a deletion. Each case is a small project under
tests/data/env_writes/ with its exact findings beside it."""

from __future__ import annotations

import pytest

from cases import actual, case_names, expected
from conftest import run_cli, write_tree
from flaglint.audit import audit


@pytest.mark.parametrize("case", case_names("env_writes"))
def test_env_write_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("env_writes", case, tmp_path, monkeypatch) == expected("env_writes", case)


MIRROR = {
    ".env": "DATABASE_URL=postgres://db\n",
    "app.py": (
        "import os\n\nENABLE_MIRROR = os.getenv('ENABLE_MIRROR', '0') == '1'\n\n\n"
        "def serve():\n    if ENABLE_MIRROR:\n        mirror()\n    return 1\n"
    ),
}


def test_fl001_names_the_unbounded_write_that_may_set_the_flag(lint):
    files = {**MIRROR, "boot.py": "import os\n\n\ndef boot(extra):\n    os.environ.update(extra)\n"}
    [finding] = lint(files)
    assert (finding.code, finding.path, finding.span.line, finding.flag) == ("FL001", "app.py", 3, "app.ENABLE_MIRROR")
    assert finding.message == (
        "flag ENABLE_MIRROR is read in 1 place but never set: it mirrors environment variable ENABLE_MIRROR, "
        "whose default is off and which no environment source sets, unless os.environ.update(extra) at boot.py:5 sets it"
    )


def test_a_bounded_write_that_cannot_set_the_flag_is_not_named(lint):
    files = {**MIRROR, "boot.py": "import os\n\n\ndef boot(port):\n    os.environ[f'RUNNING_{port}'] = '1'\n"}
    assert [(f.code, f.path, f.span.line, f.message.endswith("no environment source sets")) for f in lint(files)] == [
        ("FL001", "app.py", 3, True),
        ("FL002", "app.py", 8, False),
    ]


@pytest.mark.parametrize(
    ("write", "changed"),
    [
        ("os.environ[f'RUNNING_{port}'] = '1'", True),  # cannot set ENABLE_MIRROR: the dead code goes
        ("os.environ[port] = '1'", False),  # may set it: reported, never deleted
        ("os.environ.update(port)", False),
    ],
)
def test_fix_never_deletes_code_an_unbounded_write_may_switch_on(tmp_path, write, changed):
    files = {**MIRROR, "boot.py": f"import os\n\n\ndef boot(port):\n    {write}\n"}
    write_tree(tmp_path, files)
    result = run_cli("fix", "--all", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    after = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert (after != MIRROR["app.py"]) is changed
    if not changed:
        assert (tmp_path / "boot.py").read_text(encoding="utf-8") == files["boot.py"]


def test_the_audit_says_which_write_may_set_a_never_set_flag(tmp_path, monkeypatch):
    files = {**MIRROR, "boot.py": "import os\n\n\ndef boot(extra):\n    os.environ.update(extra)\n"}
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    [entry] = [entry for entry in audit(["."], cwd=tmp_path, ages=False).flags if entry.name == "app.ENABLE_MIRROR"]
    assert entry.status == "never-set"
    assert "read, but nothing sets it, unless os.environ.update(extra) at boot.py:5 sets it" in entry.notes


def test_a_key_bound_to_a_local_name_is_bounded_by_that_binding(lint):
    files = {
        ".env": "DATABASE_URL=postgres://db\n",
        "server.py": "import os\n\n\ndef run(port):\n    env_key = f'FASTMCP_RUNNING_{port}'\n    os.environ[env_key] = '1'\n",
        "app.py": "import os\n\nif os.getenv('ENABLE_BETA', '0') == '1':\n    beta()\n",
    }
    assert [(f.code, f.path, f.span.line, f.flag) for f in lint(files)] == [
        ("FL001", "app.py", 3, "env:ENABLE_BETA"),
        ("FL002", "app.py", 4, "env:ENABLE_BETA"),
    ]

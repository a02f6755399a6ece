"""scripts/audit_sample.py: a seeded sample of an audit per status, with
the evidence (definitions, sets, reads and their source lines) a person
judges each entry by (issue 25)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_tree

from flaglint.audit import audit

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_sample.py"
#: the script imports flaglint: this checkout's, wherever the test runs from
ENV = {**os.environ, "PYTHONPATH": str(SCRIPT.parent.parent)}

APP = {
    "app/__init__.py": "",
    "app/flags.py": "".join(f"OLD_{index} = False\n" for index in range(12)) + "BETA = False\nLIVE = True\n",
    "app/views.py": (
        "from app.flags import BETA, LIVE\n\n\ndef view():\n    if BETA:\n        return 'beta'\n"
        "    if LIVE:\n        return 'live'\n    return 'plain'\n"
    ),
}


@pytest.fixture(scope="module")
def sampler():
    spec = importlib.util.spec_from_file_location("audit_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def document(tmp_path, monkeypatch):
    write_tree(tmp_path, APP)
    monkeypatch.chdir(tmp_path)
    data = audit(["."], cwd=tmp_path, ages=False).to_dict()
    (tmp_path / "audit.json").write_text(json.dumps(data), encoding="utf-8")
    return data


def test_the_sample_is_seeded_and_capped_per_status(sampler, document):
    first = sampler.sample(document["flags"], 5, seed=3)
    again = sampler.sample(document["flags"], 5, seed=3)
    other = sampler.sample(document["flags"], 5, seed=4)
    assert list(first) == ["dead", "unused", "live"]  # the audit's order, most urgent first
    assert [len(entries) for entries in first.values()] == [1, 5, 1]  # all where there are fewer
    assert [entry["name"] for entry in first["unused"]] == [entry["name"] for entry in again["unused"]]
    assert [entry["name"] for entry in first["unused"]] != [entry["name"] for entry in other["unused"]]
    assert {entry["name"] for entry in first["unused"]} < {f"app.flags.OLD_{index}" for index in range(12)}


def test_restricting_statuses_does_not_change_their_draw(sampler, document):
    every = sampler.sample(document["flags"], 4, seed=9)
    only = sampler.sample(document["flags"], 4, seed=9, statuses=["unused"])
    assert list(only) == ["unused"]
    assert only["unused"] == every["unused"]


def test_the_report_prints_the_evidence_with_source_lines(sampler, document, tmp_path):
    text = sampler.report(document, 2, 1, tmp_path)
    lines = text.splitlines()
    assert lines[0] == "audit sample: seed 1, up to 2 per status"
    start = lines.index("[dead 1] app.flags.BETA  [dead, bool]")
    assert lines[start : start + 11] == [
        "[dead 1] app.flags.BETA  [dead, bool]",
        "  defined  app/flags.py:13",
        "             | BETA = False",
        "  set by   nothing",
        "  read     app/views.py:5 (truth, gates 6-6)",
        "             | if BETA:",
        "  note     nothing sets it: 1 gated line can never run",
        "  note     dead in all: 1 line in 1 file",
        "  verdict: __",
        "",
        "== unused: 2 of 12",
    ]


def test_a_missing_source_file_is_said_not_raised(sampler, document, tmp_path):
    (tmp_path / "app" / "views.py").unlink()
    text = sampler.report(document, 1, 1, tmp_path)
    assert "  read     app/views.py:5 (truth, gates 6-6)\n             | (source not available)" in text


def test_a_path_outside_the_root_is_never_read(sampler, tmp_path):
    (tmp_path / "secret.py").write_text("TOKEN = 1\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    entry = {"name": "x", "status": "unused", "kind": "bool", "definitions": [{"path": "../secret.py", "line": 1}]}
    text = sampler.report({"flags": [entry]}, 1, 1, root)
    assert "TOKEN" not in text and "(source not available)" in text


def test_control_characters_are_escaped(sampler, tmp_path):
    entry = {"name": "evil\x1b[2J\n::error::x", "status": "unused", "kind": "bool", "definitions": []}
    text = sampler.report({"flags": [entry]}, 1, 1, tmp_path)
    assert "\x1b" not in text
    assert all(not line.startswith("::") for line in text.splitlines())


def test_not_a_flag_entries_show_their_reason(sampler, tmp_path):
    entry = {
        "name": "m.C.__x__",
        "status": "not-a-flag",
        "kind": "bool",
        "not_a_flag": {"code": "dunder", "reason": "a dunder attribute"},
    }
    assert "  reason   dunder: a dunder attribute" in sampler.report({"flags": [entry]}, 1, 1, tmp_path)


def test_the_command_line(document, tmp_path):
    ok = subprocess.run(
        [sys.executable, str(SCRIPT), "audit.json", "-n", "1", "--status", "live", "--root", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[2] == "== live: 1 of 1"
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "bad.json"], cwd=tmp_path, capture_output=True, text=True, env=ENV
    )
    assert bad.returncode == 2
    assert bad.stderr == "audit_sample: bad.json is not a flaglint audit JSON document (no 'flags' list)\n"
    assert "Traceback" not in bad.stderr
    missing = subprocess.run(
        [sys.executable, str(SCRIPT), "nope.json"], cwd=tmp_path, capture_output=True, text=True, env=ENV
    )
    assert missing.returncode == 2 and missing.stderr.startswith("audit_sample: cannot read nope.json: ")

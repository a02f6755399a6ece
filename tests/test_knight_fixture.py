"""The bundled Knight Capital fixture gives exactly its expected findings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from flaglint import api

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knight_capital"
KEYS = ("code", "path", "line", "column", "end_line", "end_column", "flag")


def test_knight_fixture_findings_exactly(monkeypatch):
    monkeypatch.chdir(FIXTURE)
    findings = api.check(["."], cwd=FIXTURE).findings
    actual = [{key: finding.to_dict()[key] for key in KEYS} for finding in findings]
    expected = json.loads((FIXTURE / "expected.json").read_text())["findings"]
    assert actual == expected


def test_knight_reuse_names_both_meanings_and_the_setter(monkeypatch):
    monkeypatch.chdir(FIXTURE)
    findings = api.check(["."], cwd=FIXTURE).findings
    old_read = next(f for f in findings if f.code == "FL003" and f.flag.endswith("POWER_PEG"))
    assert "POWER_PEG" in old_read.message and "RLP" in old_read.message and "0x20" in old_read.message
    notes = {(location.path, location.span.line, location.note) for location in old_read.related}
    assert ("smars/protocol.py", 8, "RLP set here") in notes
    assert ("smars/protocol.py", 4, "RLP defined with the same bit") in notes


def test_python_m_flaglint_on_knight_exits_1(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "flaglint", "check", str(FIXTURE)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    codes = [line.split(": ")[1].split()[0] for line in run.stdout.splitlines()]
    assert codes == ["FL001", "FL003", "FL003", "FL002", "FL002"]

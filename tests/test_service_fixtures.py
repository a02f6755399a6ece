"""The bundled feature_service fixture (environment variables in .env files,
OpenFeature backed by a flagd file) gives exactly its expected findings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from flaglint import api
from flaglint.config import load_config

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "feature_service"
KEYS = ("code", "path", "line", "column", "end_line", "end_column", "flag")


def findings(monkeypatch):
    monkeypatch.chdir(FIXTURE)
    return api.check(["."], config=load_config(FIXTURE / "pyproject.toml"), cwd=FIXTURE).findings


def test_feature_service_findings_exactly(monkeypatch):
    actual = [{key: finding.to_dict()[key] for key in KEYS} for finding in findings(monkeypatch)]
    expected = json.loads((FIXTURE / "expected.json").read_text())["findings"]
    assert actual == expected


def test_flags_turned_on_by_a_source_are_not_reported(monkeypatch):
    flags = {finding.flag for finding in findings(monkeypatch)}
    for live in (
        "shop.settings.ENABLE_SEARCH",  # .env
        "shop.settings.CACHE_ENABLED",  # default "true"
        "shop.settings.DEBUG_TOOLBAR",  # .env.development
        "shop.settings.DATABASE_URL",
        "sdk:openfeature:beta-search",  # targeting
        "sdk:openfeature:dark-mode",  # default variant on
    ):
        assert live not in flags


def test_cli_reads_the_fixture_configuration(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "flaglint", "check", "--format", "json", str(FIXTURE)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    codes = sorted(finding["code"] for finding in json.loads(run.stdout)["findings"])
    assert codes == ["FL001", "FL001", "FL001", "FL002", "FL002", "FL002", "FL002", "FL005"]

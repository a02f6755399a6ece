"""The bundled service fixtures give exactly their expected findings.

- feature_service: environment variables in .env files, OpenFeature backed
  by a flagd file;
- fastapi_service: OpenFeature with a complete flagd file, a home-grown
  LaunchDarkly wrapper with a file data source, .env and docker-compose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flaglint import api
from flaglint.config import load_config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KEYS = ("code", "path", "line", "column", "end_line", "end_column", "flag")

#: flags a source turns on (or whose state is unknown): never reported
LIVE = {
    "feature_service": (
        "shop.settings.ENABLE_SEARCH",  # .env
        "shop.settings.CACHE_ENABLED",  # default "true"
        "shop.settings.DEBUG_TOOLBAR",  # .env.development
        "shop.settings.DATABASE_URL",
        "sdk:openfeature:beta-search",  # targeting
    ),
    "fastapi_service": (
        "app.settings.NEW_SEARCH",  # .env
        "app.settings.RECOMMENDATIONS",  # docker-compose environment
        "app.settings.DATABASE_URL",
        "sdk:openfeature:beta-pricing",  # targeting
        "sdk:launchdarkly:fast-shipping",  # a rule can serve it on
    ),
}


def findings(name, monkeypatch):
    fixture = FIXTURES / name
    monkeypatch.chdir(fixture)
    return api.check(["."], config=load_config(fixture / "pyproject.toml"), cwd=fixture).findings


@pytest.mark.parametrize("name", sorted(LIVE))
def test_findings_exactly(name, monkeypatch):
    actual = [{key: finding.to_dict()[key] for key in KEYS} for finding in findings(name, monkeypatch)]
    expected = json.loads((FIXTURES / name / "expected.json").read_text())["findings"]
    assert actual == expected


@pytest.mark.parametrize("name", sorted(LIVE))
def test_flags_turned_on_by_a_source_are_not_reported(name, monkeypatch):
    flags = {finding.flag for finding in findings(name, monkeypatch)}
    assert flags.isdisjoint(LIVE[name])


def test_wrapper_reads_and_typo_hint(monkeypatch):
    by_flag = {(finding.code, finding.flag): finding for finding in findings("fastapi_service", monkeypatch)}
    banner = by_flag[("FL001", "sdk:launchdarkly:holiday-banner")]
    assert (banner.path, banner.span.line) == ("app/routes/checkout.py", 26)
    typo = by_flag[("FL004", "sdk:openfeature:gift-wrapping")]
    assert typo.message.endswith("did you mean 'gift-wrap'?")
    assert [(loc.path, loc.span.line, loc.note) for loc in typo.related] == [
        ("deploy/flags.flagd.json", 20, "defined here")
    ]


@pytest.mark.parametrize(
    "name, codes",
    [
        ("feature_service", ["FL001", "FL001", "FL001", "FL002", "FL002", "FL002", "FL002", "FL005", "FL006"]),
        ("fastapi_service", ["FL001"] * 4 + ["FL002"] * 7 + ["FL004", "FL005", "FL006"]),
    ],
)
def test_cli_reads_the_fixture_configuration(name, codes, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "flaglint", "check", "--format", "json", "--no-cache", str(FIXTURES / name)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert sorted(finding["code"] for finding in json.loads(run.stdout)["findings"]) == codes


def test_audit_statuses_of_keyed_flags(monkeypatch):
    from flaglint.audit import audit

    fixture = FIXTURES / "fastapi_service"
    monkeypatch.chdir(fixture)
    inventory = audit(["."], load_config(fixture / "pyproject.toml"), cwd=fixture, ages=False)
    statuses = {entry.name: entry.status for entry in inventory.flags if entry.name.startswith("sdk:")}
    assert statuses == {
        "sdk:launchdarkly:fast-shipping": "live",
        "sdk:launchdarkly:holiday-banner": "dead",
        "sdk:openfeature:beta-pricing": "live",
        "sdk:openfeature:gift-wrap": "dead",
        "sdk:openfeature:gift-wrapping": "undeclared",
        "sdk:openfeature:legacy-cart": "dead",
        "sdk:openfeature:new-checkout": "always-on",
        "sdk:openfeature:spring-promo": "unused",  # defined in the flagd file, read by nothing (FL005)
    }
    promo = next(entry for entry in inventory.flags if entry.name == "sdk:openfeature:spring-promo")
    assert [(loc.path, loc.line, loc.note) for loc in promo.definitions] == [("deploy/flags.flagd.json", 25, "flagd")]

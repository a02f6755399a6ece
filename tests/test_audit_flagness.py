"""What the audit lists is a flag (issue 25).

Each project under ``tests/data/audit/<case>/`` has an ``expected.txt``: the
exact ``audit --all`` list, one ``STATUS NAME`` per line in report order,
with ``not-a-flag/<reason code>`` for a constant the audit weighed and found
not to be a flag. Without ``--all`` those lines are left out and nothing
else changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cases import DATA, EXPECTED, case_names, expected
from conftest import run_cli, write_tree

from flaglint.audit import STATUSES, audit, render
from flaglint.audit.status import NOT_A_FLAG, STATUS_HELP
from flaglint.config import load_config
from flaglint.graph.flagness import REASONS

ROOT = Path(__file__).resolve().parent.parent


def _listed(tmp_path, monkeypatch, case, everything=True):
    root = tmp_path / case
    shutil.copytree(DATA / "audit" / case, root, ignore=shutil.ignore_patterns(EXPECTED))
    monkeypatch.chdir(root)
    inventory = audit(["."], cwd=root, ages=False, everything=everything)
    return inventory, [
        f"{entry.status}/{entry.not_a_flag.code} {entry.name}" if entry.not_a_flag else f"{entry.status} {entry.name}"
        for entry in inventory.flags
    ]


@pytest.mark.parametrize("case", case_names("audit"))
def test_audit_all_lists_exactly(tmp_path, monkeypatch, case):
    assert _listed(tmp_path, monkeypatch, case)[1] == expected("audit", case)


@pytest.mark.parametrize("case", case_names("audit"))
def test_without_all_the_constants_that_are_not_flags_are_left_out(tmp_path, monkeypatch, case):
    inventory, listed = _listed(tmp_path, monkeypatch, case, everything=False)
    assert listed == [line for line in expected("audit", case) if not line.startswith(NOT_A_FLAG)]
    assert inventory.summary["by_status"][NOT_A_FLAG] == 0


def test_the_json_document_carries_the_reason_code(tmp_path, monkeypatch):
    shutil.copytree(DATA / "audit" / "framework_attributes", tmp_path / "p", ignore=shutil.ignore_patterns(EXPECTED))
    monkeypatch.chdir(tmp_path / "p")
    document = json.loads(run_cli("audit", "--all", "--format", "json", "--no-ages", ".").output)
    entries = {entry["name"]: entry for entry in document["flags"]}
    assert entries["app.models.Project.__include_in_export__"]["not_a_flag"] == {
        "code": "dunder",
        "reason": REASONS["dunder"],
    }
    assert entries["app.models.ProjectEndpoint.enforce_rate_limit"]["not_a_flag"] == {
        "code": "framework-attribute",
        "reason": REASONS["framework-attribute"] + " (its class derives from rest_framework's)",
    }
    assert entries["app.models.Endpoint.audited"]["not_a_flag"] is None
    assert entries["app.models.Member.email"]["not_a_flag"]["code"] == "framework-attribute"  # a model field
    assert document["summary"]["flags"] == 5  # not-a-flag entries are not counted as flags
    assert document["summary"]["by_status"][NOT_A_FLAG] == 6


def test_the_summary_leads_with_what_to_act_on(tmp_path, monkeypatch):
    shutil.copytree(DATA / "audit" / "framework_attributes", tmp_path / "p", ignore=shutil.ignore_patterns(EXPECTED))
    monkeypatch.chdir(tmp_path / "p")
    result = run_cli("audit", "--all", "--no-ages", ".")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == "flaglint audit: 5 flags in 2 files: act on 2 unused; 3 live; 6 not flags"
    plain = run_cli("audit", "--no-ages", ".")
    assert plain.stderr.splitlines()[-1] == "flaglint audit: 5 flags in 2 files: act on 2 unused; 3 live"
    assert "not-a-flag" not in plain.stdout


def test_text_and_html_show_the_reason(tmp_path, monkeypatch):
    inventory, _ = _listed(tmp_path, monkeypatch, "values")
    text = render(inventory, "text")
    assert "  note     not a flag [compared-value]: " + REASONS["compared-value"] in text
    page = render(inventory, "html")
    assert 'data-filter-status="not-a-flag"' in page
    cards = page.split('<div class="cards">')[1].split("</div>")[0]
    order = [status for status in STATUSES if f'data-filter-status="{status}"' in cards]
    assert order[:5] == ["dead", "reused", "alias-collision", "undeclared", "never-set"]
    assert order[-3:] == ["outside-python", "live", "not-a-flag"]


def test_no_not_a_flag_card_without_all(tmp_path, monkeypatch):
    inventory, _ = _listed(tmp_path, monkeypatch, "values", everything=False)
    assert 'data-filter-status="not-a-flag"' not in render(inventory, "html")


def test_every_status_is_documented_with_what_to_do():
    """docs/audit.md's status table has a row for every status the code can
    emit, each with a "Do:" part; and every reason code is documented."""
    text = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in text.splitlines() if line.startswith("| `")}
    for status in STATUSES:
        assert status in rows, status
        assert "Do:" in rows[status], status
        assert status in STATUS_HELP
    for code in REASONS:
        assert f"| `{code}` |" in text, code


def test_a_settings_read_of_an_unknown_settings_module_is_a_read_not_a_set(tmp_path, monkeypatch):
    """``settings.DEMO_MODE`` keeps ``proj.conf.server.DEMO_MODE`` from
    "unused", with the reads named; and ``check`` is not changed by it."""
    inventory, _ = _listed(tmp_path, monkeypatch, "django_settings_module")
    entry = next(entry for entry in inventory.flags if entry.short == "DEMO_MODE")
    assert entry.status == "live"
    assert entry.notes == [
        "read as django.conf.settings.DEMO_MODE (proj/guides.py:5): "
        "this module may be the one DJANGO_SETTINGS_MODULE names"
    ]
    assert run_cli("check", "--format", "json", ".").exit_code == 0


def test_a_name_read_on_an_untyped_object_is_named_in_the_notes(tmp_path, monkeypatch):
    inventory, _ = _listed(tmp_path, monkeypatch, "class_attributes")
    notes = {entry.name: entry.notes for entry in inventory.flags}
    assert notes["views.special.GitProvider.can_add"] == [
        "an attribute of this name is read on objects flaglint cannot type: views/special.py (setup)"
    ]
    assert notes["views.special.GitProvider.needs_identity"] == [
        "an attribute of this name is read on objects flaglint cannot type: views/base.py (Pipeline.run)"
    ]
    assert notes["views.base.BaseView.fancy"] == [
        "read by name through self/cls (or getattr): views/base.py (BaseView.render) through BaseView"
    ]


def test_a_subclass_override_read_through_getattr_with_a_literal_is_live(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "base.py": (
                "class Base:\n    x = True\n\n    def go(self):\n        if getattr(self, 'x', False):\n"
                "            return 1\n        return 0\n"
            ),
            "sub.py": "from base import Base\n\n\nclass Sub(Base):\n    x = False\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    statuses = {entry.name: entry.status for entry in audit(["."], cwd=tmp_path, ages=False).flags}
    assert statuses == {"base.Base.x": "live", "sub.Sub.x": "live"}


def test_a_namespaced_key_mentioned_by_its_bare_name_is_outside_python(tmp_path, monkeypatch):
    """``organizations:profiling-beta`` read by the front end as
    ``features.includes('profiling-beta')``: outside-python, with the file;
    ``organizations:sso`` (a short, plain name) is not matched by its name;
    ``check`` stays silent on both (the provider is read with a run-time key)."""
    shutil.copytree(DATA / "audit" / "namespaced_keys", tmp_path / "p", ignore=shutil.ignore_patterns(EXPECTED))
    monkeypatch.chdir(tmp_path / "p")
    document = json.loads(run_cli("audit", "--format", "json", "--no-ages", ".").output)
    entries = {entry["short"]: entry for entry in document["flags"]}
    beta = entries["sdk:app.conf.FEATURES:organizations:profiling-beta"]
    assert beta["status"] == "outside-python"
    assert beta["references"] == [
        {"path": "web/app.js", "line": 2, "column": 1, "end_line": 2, "note": "as profiling-beta"}
    ]
    assert entries["sdk:app.conf.FEATURES:organizations:sso"]["references"] == []
    check = run_cli("check", "--format", "json", ".")
    assert (check.exit_code, json.loads(check.output)["findings"]) == (0, [])


def test_a_key_named_in_python_text_a_run_time_key_is_built_from_is_live(tmp_path, monkeypatch):
    shutil.copytree(DATA / "audit" / "namespaced_keys", tmp_path / "p", ignore=shutil.ignore_patterns(EXPECTED))
    monkeypatch.chdir(tmp_path / "p")
    inventory = audit(["."], load_config(tmp_path / "p" / "flaglint.toml"), cwd=tmp_path / "p", ages=False)
    entry = next(entry for entry in inventory.flags if entry.short.endswith("organizations:old-thing"))
    assert (entry.status, entry.notes) == (
        "live",
        ["named in Python text (app/relay.py:3): a key built at run time from it may read it"],
    )

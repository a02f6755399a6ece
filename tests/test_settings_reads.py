"""``getattr(settings, "ENABLE_X", default)`` reads ``settings.ENABLE_X``,
and Django's ``settings.ENABLE_X`` reads the settings modules' ENABLE_X.

A literal attribute name fetched with ``getattr`` is the same read as the
attribute written out: the same FL001/FL002, the same audit entry. A name
computed at run time (``getattr(settings, name)``) names no attribute and is
never guessed. A read through ``django.conf.settings`` reaches the constant
of that name in every settings module of the tree, and keeps it live (the
deployment's settings may bind it): never FL001/FL002. Each case is a small
project under tests/data/attributes/ with its exact findings beside it."""

from __future__ import annotations

import re
import shutil

import pytest

from cases import DATA, actual, case_names, expected
from flaglint import api
from flaglint.audit import audit
from flaglint.graph.django_settings import is_settings_module


@pytest.mark.parametrize("case", case_names("attributes"))
def test_attribute_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("attributes", case, tmp_path, monkeypatch) == expected("attributes", case)


GETATTR_STATUSES = {
    "ENABLE_OLD_EXPORT": ("dead", 1),  # read through getattr, every binding false
    "ENABLE_NEW_SEARCH": ("live", 1),
    "ENABLE_AUDIT_LOG": ("live", 1),  # a getattr outside a test is a use
    "ENABLE_BY_NAME": ("unused", 0),  # getattr(conf, name): not guessed
    "ENABLE_MISSPELT": ("unused", 0),  # "ENABLE MISSPELT" is no attribute
}


def test_the_audit_lists_getattr_reads_and_guesses_no_computed_name(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(DATA / "attributes" / "getattr_literal", root)
    monkeypatch.chdir(root)
    flags = audit(["."], cwd=root, ages=False).flags
    assert {entry.short: (entry.status, len(entry.reads)) for entry in flags} == GETATTR_STATUSES
    (old,) = [entry for entry in flags if entry.short == "ENABLE_OLD_EXPORT"]
    assert [(read.location.path, read.location.line, read.gate) for read in old.reads] == [("app/views.py", 5, (6, 6))]


def test_getattr_and_the_attribute_give_the_same_findings_and_audit(tmp_path, monkeypatch):
    """The fixture rewritten to ``conf.X`` (literal names only) agrees line for line."""
    findings = {}
    statuses = {}
    for form in ("getattr", "attribute"):
        root = tmp_path / form
        shutil.copytree(DATA / "attributes" / "getattr_literal", root)
        if form == "attribute":
            views = root / "app" / "views.py"
            text = re.sub(r'getattr\(conf, "(ENABLE_[A-Z_]+)", False\)', r"conf.\1", views.read_text())
            views.write_text(text)
        monkeypatch.chdir(root)
        findings[form] = [(f.code, f.path, f.span.line, f.flag) for f in api.check(["."], cwd=root).findings]
        statuses[form] = {e.short: (e.status, len(e.reads)) for e in audit(["."], cwd=root, ages=False).flags}
    assert findings["getattr"] == findings["attribute"]
    assert statuses["getattr"] == statuses["attribute"] == GETATTR_STATUSES


@pytest.mark.parametrize(
    "call",
    [
        "getattr(conf, name)",  # computed: never guessed
        'getattr(conf, "ENABLE OLD")',  # not an identifier
        'getattr(conf, b"ENABLE_OLD")',  # bytes: getattr raises
        'getattr(conf, "ENABLE_OLD", False, 1)',  # not getattr's signature
        'getattr(*args, "ENABLE_OLD")',
        'hasattr(conf, "ENABLE_OLD")',  # tests presence, not the value
    ],
)
def test_not_a_read_of_conf_enable_old(tmp_path, monkeypatch, call):
    (tmp_path / "conf.py").write_text("ENABLE_OLD = False\n")
    (tmp_path / "app.py").write_text(f"import conf\n\n\ndef f(name, args):\n    if {call}:\n        return 1\n")
    monkeypatch.chdir(tmp_path)
    assert api.check(["."], cwd=tmp_path).findings == ()
    (entry,) = audit(["."], cwd=tmp_path, ages=False).flags
    assert (entry.short, entry.status, entry.reads) == ("ENABLE_OLD", "unused", [])


DJANGO_STATUSES = {
    "ENABLE_OLD_REPORTS": ("dead", 1),  # a plain module: FL001 as before
    # settings.X is not joined to a non-settings module (0 reads); the audit
    # counts it read all the same, with a note (issue 25: DJANGO_SETTINGS_MODULE
    # may name that module at run time)
    "ENABLE_NOT_A_SETTING": ("live", 0),
    "ENABLE_FAST_SEARCH": ("live", 1),  # read as a value
    "ENABLE_LEGACY_EXPORT": ("live", 1),  # false in the tree, but the deployment may set it
    "ENABLE_INTEGRATION": ("live", 1),  # getattr(settings, ...) in a settings/ package module
}


def test_django_settings_reads_reach_the_settings_modules_and_keep_them_live(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(DATA / "attributes" / "django_settings", root)
    monkeypatch.chdir(root)
    flags = {entry.short: entry for entry in audit(["."], cwd=root, ages=False).flags}
    assert {short: (entry.status, len(entry.reads)) for short, entry in flags.items()} == DJANGO_STATUSES
    legacy = flags["ENABLE_LEGACY_EXPORT"]
    assert [(read.location.path, read.location.line) for read in legacy.reads] == [("app/views.py", 13)]
    assert legacy.set_by == ["read through django.conf.settings: the deployment's settings may set it"]


@pytest.mark.parametrize(
    "module, expected",
    [
        ("proj.settings", True),
        ("proj.settings.production", True),
        ("settings", True),
        ("proj._build_settings", True),
        ("proj.settings_helpers", False),
        ("proj.usersettings", False),
        ("proj.settings.production.extra", False),
        ("proj.conf", False),
    ],
)
def test_a_settings_module_by_name(module, expected):
    assert is_settings_module(module) is expected


@pytest.mark.parametrize(
    "files, listed",
    [
        # ``settings`` imported from elsewhere: not Django's. Nothing reads the
        # setting, so it is a library's setting, not a flag (issue 25)
        ({"app/settings.py": "ENABLE_X = False\n", "app/views.py": "from app.config import settings\n"}, []),
        # Django's settings, but the name is bound in no settings module: not
        # joined (no read), but the audit counts it read (issue 25)
        (
            {"app/conf.py": "ENABLE_X = False\n", "app/views.py": "from django.conf import settings\n"},
            [("ENABLE_X", "live", [])],
        ),
    ],
)
def test_not_joined_to_a_settings_module(tmp_path, monkeypatch, files, listed):
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "app" / "__init__.py").write_text("")
    views = tmp_path / "app" / "views.py"
    views.write_text(views.read_text() + "\n\ndef f():\n    if settings.ENABLE_X:\n        return 1\n")
    monkeypatch.chdir(tmp_path)
    entries = audit(["."], cwd=tmp_path, ages=False).flags
    assert [(entry.short, entry.status, entry.reads) for entry in entries] == listed

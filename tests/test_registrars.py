"""Registrars: keys declared by a call per key (``manager.add("k")``,
``_create_option("k", default_val=False)``), read through a sibling of the
registrar; fixture projects under tests/data/registrars/ (expected.txt
beside each), and the messages."""

from __future__ import annotations

import pytest
from cases import actual, case_names, expected

from conftest import run_cli, write_tree


@pytest.mark.parametrize("case", case_names("registrars"))
def test_registrar_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("registrars", case, tmp_path, monkeypatch) == expected("registrars", case)


MANAGER = (
    "class FeatureManager:\n"
    "    def __init__(self):\n        self._registry = {}\n\n"
    "    def add(self, name, cls=None):\n        self._registry[name] = cls\n\n"
    "    def has(self, name, *args):\n        return self._registry.get(name) is not None\n"
)
FEATURES = (
    "from app.manager import FeatureManager\n\n"
    "default_manager = FeatureManager()\n"
    'default_manager.add("organizations:new-ui", object)\n'
    'default_manager.add("organizations:old-export", object)\n\n'
    "has = default_manager.has\n"
)


def _project(views: str) -> dict:
    return {"app/__init__.py": "", "app/manager.py": MANAGER, "app/features.py": FEATURES, "app/views.py": views}


def test_fl005_names_the_reads_no_key_bounds(lint):
    views = (
        "from app import features\n\n\n"
        "def view(org, feature):\n"
        '    if features.has("organizations:new-ui", org):\n        return 1\n'
        "    if features.has(feature, org):\n        return 2\n"
    )
    [finding] = lint(_project(views))
    assert (finding.code, finding.path, finding.span.line) == ("FL005", "app/features.py", 5)
    assert finding.message == (
        "flag 'organizations:old-export' is defined in app/features.py (registry) but no code reads it "
        "through app.manager.FeatureManager, unless features.has(feature) at app/views.py:7 reads it"
    )


def test_fl005_names_two_unbounded_reads_and_counts_the_rest(lint):
    views = (
        "from app import features\n\n\n"
        "def view(org, a):\n"
        '    if features.has("organizations:new-ui", org):\n        return 1\n'
        "    return features.has(a, org)\n\n\n"
        "def other(org, b):\n    x = features.has(b.name, org)\n    return x\n"
    )
    files = _project(views)
    files["app/more.py"] = (
        "from app import features\n\n\ndef more(org, c):\n    x = features.has(c, org)\n    return x\n"
    )
    [finding] = lint(files)
    assert finding.message.endswith(
        ", unless features.has(c) at app/more.py:5 or app.views.view(...) called from outside the analysed code"
        " at app/views.py:4 (or 1 more such reads) reads it"
    )


def test_fl004_says_no_call_declares_the_key_and_suggests_the_close_one(lint):
    views = (
        "from app import features\n\n\n"
        "def view(org):\n"
        '    if features.has("organizations:new-ui", org):\n        return 1\n'
        '    if features.has("organizations:old-export", org):\n        return 2\n'
        '    return features.has("organizations:new-iu", org)\n'
    )
    [finding] = lint(_project(views))
    assert (finding.code, finding.path, finding.span.line) == ("FL004", "app/views.py", 9)
    assert finding.message == (
        "flag 'organizations:new-iu' (app.manager.FeatureManager) is read but no call declares it in the "
        "registry app.manager.FeatureManager (app/features.py); did you mean 'organizations:new-ui'?"
    )


def test_a_registry_no_read_api_tests_in_a_condition_is_not_one_of_flags(lint):
    views = (
        "from app import features\n\n\n"
        "def view(org):\n"
        '    return features.has("organizations:new-ui", org), features.has("organizations:typo", org)\n'
    )
    assert lint(_project(views)) == ()


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{ name = 'app.features.has', declare = 3 }", "flag-apis entry 1: declare must be a str"),
        (
            "{ name = 'app.features.has', declare = 'add' }",
            "flag-apis entry 1: declare must be a dotted name such as 'pkg.features.add', got 'add'",
        ),
        (
            "{ name = 'app.features.has', declares = 'app.features.add' }",
            "flag-apis entry 1: unknown key 'declares' (known: declare, default, key, keyword, method, name, provider, source)",
        ),
    ],
)
def test_a_bad_declare_is_a_configuration_error_exit_2(tmp_path, entry, message):
    write_tree(tmp_path, {**_project("x = 1\n"), "flaglint.toml": f"flag-apis = [{entry}]\n"})
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output

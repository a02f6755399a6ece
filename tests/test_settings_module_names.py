"""``settings.X`` reaches the module ``DJANGO_SETTINGS_MODULE`` names.

Django reads its settings from the module named in ``DJANGO_SETTINGS_MODULE``,
whatever its file is called (sentry's is ``sentry/conf/server.py``). The
name is found where projects write it: ``os.environ.setdefault`` in
``manage.py`` (below the script's own directory first), ``os.environ[...] =``,
``pytest.ini``/``setup.cfg``/``tox.ini``/``pyproject.toml``, an environment
source; the modules it star-imports count too, transitively. A computed
name names nothing (the settings modules found by file name stay). Each case
is a project under tests/data/attributes/ whose findings
``test_settings_reads.py`` compares with its ``expected.txt``; here, the
audit's statuses, which show whether each read was joined.
"""

from __future__ import annotations

import json
import shutil

import pytest

from cases import DATA
from conftest import run_cli, triples, write_tree
from flaglint.audit import audit
from flaglint.extract.extract import extract_source
from flaglint.sources.django import named_settings

#: case -> {flag: (status, reads)}
STATUSES = {
    "named_by_setdefault": {
        "mysite.conf.live.ENABLE_LIVE_CHAT": ("live", 1),  # the module manage.py names
        "mysite.conf.base.ENABLE_BETA_SEARCH": ("live", 1),  # star-imported by it (getattr)
        "mysite.conf.defaults.ENABLE_GAMMA_EXPORT": ("live", 1),  # star-imported two steps away
        "mysite.conf.defaults.enable_lower_case": ("unused", 0),  # Django takes upper-case names only
        "mysite.conf.unnamed.ENABLE_UNNAMED": ("dead", 1),  # named nowhere: only the plain import reads it
        "mysite.conf.live.ENABLE_SKIP_INTERNAL": ("live", 1),  # ``skip = settings.X`` at module level
        "mysite.conf.live.RATE_LIMITS_ON": ("live", 1),  # a class attribute copies it
    },
    "named_by_config": {
        "server.config.testing.ENABLE_TEST_HOOKS": ("live", 1),  # pytest.ini
        "server.config.production.ENABLE_NEW_BILLING": ("live", 1),  # server/manage.py: "config.production"
        "server.config.staging.ENABLE_STAGING_BANNER": ("unused", 0),  # named nowhere
    },
    "named_by_environment": {
        "web.conf.docker.ENABLE_CONTAINER_METRICS": ("live", 2),  # ENV in the Dockerfile
    },
    "computed_name": {
        # f-string / os.environ.get: the graph joins no read to it; the audit
        # still keeps it from "unused" (flagness: it may be the module named)
        "shop.conf.prod.ENABLE_PROD_ONLY": ("live", 0),
        "shop.settings.ENABLE_BY_FILE_NAME": ("live", 1),  # the file-name rule stays
    },
    "two_projects": {
        "alpha.conf.main.ENABLE_ALPHA_FEATURE": ("live", 1),  # alpha/manage.py: conf.main below alpha/
        "beta.conf.main.ENABLE_BETA_FEATURE": ("live", 1),  # beta/tox.ini: conf.main below beta/
        "gamma.conf.main.ENABLE_GAMMA_FEATURE": ("unused", 0),  # the same name, named by no one
    },
}


@pytest.mark.parametrize("case", sorted(STATUSES))
def test_settings_reads_reach_the_named_module(case, tmp_path, monkeypatch):
    root = tmp_path / case
    shutil.copytree(DATA / "attributes" / case, root)
    monkeypatch.chdir(root)
    flags = audit(["."], cwd=root, ages=False).flags
    assert {entry.name: (entry.status, len(entry.reads)) for entry in flags} == STATUSES[case]


def test_a_named_module_read_is_kept_live_for_the_deployment(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(DATA / "attributes" / "named_by_setdefault", root)
    monkeypatch.chdir(root)
    (chat,) = [entry for entry in audit(["."], cwd=root, ages=False).flags if entry.short == "ENABLE_LIVE_CHAT"]
    assert [(read.location.path, read.location.line) for read in chat.reads] == [("mysite/views.py", 7)]
    assert chat.set_by == ["read through django.conf.settings: the deployment's settings may set it"]


WRITES = {
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "a.setdefault")': ("a.setdefault",),
    'os.environ["DJANGO_SETTINGS_MODULE"] = "b.item"': ("b.item",),
    'os.environ.update(DJANGO_SETTINGS_MODULE="c.keyword")': ("c.keyword",),
    'os.environ.update({"DJANGO_SETTINGS_MODULE": "d.dict"})': ("d.dict",),
    'monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "e.monkeypatch")': ("e.monkeypatch",),
    # must not: computed, not a module name, another variable, no value
    "os.environ['DJANGO_SETTINGS_MODULE'] = name": (),
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"x.{name}")': (),
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "has space")': (),
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trailing.")': (),
    'os.environ.setdefault("OTHER_MODULE", "f.other")': (),
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE")': (),
    'os.environ.get("DJANGO_SETTINGS_MODULE", "g.read")': (),
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "' + "a" * 201 + '")': (),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_the_module_a_write_names(write):
    text = f"import os\n\n\ndef setup(monkeypatch, name):\n    {write}\n"
    assert extract_source(text, "manage.py", "manage").settings_names == WRITES[write]


CONFIGS = {
    "[pytest]\nDJANGO_SETTINGS_MODULE = core.settings.label_studio\n": [("core.settings.label_studio", 2)],
    "[tool:pytest]\naddopts = --ds=proj.test_settings -x\n": [("proj.test_settings", 2)],
    "[pytest]\naddopts = -p no:cacheprovider --ds proj.ci\n": [("proj.ci", 2)],
    "[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE=proj.tox  # tests\n": [("proj.tox", 3)],
    "[testenv]\nsetenv = DJANGO_SETTINGS_MODULE=proj.one\n": [("proj.one", 2)],
    '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "proj.toml"\n': [("proj.toml", 2)],
    '[tool.pytest.ini_options]\naddopts = "--ds=proj.quoted -x"\n': [("proj.quoted", 2)],
    '[tool.pytest.ini_options]\naddopts = "--ds=proj.quoted_end"\n': [("proj.quoted_end", 2)],
    '[tool.pytest.ini_options]\naddopts = ["--ds=proj.listed"]\n': [("proj.listed", 2)],
    '[tool.pytest.ini_options]\naddopts = ["-x", "--ds", "proj.items"]\n': [("proj.items", 2)],
    # must not: computed, unbalanced quotes, not a name, only mentioned
    "[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE={env:DSM:proj.settings}\n": [],
    "[pytest]\nDJANGO_SETTINGS_MODULE = \"proj.half'\n": [],
    "[pytest]\nDJANGO_SETTINGS_MODULE = proj settings\n": [],
    "# set DJANGO_SETTINGS_MODULE = proj.comment in your shell\n": [],
    "[pytest]\nX_DJANGO_SETTINGS_MODULE = proj.other\n": [],
}


@pytest.mark.parametrize("text", sorted(CONFIGS))
def test_the_module_a_test_configuration_names(text):
    assert named_settings(text) == CONFIGS[text]


PROJECT = {
    "app/__init__.py": "",
    "app/conf/__init__.py": "",
    "app/conf/prod.py": "ENABLE_X = False\n",
    "app/conf/dev.py": "ENABLE_X = True\n",
    "app/views.py": (
        "from django.conf import settings\n\nfrom app.conf import prod\n\n\n"
        "def view():\n    if settings.ENABLE_X:\n        return 1\n    if prod.ENABLE_X:\n        return 2\n"
        "    return 0\n"
    ),
}


UNNAMED = [("FL001", "app/conf/prod.py", 1), ("FL002", "app/views.py", 10)]


def check_json(root, *options):
    result = run_cli("check", "--format", "json", *options, cwd=root)
    return result.exit_code, triples(json.loads(result.output))


@pytest.mark.parametrize("cache", [(), ("--no-cache",)])
def test_editing_the_named_module_in_pytest_ini_changes_the_findings(tmp_path, cache):
    """The memo's key holds what the configuration names: a warm run after
    the edit agrees with a cold one."""
    write_tree(tmp_path, {**PROJECT, "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = app.conf.prod\n"})
    assert check_json(tmp_path, *cache) == (0, [])
    (tmp_path / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = app.conf.dev\n")
    assert check_json(tmp_path, *cache) == (1, UNNAMED)


@pytest.mark.parametrize(
    "config, expected",
    [
        (b"\xff\xfe not UTF-8\nDJANGO_SETTINGS_MODULE = app.conf.prod\n", (1, UNNAMED)),  # undecodable: unread
        (b"[pytest]\nDJANGO_SETTINGS_MODULE = app.conf.prod\n\0\0\0", (0, [])),  # the name's line is fine
    ],
)
def test_an_odd_test_configuration_is_no_finding(tmp_path, config, expected):
    """A configuration file is read only for the name: one that cannot be
    read names nothing, and is no flag source's problem (no FL000)."""
    write_tree(tmp_path, {**PROJECT, "setup.cfg": config})
    assert check_json(tmp_path, "--no-cache") == expected


def test_a_test_configuration_that_is_not_a_file_names_nothing(tmp_path):
    write_tree(tmp_path, PROJECT)
    (tmp_path / "pytest.ini").symlink_to("/dev/zero")
    assert check_json(tmp_path, "--no-cache") == (1, UNNAMED)


@pytest.mark.parametrize("configure, expected", [("ENABLE_X=True", []), ("ENABLE_X=False", UNNAMED)])
def test_a_true_keyword_of_settings_configure_sets_the_setting(tmp_path, configure, expected):
    """``settings.configure(ENABLE_X=True)`` (a reusable app's test runner)
    turns ENABLE_X on; a false keyword turns nothing on."""
    runner = f"from django.conf import settings\n\nsettings.configure({configure})\n"
    write_tree(tmp_path, {**PROJECT, "runtests.py": runner})
    assert check_json(tmp_path, "--no-cache") == ((1 if expected else 0), expected)

"""Settings classes declare flags: a pydantic ``BaseSettings`` (v1 and v2), a
dataclass or an attrs class of settings whose bool fields have a literal
default. A field no code reads is FL005; a field bound to an environment
variable (``env_prefix``, ``alias``, ``validation_alias``, v1 ``env``) is
decided by the tree's ``.env``, compose and Kubernetes files like any
environment flag (FL001, FL006). Each case is a small project under
tests/data/settings/ with its exact findings beside it; the tests below pin
what extraction records, the messages, and that each must-not case would
report without the one line that keeps it quiet."""

from __future__ import annotations

import shutil

import pytest

from cases import DATA, actual, case_names, expected
from conftest import run_cli
from flaglint import api
from flaglint.extract import extract_source
from flaglint.facts import PREFIX_UNKNOWN, AttrChain, Span


@pytest.mark.parametrize("case", case_names("settings"))
def test_settings_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("settings", case, tmp_path, monkeypatch) == expected("settings", case)


def _facts(text, module="app.config"):
    return extract_source(text, "app/config.py", module)


def test_a_v2_class_is_recorded_with_its_prefix_fields_and_aliases():
    (found,) = _facts(
        "from pydantic import Field, AliasChoices, AliasPath\n"
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
        "class S(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix='APP_', case_sensitive=True)\n"
        "    a: bool = False\n"
        "    b: bool = Field(default=True, alias='B_NAME')\n"
        "    c: bool = Field(False, validation_alias=AliasChoices(AliasPath('x'), 'C1', 'C2'))\n"
        "    d: int = 3\n"
        "    e: 'Optional[Nested]' = None\n"
        "    f: bool = Field(False, validation_alias=name_of('f'))\n"
    ).settings_classes
    assert (found.name, found.bases, found.decorator, found.env_prefix, found.case_sensitive) == (
        "S",
        ("BaseSettings",),
        "",
        "APP_",
        True,
    )
    assert [(f.name, f.span.line, f.default, f.annotation, f.env_names, f.computed) for f in found.fields] == [
        ("a", 5, False, "bool", (), False),
        ("b", 6, True, "bool", ("B_NAME",), False),
        ("c", 7, False, "bool", ("C1", "C2"), False),
        ("e", 9, None, "Nested", (), False),
        ("f", 10, False, "bool", (), True),
    ]


@pytest.mark.parametrize(
    "config, prefix",
    [
        ("    class Config:\n        env_prefix = 'SVC_'\n", "SVC_"),
        ("    model_config = {'env_prefix': 'D_'}\n", "D_"),
        ("    model_config = build('x')\n", PREFIX_UNKNOWN),
        ("    model_config = SettingsConfigDict(env_prefix=PREFIX)\n", PREFIX_UNKNOWN),
        ("    model_config = SettingsConfigDict(**BASE)\n", PREFIX_UNKNOWN),
        ("", None),
    ],
)
def test_the_prefix_is_literal_unknown_or_unset(config, prefix):
    (found,) = _facts(f"class S(BaseSettings):\n{config}    a: bool = False\n").settings_classes
    assert found.env_prefix == prefix


def test_chains_name_what_their_first_object_is():
    facts = _facts(
        "from app.conf import Settings, get_settings, settings\n"
        "def f(s: Settings, t, name):\n"
        "    local = get_settings()\n"
        "    if s.server.x_on:\n"
        "        pass\n"
        "    t.loose_one\n"
        "    local.b\n"
        "    get_settings().c\n"
        "    settings.d\n"
        "    getattr(settings, name)\n"
        "    getattr(s, 'by_literal')\n"
        "class K:\n"
        "    def m(self):\n"
        "        return self.own\n",
        module="app.views",
    )
    chains = {(c.root, c.attrs): (c.line, c.gate) for c in facts.attr_chains}
    assert chains == {
        ("type:Settings", ("server", "x_on")): (4, Span(5, 9, 5, 13)),
        ("call:get_settings", ("b",)): (7, None),
        ("call:get_settings", ("c",)): (8, None),
        ("name:settings", ("d",)): (9, None),
        ("name:settings", ("*",)): (10, None),
        ("type:Settings", ("by_literal",)): (11, None),
        ("self:K", ("own",)): (14, None),
    }
    assert facts.loose_attrs == ("loose_one",)
    assert AttrChain("type:Settings", ("server", "x_on"), 4, 8, Span(5, 9, 5, 13)) in facts.attr_chains


def test_return_types_and_returned_instances():
    facts = _facts(
        "def a() -> 'Settings':\n    return load()\n"
        "def b():\n    return Settings()\n"
        "def c() -> Optional[Settings]:\n    return None\n"
    )
    assert facts.returns == (("a", "type:Settings"), ("b", "call:Settings"), ("c", "type:Settings"))


def test_the_messages_and_the_exit_code(tmp_path):
    shutil.copytree(DATA / "settings" / "pydantic_v2_env", tmp_path / "p")
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path / "p")
    assert result.exit_code == 1
    assert result.output.splitlines()[:4] == [
        "app/config.py:10:5: FL005 flag 'legacy_ui' is declared in settings class app.config.ServerSettings, never read",
        "app/config.py:18:5: FL005 flag 'unused_switch' is declared in settings class app.config.Settings, never read",
        "app/strict.py:14:8: FL001 environment variable STRICT_audit_log gates code in 1 place but is never set: "
        "its default is off and no environment source sets it",
        "app/views.py:5:8: FL001 environment variable BETA_SEARCH gates code in 1 place but is never set: "
        "its default is off and no environment source sets it",
    ]


@pytest.mark.parametrize(
    "case, path, old, new, finding",
    [
        (  # the literal getattr is what keeps read_by_getattr quiet
            "not_settings",
            "app/models.py",
            'getattr(settings, "read_by_getattr")',
            "None",
            "FL005 app/models.py:23 app.models.Settings.read_by_getattr",
        ),
        (  # the untyped parameter is what keeps read_by_untyped_param quiet
            "not_settings",
            "app/models.py",
            "conf.read_by_untyped_param",
            "conf",
            "FL005 app/models.py:24 app.models.Settings.read_by_untyped_param",
        ),
        (
            "unsure",
            "app/use.py",
            "settings.model_dump()",
            "{}",
            "FL005 app/conf.py:5 app.conf.DumpedSettings.dumped_flag",
        ),
        (
            "unsure",
            "app/use.py",
            "getattr(settings, name)",
            "name",
            "FL005 app/conf.py:9 app.conf.GetattrSettings.by_name_flag",
        ),
        (
            "unsure",
            "app/use.py",
            "TypeAdapter(PassedSettings)",
            "None",
            "FL005 app/conf.py:13 app.conf.PassedSettings.passed_flag",
        ),
        ("unsure", "app/use.py", "vars(settings)", "{}", "FL005 app/conf.py:17 app.conf.VarsSettings.vars_flag"),
        (  # the legacy name is what keeps enable_http2 quiet
            "computed_prefix",
            "app/client.py",
            "APP_API_ENABLE_HTTP2",
            "APP_API_OTHER",
            "FL005 app/base.py:15 app.base.ApiSettings.enable_http2",
        ),
        (  # the compose file is what keeps SVC_NEW_BILLING from FL001
            "pydantic_v1",
            "docker-compose.yml",
            "SVC_NEW_BILLING",
            "SVC_UNRELATED",
            "FL001 svc/app.py:6 env:SVC_NEW_BILLING",
        ),
    ],
)
def test_each_must_not_reports_without_what_keeps_it_quiet(tmp_path, monkeypatch, case, path, old, new, finding):
    root = tmp_path / case
    shutil.copytree(DATA / "settings" / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    target = root / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))
    monkeypatch.chdir(root)
    found = [f"{f.code} {f.path}:{f.span.line} {f.flag}" for f in api.check(["."], cwd=root).findings]
    assert finding in found
    assert finding not in expected("settings", case)


def test_code_that_sets_a_field_keeps_its_variable_from_fl001(lint):
    files = {
        "app/__init__.py": "",
        "app/conf.py": "from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    beta: bool = False\n",
        "app/main.py": "from app.conf import S\nsettings = S(beta=True)\n"
        "def f():\n    if settings.beta:\n        return 1\n",
        ".env": "OTHER=1\n",
    }
    assert [(f.code, f.flag) for f in lint(files)] == []
    files["app/main.py"] = files["app/main.py"].replace("S(beta=True)", "S()")
    assert [(f.code, f.path, f.span.line, f.flag) for f in lint(files)] == [("FL001", "app/main.py", 4, "env:BETA")]


@pytest.mark.parametrize(
    "body",
    [
        "    model_config = 5\n    a: bool = False\n",
        "    class Config:\n        env_prefix = 1\n        case_sensitive = maybe\n    a: bool = False\n",
        "    a: bool = Field(*args)\n",
        "    a: bool = Field(**options)\n",
        "    a: 'not a name' = False\n",
        "    a: bool = Field(False, validation_alias=AliasChoices(*names))\n",
        "    model_config = SettingsConfigDict(env_prefix=b'X_')\n    a: bool = False\n",
        "    a, b = False, True\n    (c): bool = False\n",
    ],
)
def test_odd_settings_classes_never_crash(tmp_path, body):
    (tmp_path / "conf.py").write_text(f"from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n{body}")
    (tmp_path / "use.py").write_text("import conf\ndef f(s: conf.S):\n    return s.a\n")
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code in (0, 1)


def test_a_cycle_of_many_bases_ends_quickly(tmp_path):
    """Python refuses such classes at run time, but the parser takes them:
    every walk over bases visits each class once."""
    names = [f"C{index}" for index in range(40)]
    classes = "".join(
        f"class {name}({', '.join(other for other in names if other != name)}, BaseSettings):\n"
        f"    model_config = make()\n    {name.lower()}_on: bool = False\n"
        for name in names
    )
    (tmp_path / "conf.py").write_text("from pydantic_settings import BaseSettings\n" + classes)
    (tmp_path / "use.py").write_text("import conf\ndef f(s: conf.C1):\n    return s.c1_on\n")
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code == 1
    assert "Found 39 findings in 2 files (FL005: 39)." in result.output
    assert "'c1_on'" not in result.output


def test_a_field_read_through_an_attribute_of_another_class_is_read(lint):
    """``self.settings.legacy`` in a class that is not settings: what
    ``self.settings`` holds is not known, so ``legacy`` may be the field."""
    files = {
        "app/__init__.py": "",
        "app/conf.py": "from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    legacy: bool = False\n",
        "app/report.py": "from app.conf import S\n"
        "class Report:\n    def __init__(self, settings: S):\n        self.settings = settings\n"
        "    def render(self):\n        return self.settings.legacy\n",
    }
    assert list(lint(files)) == []
    files["app/report.py"] = files["app/report.py"].replace("self.settings.legacy", "self.settings.other")
    assert [(f.code, f.path, f.span.line, f.flag) for f in lint(files)] == [
        ("FL005", "app/conf.py", 3, "app.conf.S.legacy")
    ]


@pytest.mark.parametrize("kind, case", [("settings", name) for name in case_names("settings")])
def test_the_audit_lists_as_unused_exactly_what_fl005_reports(tmp_path, monkeypatch, kind, case):
    from flaglint.audit import audit

    root = tmp_path / case
    shutil.copytree(DATA / kind / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(root)
    unused = sorted(e.name for e in audit(["."], cwd=root, ages=False).flags if e.status == "unused")
    fl005 = sorted(line.split()[2] for line in expected(kind, case) if line.startswith("FL005"))
    assert unused == fl005


def test_a_nested_model_annotated_through_its_module_is_followed(lint):
    files = {
        "app/__init__.py": "",
        "app/server.py": "from pydantic_settings import BaseSettings\n"
        "class ServerSettings(BaseSettings):\n    metrics: bool = False\n    legacy: bool = False\n",
        "app/conf.py": "from pydantic_settings import BaseSettings\nfrom app import server\n"
        "class Settings(BaseSettings):\n    server: server.ServerSettings = server.ServerSettings()\n",
        "app/use.py": "from app.conf import Settings\ndef f(s: Settings):\n    return s.server.metrics\n",
    }
    assert [(f.code, f.path, f.span.line, f.flag) for f in lint(files)] == [
        ("FL005", "app/server.py", 4, "app.server.ServerSettings.legacy")
    ]

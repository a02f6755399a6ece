"""More flag sources: Dockerfile ENV, Kubernetes manifests (and Helm
templates, kustomize generators), Unleash exports, django-flags FLAGS.
Each: what is read, the exact findings it leads to, and malformed input."""

from __future__ import annotations

import json

import pytest

from flaglint.sources import kubernetes
from flaglint.sources.django import ShapeError, state_of
from flaglint.sources.dockerfile import parse_dockerfile
from flaglint.sources.load import load_sources, parse_flag_file
from flaglint.sources.names import is_dockerfile, is_settings_file, is_template_file

from conftest import found, write_tree

APP = "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA') == '1':\n        beta()\n"
NEVER_SET = [("FL001", "app.py", 4, "env:ENABLE_BETA"), ("FL002", "app.py", 5, "env:ENABLE_BETA")]


def env_of(tmp_path, files):
    """{name: [(path, line, value)]} and the Sources the tree gives."""
    write_tree(tmp_path, files)
    sources = load_sources([tmp_path], tmp_path)
    return {name: [(a.path, a.line, a.value) for a in items] for name, items in sources.env.items()}, sources


# ------------------------------------------------------------ Dockerfile

DOCKERFILE = """\
# escape=`
FROM python:3.12 AS build
ARG MODE=dev
ENV A=1 B="two words" `
    C=${MODE}
ENV LEGACY some value
env lower=1
ENV QUOTED='literal $x'
FROM build
ENV ${NAME}=1
"""


def test_dockerfile_env_forms():
    assignments, problems, open_reason = parse_dockerfile(DOCKERFILE, "Dockerfile")
    assert [(a.name, a.value, a.line) for a in assignments] == [
        ("A", "1", 4),
        ("B", "two words", 4),
        ("C", None, 4),  # substituted from an ARG: set, value unknown
        ("LEGACY", "some value", 6),
        ("lower", "1", 7),
        ("QUOTED", "literal $x", 8),  # single quotes: no substitution
    ]
    assert problems == []
    assert open_reason == "Dockerfile:10 sets a variable whose name is substituted at build time"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Dockerfile", True),
        ("Dockerfile.prod", True),
        ("api.Dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile-notes.md", False),
        ("dockerfile.py", False),
        ("Makefile", False),
    ],
)
def test_dockerfile_names(name, expected):
    assert is_dockerfile(name) is expected


def test_dockerfile_sets_the_flag(lint):
    assert lint({".env": "OTHER=1\n", "Dockerfile": "FROM python\nENV ENABLE_BETA=1\n", "app.py": APP}) == ()


def test_dockerfile_that_does_not_set_the_flag(lint):
    files = {".env": "OTHER=1\n", "deploy/Dockerfile.prod": "FROM python\nENV OTHER_FLAG=1\n", "app.py": APP}
    assert found(lint(files)) == NEVER_SET


def test_a_dockerfile_alone_does_not_make_the_environment_known(lint):
    """An image's defaults do not tell what its deployment sets."""
    assert lint({"Dockerfile": "FROM python\nENV OTHER=1\n", "app.py": APP}) == ()


def test_malformed_env_instruction_is_fl000_and_analysis_goes_on(lint):
    files = {".env": "OTHER=1\n", "Dockerfile": "FROM python\nENV\nENV X=1 Y\n", "app.py": APP}
    findings = lint(files)
    assert found(findings) == [("FL000", "Dockerfile", 2, None), ("FL000", "Dockerfile", 3, None), *NEVER_SET]
    assert [f.message for f in findings if f.code == "FL000"] == [
        "ENV without a variable",
        'cannot read ENV: Syntax error - can\'t find = in "Y". Must be of the form: name=value',
    ]


# ------------------------------------------------------------ Kubernetes

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          env:
            - name: MIGRATE_ONLY
              value: "1"
      containers:
        - name: web
          image: shop
          env:
            - name: ENABLE_BETA
              value: "true"
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
            - name: EMPTY
          envFrom:
            - configMapRef:
                name: web-config
              prefix: CFG_
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  USE_QUEUE: "yes"
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - {name: job, env: [{name: NIGHTLY, value: "1"}]}
"""


def test_manifest_env_and_config_maps(tmp_path):
    env, sources = env_of(tmp_path, {"k8s/web.yaml": DEPLOYMENT})
    assert env == {
        "MIGRATE_ONLY": [("k8s/web.yaml", 11, "1")],
        "ENABLE_BETA": [("k8s/web.yaml", 17, "true")],
        "DB_PASSWORD": [("k8s/web.yaml", 19, None)],  # valueFrom: set, value unknown
        "EMPTY": [("k8s/web.yaml", 22, "")],
        "NIGHTLY": [("k8s/web.yaml", 44, "1")],
        "CFG_USE_QUEUE": [("k8s/web.yaml", 33, "yes")],  # envFrom with its prefix, at the ConfigMap's key
    }
    assert (sources.env_files, sources.env_open, sources.problems) == (["k8s/web.yaml"], [], [])


def test_manifest_sets_the_flag(lint):
    assert lint({"k8s/web.yaml": DEPLOYMENT, "app.py": APP}) == ()


def test_manifest_that_does_not_set_the_flag(lint):
    assert found(lint({"k8s/web.yaml": DEPLOYMENT.replace("ENABLE_BETA", "OTHER"), "app.py": APP})) == NEVER_SET


def test_env_from_a_config_map_in_another_file(lint):
    manifest = DEPLOYMENT.replace("ENABLE_BETA", "OTHER").replace("prefix: CFG_", "prefix: ENABLE_")
    assert lint({"k8s/web.yaml": manifest, "app.py": APP.replace("ENABLE_BETA", "ENABLE_USE_QUEUE")}) == ()


def test_env_from_a_config_map_not_in_the_tree_makes_every_variable_unknown(tmp_path, lint):
    manifest = DEPLOYMENT.replace("ENABLE_BETA", "OTHER").replace("name: web-config", "name: elsewhere", 1)
    assert lint({"k8s/web.yaml": manifest, "app.py": APP}) == ()
    _, sources = env_of(tmp_path, {"k8s/web.yaml": manifest})
    assert sources.env_open == [
        "k8s/web.yaml:25 loads every key of ConfigMap 'elsewhere' (envFrom), which is not in the analysed tree"
    ]


def test_kustomize_generators_define_config_maps(tmp_path):
    files = {
        "k8s/web.yaml": DEPLOYMENT.replace("prefix: CFG_", "prefix: ''"),
        "k8s/kustomization.yaml": (
            "resources: [web.yaml]\nconfigMapGenerator:\n  - name: web-config\n    literals:\n      - FROM_LITERAL=1\n"
            "    envs: [web.env]\n    files: [settings.ini, KEYED=other.txt]\n"
        ),
        "k8s/web.env": "FROM_ENV_FILE=on\n",
    }
    env, sources = env_of(tmp_path, files)
    assert {
        name: places for name, places in env.items() if name.startswith(("FROM_", "USE_", "KEYED", "settings"))
    } == {
        "USE_QUEUE": [("k8s/web.yaml", 33, "yes")],
        "FROM_LITERAL": [("k8s/kustomization.yaml", 5, "1")],
        "FROM_ENV_FILE": [("k8s/web.env", 1, "on")],
        "settings.ini": [("k8s/kustomization.yaml", 7, None)],
        "KEYED": [("k8s/kustomization.yaml", 7, None)],
    }
    assert sources.env_open == []


def test_broken_manifest_is_fl000_and_variables_unknown(lint):
    manifest = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n"
    findings = lint({"k8s/pod.yaml": manifest, ".env": "OTHER=1\n", "app.py": APP})
    assert [(f.code, f.path, f.span.line) for f in findings] == [("FL000", "k8s/pod.yaml", 5)]
    assert findings[0].message.startswith("invalid YAML: ")


@pytest.mark.parametrize(
    "name, text",
    [
        # a workflow template is not run by this repository (its workflows are: test_realworld_more.py)
        (".github/workflow-templates/ci.yml", "on: push\njobs:\n  t:\n    env:\n      ENABLE_BETA: 1\n"),
        ("openapi.yaml", "openapi: 3.0.0\ninfo: {title: x}\n"),
        ("k8s/service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"),  # no pod spec
        ("node_modules/pkg/deploy.yaml", DEPLOYMENT),  # a skipped directory
    ],
)
def test_yaml_that_is_not_a_manifest_sets_nothing(lint, name, text):
    assert found(lint({name: text, ".env": "OTHER=1\n", "app.py": APP})) == NEVER_SET


def test_large_yaml_files_are_not_read(lint, monkeypatch):
    monkeypatch.setattr(kubernetes, "MAX_BYTES", 100)
    assert found(lint({"k8s/web.yaml": DEPLOYMENT, ".env": "OTHER=1\n", "app.py": APP})) == NEVER_SET


HELM = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- if .Values.beta }}
          env:
            - name: HELM_FLAG
              value: {{ .Values.beta | quote }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
"""


def test_helm_template_with_literal_names_is_read(tmp_path):
    env, sources = env_of(tmp_path, {"chart/templates/deployment.yaml": HELM})
    assert env == {"HELM_FLAG": [("chart/templates/deployment.yaml", 15, None)]}
    assert (sources.env_files, sources.env_open, sources.problems) == (["chart/templates/deployment.yaml"], [], [])


def test_helm_template_sets_the_flag_or_not(lint):
    assert lint({"chart/templates/d.yaml": HELM.replace("HELM_FLAG", "ENABLE_BETA"), "app.py": APP}) == ()
    assert found(lint({"chart/templates/d.yaml": HELM, "app.py": APP})) == NEVER_SET


@pytest.mark.parametrize(
    "replacement, reason",
    [
        (
            "          env:\n            {{- toYaml .Values.env | nindent 12 }}\n",
            "chart/templates/d.yaml:14 inserts text flaglint cannot see ({{- toYaml .Values.env | nindent 12 }}) "
            "where variables may be set",
        ),
        (
            "          env:\n            - name: {{ .Values.flagName }}\n              value: '1'\n",
            "chart/templates/d.yaml:14 sets a variable whose name is templated",
        ),
    ],
)
def test_helm_template_that_may_set_anything_makes_variables_unknown(tmp_path, lint, replacement, reason):
    start, end = HELM.index("          {{- if"), HELM.index("          resources:")
    template = HELM[:start] + replacement + HELM[end:]
    assert lint({"chart/templates/d.yaml": template, ".env": "OTHER=1\n", "app.py": APP}) == ()
    _, sources = env_of(tmp_path, {"chart/templates/d.yaml": template})
    assert sources.env_open == [reason]


def test_helm_template_that_is_not_yaml_is_never_fl000(lint):
    template = "apiVersion: v1\nkind: Pod\nspec:\n  containers: {{ .Values.c }} [\n  {{ if }\n"
    assert lint({"chart/templates/pod.yaml": template, ".env": "OTHER=1\n", "app.py": APP}) == ()


# ------------------------------------------------------------ Unleash

UNLEASH_CLIENT = {
    "version": 1,
    "features": [
        {"name": "dark", "enabled": False, "strategies": [{"name": "default"}]},
        {"name": "everyone", "enabled": True, "strategies": [{"name": "default", "parameters": {}}]},
        {"name": "no-strategies", "enabled": True, "strategies": []},
        {
            "name": "rollout-100",
            "enabled": True,
            "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "100", "stickiness": "default"}}],
        },
        {
            "name": "rollout-100-by-user",
            "enabled": True,
            "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "100", "stickiness": "userId"}}],
        },
        {
            "name": "rollout-0",
            "enabled": True,
            "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": 0, "stickiness": "default"}}],
        },
        {"name": "some-users", "enabled": True, "strategies": [{"name": "userWithId", "parameters": {"userIds": "7"}}]},
        {
            "name": "constrained",
            "enabled": True,
            "strategies": [
                {"name": "default", "constraints": [{"contextName": "appName", "operator": "IN", "values": ["a"]}]}
            ],
        },
        {"name": "child", "enabled": True, "strategies": [], "dependencies": [{"feature": "dark"}]},
        {"name": "archived", "enabled": True, "archived": True, "strategies": []},
    ],
}

#: the Unleash 4 state export (version 3): per-environment switches and strategies
UNLEASH_STATE = {
    "version": 3,
    "features": [{"name": "dev-only"}, {"name": "nowhere"}, {"name": "prod-rollout"}, {"name": "unexported"}],
    "featureStrategies": [
        {"featureName": "dev-only", "environment": "development", "strategyName": "default", "parameters": {}},
        {
            "featureName": "prod-rollout",
            "environment": "production",
            "strategyName": "flexibleRollout",
            "parameters": {"rollout": "100", "stickiness": "default"},
        },
        {"featureName": "prod-rollout", "environment": "development", "strategyName": "default"},
    ],
    "environments": [{"name": "default", "enabled": False}, {"name": "development", "enabled": True}],
    "featureEnvironments": [
        {"featureName": "dev-only", "environment": "development", "enabled": True},
        {"featureName": "dev-only", "environment": "production", "enabled": False},
        {"featureName": "dev-only", "environment": "default", "enabled": True},  # a disabled environment
        {"featureName": "nowhere", "environment": "development", "enabled": False},
        {"featureName": "nowhere", "environment": "production", "enabled": False},
        {"featureName": "prod-rollout", "environment": "production", "enabled": True},
        {"featureName": "prod-rollout", "environment": "development", "enabled": True},
    ],
}

#: the export of Unleash 5-7 (one environment; strategies carry no environment)
UNLEASH_EXPORT = {
    "features": [{"name": "some-toggle1", "type": "release", "project": "p"}, {"name": "off-toggle"}],
    "featureStrategies": [{"name": "default", "featureName": "some-toggle1", "parameters": {}, "constraints": []}],
    "featureEnvironments": [
        {"enabled": True, "featureName": "some-toggle1", "environment": "development", "name": "some-toggle1"},
        {"enabled": False, "featureName": "off-toggle", "environment": "development", "name": "off-toggle"},
    ],
    "tagTypes": [],
}


def unleash_states(tmp_path, data, name="unleash.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    definitions, problem = parse_flag_file(path, name)
    assert problem is None
    return {d.key: (d.state, d.why, d.line) for d in definitions}


def test_unleash_client_features(tmp_path):
    states = unleash_states(tmp_path, UNLEASH_CLIENT)
    assert {key: state for key, (state, _, _) in states.items()} == {
        "dark": "off",
        "everyone": "on",
        "no-strategies": "on",
        "rollout-100": "on",
        "rollout-100-by-user": "live",
        "rollout-0": "off",
        "some-users": "live",
        "constrained": "live",
        "child": "live",
        "archived": "fallback",
    }
    assert states["dark"] == ("off", "it is disabled", 5)
    assert states["rollout-0"][1] == "its strategies serve nobody (rollout at 0 %)"


def test_unleash_state_export_with_environments(tmp_path):
    assert unleash_states(tmp_path, UNLEASH_STATE) == {
        "dev-only": ("live", "it is on in some environments and not in others", 5),
        "nowhere": ("off", "it is disabled in every environment", 8),
        "prod-rollout": ("on", "its flexibleRollout strategy is at 100 % in every environment", 11),
        "unexported": ("live", "the export does not say whether it is enabled", 14),
    }


def test_unleash_export_of_one_environment(tmp_path):
    states = unleash_states(tmp_path, UNLEASH_EXPORT)
    assert {key: state for key, (state, _, _) in states.items()} == {"some-toggle1": "on", "off-toggle": "off"}


def test_unleash_yaml_export(tmp_path):
    text = "features:\n  - name: legacy\n    enabled: false\n    strategies: []\n"
    (tmp_path / "unleash.yaml").write_text(text, encoding="utf-8")
    definitions, problem = parse_flag_file(tmp_path / "unleash.yaml", "unleash.yaml")
    assert (problem, [(d.key, d.state, d.format, d.line) for d in definitions]) == (
        None,
        [("legacy", "off", "unleash", 2)],
    )


UNLEASH_APP = """\
from UnleashClient import UnleashClient

client = UnleashClient("https://unleash", "shop")


def view():
    if client.is_enabled("dark"):
        return 1
    if client.is_enabled("some-users"):
        return 2
    if client.is_enabled("everyone"):
        return 3
    return 0
"""


def test_unleash_findings(lint):
    small = {"features": UNLEASH_CLIENT["features"][:3] + [UNLEASH_CLIENT["features"][6]]}
    files = {
        "pyproject.toml": '[tool.flaglint]\nflag-sources = ["unleash.json"]\n',
        "unleash.json": json.dumps(small, indent=2),
        "app.py": UNLEASH_APP,
    }
    findings = lint(files, select=["FL001", "FL002", "FL005"])
    assert found(findings) == [
        ("FL001", "app.py", 7, "sdk:unleash:dark"),
        ("FL002", "app.py", 8, "sdk:unleash:dark"),
        ("FL005", "unleash.json", 23, "sdk:unleash:no-strategies"),
    ]
    assert (
        next(f for f in findings if f.code == "FL001").message
        == "flag 'dark' (unleash) is read in 1 place but is never on: it is disabled (unleash.json:4)"
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"features": {"a": 1}}, "not a flag file: 'features' must be a list"),
        ({"features": [{"enabled": True}]}, "not a flag file: every feature must be a mapping with a 'name'"),
        (
            {"features": [{"name": "a", "enabled": True, "strategies": "default"}]},
            "not a flag file: feature 'a': 'strategies' must be a list",
        ),
        ({"features": [], "featureStrategies": {}}, "not a flag file: 'featureStrategies' must be a list"),
    ],
)
def test_malformed_unleash_exports(tmp_path, data, message):
    path = tmp_path / "unleash.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert parse_flag_file(path, "unleash.json") == ([], (message, 1))


def test_malformed_unleash_export_is_fl000_and_analysis_goes_on(lint):
    files = {
        "pyproject.toml": '[tool.flaglint]\nflag-sources = ["unleash.json"]\n',
        "unleash.json": '{"features": [\n  {"name": "dark", "enabled": false,}\n]}\n',
        ".env": "OTHER=1\n",
        "app.py": APP,
    }
    findings = lint(files)
    assert found(findings) == [("FL000", "unleash.json", 2, None), *NEVER_SET]
    assert next(f for f in findings if f.code == "FL000").message.startswith("invalid JSON: ")


# ------------------------------------------------------------ django-flags


@pytest.mark.parametrize(
    "conditions, state",
    [
        ([], "off"),
        ([("boolean", True)], "on"),
        ([("boolean", False)], "off"),
        ([{"condition": "boolean", "value": "true"}], "on"),
        ([{"condition": "boolean", "value": " Off "}], "off"),
        ((("boolean", False), ("parameter", "beta")), "live"),
        ([("parameter", "beta"), ("boolean", True)], "on"),  # any non-required condition
        ([("boolean", True), ("path matches", "^/shop", True)], "live"),  # and every required one
        ([("boolean", True), ("boolean", False, True)], "off"),
        ([("boolean", True, True)], "on"),  # only required conditions: all of them
        ([{"condition": "my custom", "value": 1}], "live"),
    ],
)
def test_django_flags_conditions(conditions, state):
    assert state_of("X", conditions, 1)[0] == state


@pytest.mark.parametrize(
    "conditions, message",
    [
        ({"boolean": True}, "FLAGS['X'] must be a list of conditions, not dict"),
        (
            ["boolean"],
            "FLAGS['X']: a condition must be a dict with 'condition' and 'value', or a "
            "(condition, value[, required]) tuple, not 'boolean'",
        ),
        ([("boolean", "maybe")], "FLAGS['X']: boolean condition value 'maybe' is not a truth value"),
    ],
)
def test_django_flags_conditions_of_the_wrong_shape(conditions, message):
    with pytest.raises(ShapeError, match="^" + __import__("re").escape(message) + "$"):
        state_of("X", conditions, 1)


SETTINGS = """\
INSTALLED_APPS = ["django.contrib.admin", "flags"]
FLAG_SOURCES = ("flags.sources.SettingsFlagsSource",)
FLAGS = {
    "NEW_UI": [],
    "ALWAYS": [("boolean", True)],
    "BY_PATH": [{"condition": "path matches", "value": "^/beta"}],
    "IN_TEMPLATE": [],
}
"""

DJANGO_APP = """\
from flags.state import flag_enabled


def view(request):
    if flag_enabled("NEW_UI", request=request):
        return 1
    if flag_enabled("ALWAYS", request=request):
        return 2
    if flag_enabled("BY_PATH", request=request):
        return 3
    return 0
"""


def django_project(settings=SETTINGS):
    return {
        "shop/settings.py": settings,
        "shop/templates/page.html": "{% load feature_flags %}\n{% flag_enabled 'IN_TEMPLATE' as beta %}\n",
        "app.py": DJANGO_APP,
    }


def test_django_flags_findings(lint):
    findings = lint(django_project(), select=["FL001", "FL002", "FL005"])
    assert found(findings) == [
        ("FL001", "app.py", 5, "sdk:django-flags:NEW_UI"),
        ("FL002", "app.py", 6, "sdk:django-flags:NEW_UI"),
    ]
    assert findings[0].message == (
        "flag 'NEW_UI' (django-flags) is read in 1 place but is never on: it has no conditions (shop/settings.py:4)"
    )


def test_a_flag_read_only_in_a_template_is_not_unused_but_one_read_nowhere_is(lint):
    files = django_project()
    files["shop/templates/page.html"] = "<p>no flags here</p>\n"
    assert found(lint(files, select=["FL005"])) == [("FL005", "shop/settings.py", 7, "sdk:django-flags:IN_TEMPLATE")]


def test_jinja2_templates_read_flags_too(tmp_path):
    files = django_project()
    files["shop/templates/page.html"] = "<p>none</p>\n"
    files["shop/jinja2/page.j2"] = "{% if flag_enabled('IN_TEMPLATE', request) %}x{% endif %}\n"
    write_tree(tmp_path, files)
    assert load_sources([tmp_path], tmp_path).outside_reads == {
        "sdk:django-flags:IN_TEMPLATE": [("shop/jinja2/page.j2", 1)]
    }


def test_with_the_default_flag_sources_the_database_can_turn_any_flag_on(lint):
    settings = SETTINGS.replace('FLAG_SOURCES = ("flags.sources.SettingsFlagsSource",)\n', "")
    assert found(lint(django_project(settings), select=["FL001", "FL002", "FL005"])) == []


@pytest.mark.parametrize(
    "change",
    [
        "FLAGS['NEW_UI'] = [('boolean', True)]\n",  # a later settings module turns it on
        "FLAGS.update({'NEW_UI': [('parameter', 'beta')]})\n",
        "FLAGS.update(load_flags())\n",  # not a literal: every flag unknown
        "FLAGS |= EXTRA\n",
    ],
)
def test_later_changes_to_flags_are_followed(lint, change):
    files = django_project()
    files["shop/settings/production.py"] = "from shop.settings import *\n" + change
    assert found(lint(files, select=["FL001"])) == []


def test_flags_that_is_not_a_literal_makes_every_flag_unknown(lint):
    settings = SETTINGS.replace('FLAGS = {\n    "NEW_UI": [],', 'FLAGS = {\n    **BASE,\n    "NEW_UI": [],')
    assert found(lint(django_project(settings), select=["FL001", "FL005"])) == []


def test_settings_of_a_project_without_the_flags_app_are_not_read(lint):
    settings = 'INSTALLED_APPS = ["django.contrib.admin"]\nFLAGS = {"NEW_UI": []}\n'
    assert found(lint({"shop/settings.py": settings, "app.py": DJANGO_APP}, select=["FL001", "FL005"])) == []


def test_settings_named_in_flag_sources_are_read_whatever_their_name(lint):
    files = {
        "pyproject.toml": '[tool.flaglint]\nflag-sources = ["conf/base.py"]\n',
        "conf/base.py": 'FLAG_SOURCES = ["flags.sources.SettingsFlagsSource"]\nFLAGS = {"NEW_UI": [("boolean", False)]}\n',
        "app.py": DJANGO_APP,
    }
    assert found(lint(files, select=["FL001"])) == [("FL001", "app.py", 5, "sdk:django-flags:NEW_UI")]


def test_malformed_flags_are_fl000_and_analysis_goes_on(lint):
    settings = SETTINGS.replace(
        '"BY_PATH": [{"condition": "path matches", "value": "^/beta"}]', '"BY_PATH": {"boolean": True}'
    )
    findings = lint(django_project(settings), select=["FL000", "FL001"])
    assert found(findings) == [
        ("FL000", "shop/settings.py", 6, None),
        ("FL001", "app.py", 5, "sdk:django-flags:NEW_UI"),
    ]
    assert (
        next(f for f in findings if f.code == "FL000").message
        == "FLAGS['BY_PATH'] must be a list of conditions, not dict"
    )


def test_missing_settings_in_flag_sources_is_fl000(lint):
    files = {"pyproject.toml": '[tool.flaglint]\nflag-sources = ["conf/nope.py"]\n', "app.py": DJANGO_APP}
    assert [(f.code, f.path, f.message) for f in lint(files)] == [("FL000", "conf/nope.py", "flag source not found")]


@pytest.mark.parametrize(
    "name, directory, settings, template",
    [
        ("settings.py", "shop", True, False),
        ("production.py", "shop/settings", True, False),
        ("settings_test.py", "shop", False, False),
        ("page.html", "shop/templates/shop", False, True),
        ("page.html", "shop/static", False, False),
        ("page.j2", "shop/jinja2", False, True),
    ],
)
def test_which_files_are_settings_and_templates(name, directory, settings, template):
    assert (is_settings_file(name, directory), is_template_file(name, directory)) == (settings, template)


# ------------------------------------------------------------ discovery and hostile input


def test_the_walk_sorts_candidate_files_by_kind(tmp_path):
    from flaglint.sources.load import walk_sources

    write_tree(
        tmp_path,
        {
            ".env": "A=1\n",
            "docker-compose.yml": "services: {}\n",
            "Dockerfile": "FROM x\n",
            "k8s/web.yaml": "a: 1\n",
            "k8s/kustomization.yaml": "resources: []\n",
            "shop/settings/base.py": "",
            "shop/templates/a.html": "",
            "node_modules/x/Dockerfile": "FROM x\n",
            "app.py": "",
        },
    )
    found = walk_sources([tmp_path])
    relative = lambda paths: [path.relative_to(tmp_path.resolve()).as_posix() for path in paths]  # noqa: E731
    assert {
        kind: relative(getattr(found, kind))
        for kind in ("env", "dockerfiles", "yaml", "kustomizations", "settings", "templates")
    } == {
        "env": [".env", "docker-compose.yml"],
        "dockerfiles": ["Dockerfile"],
        "yaml": ["k8s/web.yaml"],
        "kustomizations": ["k8s/kustomization.yaml"],
        "settings": ["shop/settings/base.py"],
        "templates": ["shop/templates/a.html"],
    }


def test_undecodable_dockerfile_is_fl000_and_variables_unknown(lint):
    findings = lint({"Dockerfile": b"FROM x\nENV A=\xff\n", ".env": "OTHER=1\n", "app.py": APP})
    assert [(f.code, f.path, f.span.line) for f in findings] == [("FL000", "Dockerfile", 1)]
    assert findings[0].message.startswith("cannot read Dockerfile: ")


def test_deeply_nested_manifest_is_fl000(lint):
    manifest = "apiVersion: v1\nkind: Pod\ncontainers: " + "[" * 20000 + "]" * 20000 + "\n"
    findings = lint({"pod.yaml": manifest, ".env": "OTHER=1\n", "app.py": APP})
    assert [(f.code, f.path) for f in findings] == [("FL000", "pod.yaml")]


def test_yaml_aliases_do_not_blow_up_the_walk(tmp_path):
    # issue 16: a document whose aliases expand past the budget is not read at all
    # (see tests/test_hostile_repository.py); with fewer levels it is, and the
    # walk still visits each shared list once
    def manifest(depth):
        levels = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, depth))
        text = "apiVersion: v1\nkind: Pod\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n" + levels
        return text + "spec: {containers: [{name: c, env: [{name: OK, value: '1'}]}]}\n"

    env, sources = env_of(tmp_path, {"pod.yaml": manifest(9)})
    assert env == {}
    assert sources.problems == [
        ("pod.yaml", "YAML aliases expand this document by more than 100000 nodes: not read", 8)
    ]
    assert sources.env_unreadable
    env, sources = env_of(tmp_path, {"pod.yaml": manifest(5)})  # 9 ** 5 = 59049 x once expanded: under the budget
    assert env == {"OK": [("pod.yaml", 8, "1")]}
    assert sources.problems == []


def test_a_flag_used_only_in_url_patterns_is_read(lint):
    files = django_project()
    files["shop/urls.py"] = (
        "from flags.urls import flagged_path, flagged_paths\n\n"
        "urlpatterns = [flagged_path('IN_TEMPLATE', 'beta/', view)]\n"
        "with flagged_paths('ALWAYS') as path:\n    urlpatterns.append(path('x/', view))\n"
    )
    files["shop/templates/page.html"] = "<p>none</p>\n"
    files["app.py"] = DJANGO_APP.replace('"ALWAYS"', '"NEW_UI"').replace('"BY_PATH"', '"NEW_UI"')
    assert found(lint(files, select=["FL005"])) == [("FL005", "shop/settings.py", 6, "sdk:django-flags:BY_PATH")]


def test_a_config_map_named_twice_after_a_templated_key_stays_unknown(tmp_path):
    """Two ConfigMaps named ``app`` in one file, the first with a templated
    key: its keys are unknown, and the second must not make them known (it
    raised AttributeError on the None that marks them unknown)."""
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  {{ .Values.key }}: x\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  ENABLE_X: 'on'\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: web\n          envFrom:\n            - configMapRef:\n                name: app\n"
    )
    env, sources = env_of(tmp_path, {"k8s/web.yaml": manifest})
    assert env == {}
    assert sources.problems == []
    assert sources.env_open == [
        "k8s/web.yaml:24 loads every key of ConfigMap 'app' (envFrom), which flaglint cannot read"
    ]


def test_a_config_map_named_twice_adds_up(tmp_path):
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  ENABLE_Y: 'off'\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  ENABLE_X: 'on'\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: web\n          envFrom:\n            - configMapRef:\n                name: app\n"
    )
    env, sources = env_of(tmp_path, {"k8s/web.yaml": manifest})
    assert env == {"ENABLE_Y": [("k8s/web.yaml", 6, "off")], "ENABLE_X": [("k8s/web.yaml", 13, "on")]}
    assert (sources.problems, sources.env_open) == ([], [])


# ------------------------------------------------------- display paths (issue 15: one namer)


@pytest.mark.parametrize(
    "analysed, shown",
    [
        ("a/svc", "svc/.env"),  # below the working directory: relative
        ("ab", "{root}/ab/.env"),  # a sibling whose name merely starts with cwd's: absolute, as discovery shows it
        ("b", "{root}/b/.env"),  # outside: absolute
    ],
)
def test_sources_are_named_as_discovery_names_python_files(tmp_path, analysed, shown):
    from flaglint.discover import discover

    write_tree(tmp_path, {f"{analysed}/.env": "FEATURE_X=1\n", f"{analysed}/app.py": "", "a/keep": ""})
    cwd = tmp_path / "a"
    sources = load_sources([tmp_path / analysed], cwd)
    expected = shown.format(root=tmp_path.resolve().as_posix())
    assert sources.env_files == [expected]
    assert [source.display for source in discover([tmp_path / analysed], cwd=cwd).files] == [
        expected.replace(".env", "app.py")
    ]

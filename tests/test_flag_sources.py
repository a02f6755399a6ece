"""Flag definition files (flag-sources): flagd and LaunchDarkly file data,
what they say about each flag, and the exact findings they lead to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flaglint.config import Config, ConfigError, load_config
from flaglint.sources.load import parse_flag_file
from conftest import found

FLAGD = {
    "flags": {
        "dark-off": {"state": "ENABLED", "variants": {"on": True, "off": False}, "defaultVariant": "off"},
        "dark-on": {"state": "ENABLED", "variants": {"on": True, "off": False}, "defaultVariant": "on"},
        "targeted": {
            "state": "ENABLED",
            "variants": {"on": True, "off": False},
            "defaultVariant": "off",
            "targeting": {"if": [{"==": [{"var": "plan"}, "pro"]}, "on", "off"]},
        },
        "disabled": {"state": "DISABLED", "variants": {"on": True, "off": False}, "defaultVariant": "on"},
        "colour": {"state": "ENABLED", "variants": {"red": "red", "blue": "blue"}, "defaultVariant": "red"},
    }
}

LAUNCHDARKLY_YAML = """\
flags:
  ld-off:
    key: ld-off
    on: false
    offVariation: 1
    variations: [true, false]
  ld-on:
    key: ld-on
    on: true
    fallthrough:
      variation: 0
    variations: [true, false]
  ld-fallthrough-off:
    on: true
    fallthrough:
      variation: 1
    variations: [true, false]
  ld-rules:
    on: true
    fallthrough:
      variation: 1
    rules:
      - clauses: [{attribute: email, op: endsWith, values: ["@example.com"]}]
        variation: 0
    variations: [true, false]
  ld-rollout:
    on: true
    fallthrough:
      rollout:
        variations: [{variation: 0, weight: 10000}, {variation: 1, weight: 90000}]
    variations: [true, false]
flagValues:
  ld-value-off: false
  ld-value-on: true
"""


def states(path: Path):
    definitions, problem = parse_flag_file(path, path.name)
    assert problem is None
    return {d.key: (d.state, d.format, d.line) for d in definitions}


def test_flagd_states(tmp_path):
    path = tmp_path / "flags.json"
    path.write_text(json.dumps(FLAGD, indent=2), encoding="utf-8")
    assert states(path) == {
        "dark-off": ("off", "flagd", 3),
        "dark-on": ("on", "flagd", 11),
        "targeted": ("live", "flagd", 19),
        "disabled": ("fallback", "flagd", 41),
        "colour": ("on", "flagd", 49),
    }


def test_launchdarkly_file_data_states(tmp_path):
    path = tmp_path / "ld.yaml"
    path.write_text(LAUNCHDARKLY_YAML, encoding="utf-8")
    assert states(path) == {
        "ld-off": ("off", "launchdarkly", 2),
        "ld-on": ("on", "launchdarkly", 7),
        "ld-fallthrough-off": ("off", "launchdarkly", 13),
        "ld-rules": ("live", "launchdarkly", 18),
        "ld-rollout": ("live", "launchdarkly", 26),
        "ld-value-off": ("off", "launchdarkly", 33),
        "ld-value-on": ("on", "launchdarkly", 34),
    }


@pytest.mark.parametrize(
    "name, text, message, line",
    [
        ("bad.json", '{"flags": {\n  "x": [1,\n}', "invalid JSON: Expecting value", 3),
        ("bad.yaml", "flags:\n  x: [1\n", "invalid YAML:", 3),
        (
            "list.json",
            "[1, 2]",
            "not a flag file: expected a mapping with 'flags' or 'flagValues' (flagd, LaunchDarkly) or 'features' (Unleash) at the top",
            1,
        ),
        (
            "other.json",
            '{"name": "x"}',
            "not a flag file: expected 'flags' or 'flagValues' (flagd, LaunchDarkly) or 'features' (Unleash) at the top",
            1,
        ),
        ("shape.json", '{"flags": {"x": 1}}', "not a flag file: flag 'x' must be a mapping", 1),
        (
            "state.json",
            '{"flags": {"x": {"state": "ON", "variants": {}}}}',
            "not a flag file: flag 'x': 'state' must be ENABLED or DISABLED, not 'ON'",
            1,
        ),
    ],
)
def test_malformed_files_are_problems_not_exceptions(tmp_path, name, text, message, line):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    definitions, problem = parse_flag_file(path, name)
    assert definitions == []
    assert problem[0].startswith(message) and problem[1] == line


APP = """\
from openfeature import api
import ldclient

client = api.get_client()
ld = ldclient.get()


def view(ctx):
    if client.get_boolean_value("dark-off", False):
        return 1
    if client.get_boolean_value("dark-on", False):
        return 2
    if client.get_boolean_value("targeted", False):
        return 3
    if client.get_boolean_value("disabled", False):
        return 4
    if ld.variation("ld-off", ctx, False):
        return 5
    if ld.variation("ld-rules", ctx, False):
        return 6
    if ld.variation("ld-value-off", ctx, False):
        return 7
    if client.get_boolean_value("ld-off", True):
        return 8
    if client.get_boolean_value("not-defined", False):
        return 9
    return 0
"""

CONFIG = '[tool.flaglint]\nflag-sources = ["deploy/flags.json", "ld.yaml"]\n'


def project():
    return {
        "pyproject.toml": CONFIG,
        "deploy/flags.json": json.dumps(FLAGD, indent=2),
        "ld.yaml": LAUNCHDARKLY_YAML,
        "app.py": APP,
    }


def test_findings_for_flags_no_source_turns_on(lint):
    assert found(lint(project(), select=["FL001", "FL002"])) == [
        ("FL001", "app.py", 9, "sdk:openfeature:dark-off"),
        ("FL001", "app.py", 15, "sdk:openfeature:disabled"),
        ("FL001", "app.py", 17, "sdk:launchdarkly:ld-off"),
        ("FL001", "app.py", 21, "sdk:launchdarkly:ld-value-off"),
        ("FL002", "app.py", 10, "sdk:openfeature:dark-off"),
        ("FL002", "app.py", 16, "sdk:openfeature:disabled"),
        ("FL002", "app.py", 18, "sdk:launchdarkly:ld-off"),
        ("FL002", "app.py", 22, "sdk:launchdarkly:ld-value-off"),
    ]


def test_messages_name_the_source(lint):
    messages = {f.flag: f.message for f in lint(project(), select=["FL001"])}
    assert messages["sdk:openfeature:dark-off"] == (
        "flag 'dark-off' (openfeature) is read in 1 place but is never on: "
        "its default variant 'off' is false and it has no targeting (deploy/flags.json:3)"
    )
    assert messages["sdk:openfeature:disabled"] == (
        "flag 'disabled' (openfeature) is read in 1 place but is never on: its state is DISABLED (deploy/flags.json:41)"
    )


def test_a_disabled_flag_falls_back_to_the_code_default(lint):
    files = project()
    files["app.py"] = APP.replace('get_boolean_value("disabled", False)', 'get_boolean_value("disabled", True)')
    assert "sdk:openfeature:disabled" not in {f.flag for f in lint(files, select=["FL001"])}


def test_unused_flags(lint):
    assert found(lint(project(), select=["FL005"])) == [
        ("FL005", "deploy/flags.json", 49, "sdk:openfeature:colour"),
        ("FL005", "ld.yaml", 7, "sdk:launchdarkly:ld-on"),
        ("FL005", "ld.yaml", 13, "sdk:launchdarkly:ld-fallthrough-off"),
        ("FL005", "ld.yaml", 26, "sdk:launchdarkly:ld-rollout"),
        ("FL005", "ld.yaml", 34, "sdk:launchdarkly:ld-value-on"),
    ]


def test_malformed_source_is_fl000_and_analysis_goes_on(lint):
    files = project()
    files["ld.yaml"] = "flags: [\n"
    findings = lint(files)
    assert ("FL000", "ld.yaml", 2, None) in found(findings)
    assert ("FL001", "app.py", 9, "sdk:openfeature:dark-off") in found(findings)


def test_missing_source_is_fl000(lint):
    files = project()
    files["pyproject.toml"] = '[tool.flaglint]\nflag-sources = ["nope.json"]\n'
    assert [(f.code, f.path, f.message) for f in lint(files) if f.code == "FL000"] == [
        ("FL000", "nope.json", "flag source not found")
    ]


def test_sources_are_relative_to_the_configuration_file(tmp_path, monkeypatch):
    from flaglint import api

    root = tmp_path / "svc"
    (root / "deploy").mkdir(parents=True)
    (root / "deploy" / "flags.json").write_text(json.dumps(FLAGD), encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.flaglint]\nflag-sources = ["deploy/flags.json"]\n', encoding="utf-8")
    (root / "app.py").write_text(APP, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(root / "pyproject.toml")
    findings = api.check(["svc"], config=config, cwd=tmp_path, select=["FL001"]).findings
    assert ("FL001", "svc/app.py", 9, "sdk:openfeature:dark-off") in found(findings)


@pytest.mark.parametrize("value", ['"flags.json"', "[1]"])
def test_flag_sources_must_be_a_list_of_strings(tmp_path, value):
    path = tmp_path / "flaglint.toml"
    path.write_text(f"flag-sources = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="flag-sources must be a list of strings"):
        load_config(path)


def test_config_value(tmp_path):
    path = tmp_path / "flaglint.toml"
    path.write_text('flag-sources = ["a.json", "b.yaml"]\n', encoding="utf-8")
    assert load_config(path).flag_sources == ("a.json", "b.yaml")
    assert Config().flag_sources == ()


def test_yaml_keeps_on_and_off_as_names(tmp_path):
    path = tmp_path / "flags.yaml"
    path.write_text(
        "flags:\n  a:\n    state: ENABLED\n    variants: {on: true, off: false}\n    defaultVariant: off\n"
        "  b:\n    state: ENABLED\n    variants:\n      on: yes\n      off: no\n    defaultVariant: on\n",
        encoding="utf-8",
    )
    assert states(path) == {"a": ("off", "flagd", 2), "b": ("on", "flagd", 6)}

"""A project's own flag wrappers: found from the graph, or named in
``flag-apis``; their call sites become keyed reads with the literal key."""

from __future__ import annotations

import pytest

from flaglint.config import ConfigError, load_config

from conftest import write_tree

LD_FILE = "flagValues:\n  dead-banner: false\n  live-banner: true\n"
CONFIG = 'flag-sources = ["ld.yaml"]\n'
WRAPPER = (
    "import ldclient\nfrom ldclient import Context\n\n_ld = ldclient.get()\n\n\n"
    "def is_on(key, default=False):\n    return _ld.variation(key, Context.create('svc'), default)\n"
)


def found(findings):
    return [(f.code, f.path, f.span.line, f.flag) for f in findings]


def project(views: str, **extra):
    return {
        "flaglint.toml": CONFIG,
        "ld.yaml": LD_FILE,
        "app/__init__.py": "",
        "app/flags.py": WRAPPER,
        "app/views.py": views,
        **extra,
    }


def test_a_function_wrapper_is_found_and_its_calls_are_reads(lint):
    views = "from app.flags import is_on\n\n\ndef view():\n    if is_on('dead-banner'):\n        return 1\n    if is_on('live-banner'):\n        return 2\n"
    assert found(lint(project(views))) == [
        ("FL001", "app/views.py", 5, "sdk:launchdarkly:dead-banner"),
        ("FL002", "app/views.py", 6, "sdk:launchdarkly:dead-banner"),
        ("FL006", "app/views.py", 7, "sdk:launchdarkly:live-banner"),
    ]


def test_the_callers_default_wins_over_the_wrappers(lint):
    # a flag that is off with no off variation is not served: the default decides
    ld = "flags:\n  dead-banner:\n    key: dead-banner\n    on: false\n    variations: [false, true]\n"
    views = "from app.flags import is_on\n\n\ndef view():\n    if is_on('dead-banner', True):\n        return 1\n"
    assert found(lint(project(views, **{"ld.yaml": ld}))) == [
        ("FL006", "app/views.py", 5, "sdk:launchdarkly:dead-banner")
    ]
    views_off = views.replace("True", "False")
    assert [code for code, *_ in found(lint(project(views_off, **{"ld.yaml": ld})))] == ["FL001", "FL002"]


def test_a_method_wrapper_through_a_module_instance_and_a_forwarder(lint):
    flags = (
        WRAPPER
        + "\n\nclass Flags:\n    def active(self, name):\n        return is_on(name)\n\n    def check(self):\n        return self.active('dead-banner')\n\n\nflags = Flags()\n"
    )
    views = "from app.flags import flags\n\n\ndef view():\n    if flags.active('dead-banner'):\n        return 1\n"
    result = found(lint(project(views, **{"app/flags.py": flags})))
    assert result == [
        ("FL001", "app/flags.py", 16, "sdk:launchdarkly:dead-banner"),  # self.active(...): the first read
        ("FL002", "app/views.py", 6, "sdk:launchdarkly:dead-banner"),
        ("FL005", "ld.yaml", 3, "sdk:launchdarkly:live-banner"),
    ]


def test_a_key_constant_of_another_module(lint):
    views = "from app.flags import is_on\nfrom app.keys import BANNER\n\n\ndef view():\n    if is_on(BANNER):\n        return 1\n"
    result = found(lint(project(views, **{"app/keys.py": "BANNER = 'dead-banner'\n"})))
    assert result == [
        ("FL001", "app/views.py", 6, "sdk:launchdarkly:dead-banner"),
        ("FL002", "app/views.py", 7, "sdk:launchdarkly:dead-banner"),
        ("FL005", "ld.yaml", 3, "sdk:launchdarkly:live-banner"),
    ]


@pytest.mark.parametrize(
    "flags_module",
    [
        # returns something else: the SDK call's value is not what callers get
        "import ldclient\n_ld = ldclient.get()\n\ndef is_on(key):\n    _ld.variation(key, None, False)\n    return True\n",
        # the key is not the parameter
        "import ldclient\n_ld = ldclient.get()\n\ndef is_on(key):\n    return _ld.variation('other', None, False)\n",
        # negated: callers' branches would be the other way round
        "import ldclient\n_ld = ldclient.get()\n\ndef is_on(key):\n    return not _ld.variation(key, None, False)\n",
        # no SDK at all
        "def is_on(key):\n    return key in {'dead-banner'}\n",
    ],
)
def test_functions_that_are_not_wrappers(lint, flags_module):
    views = "from app.flags import is_on\n\n\ndef view():\n    if is_on('dead-banner'):\n        return 1\n"
    assert [f for f in found(lint(project(views, **{"app/flags.py": flags_module}))) if f[0] != "FL005"] == []


def test_a_same_named_function_elsewhere_is_not_the_wrapper(lint):
    views = "def is_on(key):\n    return True\n\n\ndef view():\n    if is_on('dead-banner'):\n        return 1\n"
    # no FL001 for the local is_on; and the real wrapper, called by nothing
    # in the tree, is called from outside: FL005 stays quiet for its provider
    assert found(lint(project(views))) == []


def test_a_key_built_at_run_time_silences_unused(lint):
    views = "from app.flags import is_on\n\n\ndef view(team):\n    return is_on(f'{team}-banner')\n"
    assert found(lint(project(views))) == []
    via_variable = "from app.flags import is_on\n\n\ndef view(name):\n    return is_on(name)\n"
    assert found(lint(project(via_variable))) == []


def test_wrapper_reads_count_as_reads_for_unused(lint):
    views = "from app.flags import is_on\n\n\ndef view():\n    return is_on('dead-banner'), is_on('live-banner')\n"
    assert "FL005" not in {code for code, *_ in found(lint(project(views)))}


# ------------------------------------------------------------------ flag-apis
OUTSIDE = "from corp.flags import enabled\n\n\ndef view(client):\n    if enabled('dead-banner'):\n        return 1\n    if client.feature_on('dead-banner'):\n        return 2\n"


def test_flag_apis_name_a_function_outside_the_tree(lint):
    config = CONFIG + 'flag-apis = [{name = "corp.flags.enabled", provider = "launchdarkly", default = false}]\n'
    result = found(lint({"flaglint.toml": config, "ld.yaml": LD_FILE, "app.py": OUTSIDE}))
    assert result == [
        ("FL001", "app.py", 5, "sdk:launchdarkly:dead-banner"),
        ("FL002", "app.py", 6, "sdk:launchdarkly:dead-banner"),
        ("FL005", "ld.yaml", 3, "sdk:launchdarkly:live-banner"),
    ]


def test_flag_apis_name_a_method_on_any_receiver(lint):
    config = CONFIG + 'flag-apis = [{method = "feature_on", provider = "launchdarkly", default = false}]\n'
    result = found(
        lint(
            {
                "flaglint.toml": config,
                "ld.yaml": LD_FILE,
                "app.py": OUTSIDE.replace("def view(client)", "client = object()\n\ndef view()"),
            }
        )
    )
    assert ("FL001", "app.py", 9, "sdk:launchdarkly:dead-banner") in result


def test_without_flag_apis_an_unknown_function_reads_nothing(lint):
    assert found(lint({"flaglint.toml": CONFIG, "ld.yaml": LD_FILE, "app.py": OUTSIDE})) == [
        ("FL005", "ld.yaml", 2, "sdk:launchdarkly:dead-banner"),
        ("FL005", "ld.yaml", 3, "sdk:launchdarkly:live-banner"),
    ]


@pytest.mark.parametrize(
    "value, message",
    [
        ("'x'", "flag-apis must be a list of dotted names or tables"),
        ("[1]", "flag-apis entry 1 must be a dotted name or a table"),
        (
            "[{name = 'a.b', method = 'c'}]",
            "flag-apis entry 1: give exactly one of name (a dotted function) or method (a method name)",
        ),
        ("[{name = 'a.b', key = 'x'}]", "flag-apis entry 1: key must be an integer"),
        ("[{name = 'a.b', key = -1}]", "flag-apis entry 1: key must be a position >= 0"),
        (
            "[{name = 'a.b', colour = 'red'}]",
            "flag-apis entry 1: unknown key 'colour' (known: declare, default, key, keyword, method, name, provider, source)",
        ),
        ("[{name = 'a.b', default = 'no'}]", "flag-apis entry 1: default must be a bool"),
        ("[{name = 'a.b', declare = 3}]", "flag-apis entry 1: declare must be a str"),
        (
            "[{name = 'a.b', declare = 'add'}]",
            "flag-apis entry 1: declare must be a dotted name such as 'pkg.features.add', got 'add'",
        ),
        (
            "[{name = 'a.b', declare = 'pkg.features.add()'}]",
            "flag-apis entry 1: declare must be a dotted name such as 'pkg.features.add', got 'pkg.features.add()'",
        ),
    ],
)
def test_bad_flag_apis_name_the_problem(tmp_path, value, message):
    path, error = config_error(tmp_path, f"flag-apis = {value}\n")
    assert error == f"{path}: {message}"


def config_error(tmp_path, text: str):
    """(the config file, the ConfigError message) of a flaglint.toml holding ``text``."""
    path = tmp_path / "flaglint.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    return path, str(error.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("true", ("django-flags", "env", "launchdarkly", "openfeature", "unleash")),
        ("false", ()),
        ('["openfeature", "env"]', ("openfeature", "env")),
    ],
)
def test_sources_complete(tmp_path, value, expected):
    path = tmp_path / "flaglint.toml"
    path.write_text(f"sources-complete = {value}\n")
    assert load_config(path).sources_complete == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ('"yes"', "sources-complete must be true, false or a list of providers"),
        ('["flagd"]', "sources-complete: no flag source defines flags for 'flagd'"),
        ('["app"]', "sources-complete: no flag source defines flags for 'app'"),
    ],
)
def test_bad_sources_complete(tmp_path, value, message):
    path, error = config_error(tmp_path, f"sources-complete = {value}\n")
    assert error.startswith(f"{path}: {message}")


def test_include_limits_the_files_analysed(lint):
    files = {
        "flaglint.toml": 'include = ["src/"]\n',
        "src/app.py": "DEBUG = False\nif DEBUG:\n    g()\n",
        "scripts/tool.py": "TRACE = False\nif TRACE:\n    g()\n",
    }
    assert sorted({f.path for f in lint(files)}) == ["src/app.py"]


# ------------------------------------------- forwarders (found in review)
OF_WRAPPER = (
    "from openfeature import api\n\nclient = api.get_client()\n\n\n"
    "def is_on(key, default=False):\n    return client.get_boolean_value(key, default)\n"
)
OF_FLAGS = (
    '{"flags": {"new-ui": {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"},\n'
    '"old-thing": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}}}\n'
)


def of_project(extra: str, views: str):
    return {
        "flaglint.toml": 'flag-sources = ["flags.json"]\n',
        "flags.json": OF_FLAGS,
        "app/__init__.py": "",
        "app/flags.py": OF_WRAPPER + extra,
        "app/views.py": views,
    }


def test_a_forwarder_passes_its_default_on(lint):
    # new-ui is not served: the default decides, and beta() passes True
    extra = "\n\ndef beta(key):\n    return is_on(key, True)\n"
    views = "from app.flags import beta\n\n\ndef view():\n    if beta('new-ui'):\n        return 1\n"
    # (before the fix: FL001 + FL002, the forwarder lost the True default)
    assert [(f.code, f.path, f.span.line) for f in lint(of_project(extra, views))] == [
        ("FL006", "app/views.py", 5),
        ("FL005", "flags.json", 2),
    ]


def test_a_forwarder_with_a_string_argument_is_not_a_run_time_key(lint):
    extra = "\n\ndef beta(key):\n    return is_on(key, 'anonymous')\n"
    views = "from app.flags import beta\n\n\ndef view():\n    return beta('new-ui')\n"
    assert ("FL005", "flags.json", 2) in [(f.code, f.path, f.span.line) for f in lint(of_project(extra, views))]


def test_a_wrapper_called_with_star_args_may_read_any_key(lint):
    views = "from app.flags import is_on\n\n\ndef view(*names):\n    return is_on('new-ui'), is_on(*names)\n"
    assert "FL005" not in {f.code for f in lint(of_project("", views))}


# ------------------------------------------------ include (found in review)
INCLUDE_TREE = {
    "proj/flaglint.toml": 'include = ["src/*.py"]\n',  # a slash inside: anchored to the config's directory
    "proj/src/app.py": "DEBUG = False\nif DEBUG:\n    g()\n",
    "proj/other/b.py": "TRACE = False\nif TRACE:\n    g()\n",
}


def test_include_is_anchored_at_the_configuration_file(tmp_path, monkeypatch):
    from flaglint import api

    write_tree(tmp_path, INCLUDE_TREE)
    monkeypatch.chdir(tmp_path)  # run from the parent of the project
    config = load_config(tmp_path / "proj" / "flaglint.toml")
    findings = api.check(["proj"], config=config, cwd=tmp_path).findings
    assert sorted({f.path for f in findings}) == ["proj/src/app.py"]


def test_include_keeps_a_file_named_by_absolute_path(tmp_path, monkeypatch):
    from flaglint import api

    write_tree(tmp_path, INCLUDE_TREE)
    project = tmp_path / "proj"
    monkeypatch.chdir(project)
    config = load_config(project / "flaglint.toml")
    findings = api.check([str(project / "other" / "b.py")], config=config, cwd=project).findings
    assert [(f.code, f.span.line) for f in findings] == [("FL001", 1), ("FL002", 3)]


def test_a_keyword_only_key_is_matched_by_keyword(lint):
    extra = "\n\ndef flag(ctx, *rest, key):\n    return client.get_boolean_value(key, False)\n"
    views = (
        "from app.flags import flag\n\n\ndef view(user):\n    if flag(user, 'x', key='old-thing'):\n        return 1\n"
    )
    # old-thing is on for everyone: FL006 at the read (before: the key was taken to be 'x')
    assert [(f.code, f.flag) for f in lint(of_project(extra, views))] == [("FL006", "sdk:openfeature:old-thing")]


def test_audit_calls_a_flag_unresolved_when_a_run_time_key_may_read_it(tmp_path, monkeypatch):
    from flaglint.audit import audit

    views = "from app.flags import is_on\n\n\ndef view(team):\n    return is_on('new-ui'), is_on(f'{team}')\n"
    write_tree(tmp_path, of_project("", views))
    monkeypatch.chdir(tmp_path)
    inventory = audit(["."], load_config(tmp_path / "flaglint.toml"), cwd=tmp_path, ages=False)
    statuses = {entry.name: entry.status for entry in inventory.flags}
    assert statuses["sdk:openfeature:old-thing"] == "mentioned-nowhere"  # FL005 is silent on it too


@pytest.mark.parametrize(
    "key, status",
    [
        ("f'{team}-beta'", "unused"),  # only keys ending in -beta can be built
        ("f'{team}-thing'", "mentioned-nowhere"),
        ("'old-' + team", "mentioned-nowhere"),  # only keys starting with old-
        ("'new-' + team", "unused"),
    ],
)
def test_a_run_time_key_with_a_literal_start_or_end_only_reaches_keys_it_matches(tmp_path, monkeypatch, key, status):
    from flaglint.audit import audit

    views = f"from app.flags import is_on\n\n\ndef view(team):\n    return is_on('new-ui'), is_on({key})\n"
    write_tree(tmp_path, of_project("", views))
    monkeypatch.chdir(tmp_path)
    inventory = audit(["."], load_config(tmp_path / "flaglint.toml"), cwd=tmp_path, ages=False)
    statuses = {entry.name: entry.status for entry in inventory.flags}
    assert statuses["sdk:openfeature:old-thing"] == status


# ---------------------------------------------------------------- fixture projects
# tests/data/wrappers/<case>/: wrappers as real code writes them (guard
# returns, keyword-only keys, a client bound in every branch of an if/else),
# hard-wired overrides and environment back doors; expected.txt beside each.

import shutil  # noqa: E402

from cases import DATA, actual, case_names, expected  # noqa: E402


@pytest.mark.parametrize("case", case_names("wrappers"))
def test_wrapper_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("wrappers", case, tmp_path, monkeypatch) == expected("wrappers", case)


def test_fix_takes_the_hard_wired_off_flag_as_the_dead_one(tmp_path, monkeypatch):
    """``flaglint fix`` works from the same verdicts: the key the stale dict
    fixes off is the never-set one, not the one it fixes on."""
    from click.testing import CliRunner

    from flaglint.cli import main

    shutil.copytree(
        DATA / "wrappers" / "guarded_stale_dict", tmp_path / "p", ignore=shutil.ignore_patterns("expected.txt")
    )
    monkeypatch.chdir(tmp_path / "p")
    before = (tmp_path / "p" / "app" / "views.py").read_text()
    result = CliRunner().invoke(main, ["fix", "--diff", "."])
    dead = [line.split(": ")[1] for line in result.stderr.splitlines() if line.endswith("remove them by hand")]
    assert dead == ["sdk:launchdarkly:ff_plain_off", "sdk:launchdarkly:ff_stale_off"]
    assert (tmp_path / "p" / "app" / "views.py").read_text() == before


def test_the_audit_says_what_the_overrides_do(tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from flaglint.cli import main

    shutil.copytree(
        DATA / "wrappers" / "guarded_stale_dict", tmp_path / "p", ignore=shutil.ignore_patterns("expected.txt")
    )
    monkeypatch.chdir(tmp_path / "p")
    result = CliRunner().invoke(main, ["audit", "--format", "json", "."])
    flags = {flag["name"]: (flag["status"], flag["set_by"]) for flag in json.loads(result.stdout)["flags"]}
    assert flags["sdk:launchdarkly:ff_stale_off"] == (
        "dead",
        ["the hard-wired app.stale.STALE_FLAGS (app/stale.py:3) fixes it off for everyone"],
    )
    # fixed on in code is a decision already written down, not FL006's "always on"
    assert flags["sdk:launchdarkly:ff_stale_on"] == (
        "live",
        ["the hard-wired app.stale.STALE_FLAGS (app/stale.py:4) fixes it on for everyone"],
    )
    assert flags["sdk:launchdarkly:ff_plain_off"] == (
        "dead",
        ["its wrapper lets environment variable ff_plain_off override it, but no environment source sets ff_plain_off"],
    )


def test_the_messages_name_the_hard_wired_dict_and_the_back_door(tmp_path, monkeypatch):
    from flaglint import api
    from flaglint.config import load_config

    shutil.copytree(
        DATA / "wrappers" / "guarded_stale_dict", tmp_path / "p", ignore=shutil.ignore_patterns("expected.txt")
    )
    root = tmp_path / "p"
    monkeypatch.chdir(root)
    messages = {
        (f.code, f.flag): f.message
        for f in api.check(["."], config=load_config(root / "flaglint.toml"), cwd=root).findings
    }
    assert messages[("FL001", "sdk:launchdarkly:ff_stale_off")] == (
        "flag 'ff_stale_off' (launchdarkly) is read in 1 place but is never on: "
        "the hard-wired app.stale.STALE_FLAGS (app/stale.py:3) fixes it off for everyone"
    )
    # served on, but its wrapper's back door lets any deployment switch it off;
    # fixed on by the hard-wired dict: neither is "always on" (issue 11)
    assert ("FL006", "sdk:launchdarkly:ff_plain_on") not in messages
    assert ("FL006", "sdk:launchdarkly:ff_stale_on") not in messages


def test_the_audit_says_where_the_override_decides_an_unread_key(monkeypatch):
    """A key only the wrapper's override dict names is live, decided there;
    a key in a dict no wrapper answers from is unused, as FL005 says."""
    import json

    from click.testing import CliRunner

    from flaglint.cli import main

    monkeypatch.chdir(DATA / "wrappers" / "override_only_key")
    result = CliRunner().invoke(main, ["audit", ".", "--format", "json"], prog_name="flaglint")
    assert result.exit_code == 0, result.output
    entries = {entry["short"]: entry for entry in json.loads(result.stdout)["flags"]}
    status = lambda key: (entries[key]["status"], entries[key]["set_by"])
    assert status("sdk:launchdarkly:ff_only_override_off") == (
        "live",
        ["the hard-wired app.stale.STALE_FLAGS (app/stale.py:3) fixes it off for everyone"],
    )
    assert status("sdk:launchdarkly:ff_only_override_on") == (
        "live",
        ["the hard-wired app.stale.STALE_FLAGS (app/stale.py:4) fixes it on for everyone"],
    )
    assert status("sdk:launchdarkly:ff_in_other_dict") == ("unused", ["its value is true (flags.json:6)"])

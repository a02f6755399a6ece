"""In-house flag registries: a function that decides a key by a dict of
flag keys to bools is a flag API, and the dict is its provider's source.

By default a registry's defaults may be overridden by the deployment, so it
gives FL004 (a key it does not define) and FL005 (a key nothing reads);
FL001/FL006 only where ``sources-complete`` names it. Each case is a small
project under tests/data/registries/ with its exact findings beside it."""

from __future__ import annotations

import pytest

from cases import actual, case_names, expected
from flaglint.config import ConfigError, load_config


@pytest.mark.parametrize("case", case_names("registries"))
def test_registry_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("registries", case, tmp_path, monkeypatch) == expected("registries", case)


def test_the_fl004_message_names_the_registry_and_the_close_key(lint):
    files = {
        "app/__init__.py": "",
        "app/flags.py": "FLAGS = {'new-ui': False}\n\n\ndef on(key):\n    return FLAGS.get(key, False)\n",
        "app/views.py": "from app.flags import on\n\nif on('new-iu'):\n    pass\nif on('new-ui'):\n    pass\n",
    }
    [finding] = lint(files)
    assert (finding.code, finding.path, finding.span.line) == ("FL004", "app/views.py", 3)
    assert finding.message == (
        "flag 'new-iu' (app.flags.FLAGS) is read but the in-house registry app.flags.FLAGS does not define it; "
        "did you mean 'new-ui'?"
    )
    assert [(item.path, item.span.line) for item in finding.related] == [("app/flags.py", 1)]


SOURCE = "DEFAULTS = {\n    'A': True,\n    'B': False,\n}\n"


def _config(tmp_path, entry: str, files=None):
    (tmp_path / "pkg").mkdir(exist_ok=True)
    for name, text in (files or {"pkg/config.py": SOURCE}).items():
        (tmp_path / name).write_text(text)
    path = tmp_path / "flaglint.toml"
    path.write_text(f"flag-apis = [{entry}]\n")
    return path


def test_a_flag_apis_source_is_read_with_its_lines_and_named_after_the_dict(tmp_path):
    config = load_config(_config(tmp_path, '{ name = "pkg.is_on", source = "pkg/config.py:DEFAULTS" }'))
    [api] = config.flag_apis
    assert (api.provider, api.source, api.entries) == (
        "pkg.config.DEFAULTS",
        "pkg/config.py:DEFAULTS",
        (("A", True, 2), ("B", False, 3)),
    )


def test_a_flag_apis_source_keeps_a_provider_given_by_hand(tmp_path):
    config = load_config(
        _config(tmp_path, '{ name = "pkg.is_on", provider = "flags", source = "pkg/config.py:DEFAULTS" }')
    )
    assert config.flag_apis[0].provider == "flags"


@pytest.mark.parametrize(
    "entry, files, message",
    [
        (
            '{ name = "pkg.is_on", source = "pkg/missing.py:DEFAULTS" }',
            None,
            "flag-apis entry 1: source 'pkg/missing.py' cannot be read",
        ),
        (
            '{ name = "pkg.is_on", source = "pkg/config.py:OTHER" }',
            None,
            "flag-apis entry 1: source 'pkg/config.py' binds no OTHER at module level",
        ),
        (
            '{ name = "pkg.is_on", source = "pkg/config.py" }',
            None,
            "flag-apis entry 1: source must be 'path/to/module.py:NAME', got 'pkg/config.py'",
        ),
        (
            '{ name = "pkg.is_on", source = "pkg/config.py:DEFAULTS" }',
            {"pkg/config.py": "DEFAULTS = {'A': 1}\n"},
            "flag-apis entry 1: DEFAULTS in 'pkg/config.py' is not a dict literal of string keys to True/False",
        ),
        (
            '{ name = "pkg.is_on", source = "pkg/config.py:DEFAULTS" }',
            {"pkg/config.py": "DEFAULTS = {\n"},
            "flag-apis entry 1: source 'pkg/config.py' is not valid Python",
        ),
        ('{ name = "pkg.is_on", source = 3 }', None, "flag-apis entry 1: source must be a str"),
    ],
)
def test_a_bad_flag_apis_source_is_a_configuration_error_naming_the_entry(tmp_path, entry, files, message):
    with pytest.raises(ConfigError) as error:
        load_config(_config(tmp_path, entry, files))
    assert message in str(error.value)


def test_sources_complete_accepts_a_registry_by_its_dotted_name_only(tmp_path):
    path = tmp_path / "flaglint.toml"
    path.write_text('sources-complete = ["app.flags.FLAGS", "openfeature"]\n')
    assert load_config(path).sources_complete == ("app.flags.FLAGS", "openfeature")
    path.write_text('sources-complete = ["app"]\n')
    with pytest.raises(ConfigError, match="no flag source defines flags for 'app'"):
        load_config(path)


def test_a_bad_source_exits_2_from_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from flaglint.cli import main

    _config(tmp_path, '{ name = "pkg.is_on", source = "pkg/config.py:OTHER" }')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2
    assert "flag-apis entry 1: source 'pkg/config.py' binds no OTHER at module level" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------ extraction facts
from flaglint.extract.extract import extract_source  # noqa: E402

ENV_FORMS = [
    ("os.getenv(key)", "same"),
    ("os.environ.get(key.lower())", "lower"),
    ("os.environ[key.upper()]", "upper"),
    ("key in os.environ", "same"),
    ("get_bool_env(key, default=None)", "same"),
    ("os.getenv('KEY')", ""),  # a fixed variable, not one named after the key
    ("os.getenv(other)", ""),  # named after another parameter
    ("lookup(key)", ""),  # not an environment read
]


@pytest.mark.parametrize("form, how", ENV_FORMS)
def test_an_environment_back_door_is_a_read_named_after_the_key(form, how):
    source = (
        "import os\nimport ldclient\nfrom app.params import get_bool_env\nclient = ldclient.get()\n\n"
        f"def is_on(key, other=None):\n    forced = {form}\n    if forced:\n        return True\n"
        "    return client.variation(key, None, False)\n"
    )
    [wrapper] = extract_source(source, "app/flags.py", "app.flags").wrappers
    assert (wrapper.provider, wrapper.env_override) == ("launchdarkly", how)


DICT_FORMS = [
    ("FLAGS = {'a': True, 'b': False}", ("FLAGS", (("a", True, 1), ("b", False, 1)), (), False, True)),
    ("FLAGS: dict = {**BASE, 'c': True}", ("FLAGS", (("c", True, 1),), ("BASE",), False, True)),
    ("FLAGS = dict(BASE)", ("FLAGS", (), ("BASE",), False, True)),
    ("FLAGS = copy.deepcopy(BASE)", ("FLAGS", (), ("BASE",), False, True)),
    ("FLAGS = BASE.copy()", ("FLAGS", (), ("BASE",), False, True)),
    ("FLAGS = BASE | {'d': False}", ("FLAGS", (("d", False, 1),), ("BASE",), False, True)),
    ("FLAGS = app.config['DEFAULTS']", ("FLAGS", (), ("config:DEFAULTS",), False, True)),
]


@pytest.mark.parametrize("line, fact", DICT_FORMS)
def test_a_flag_dict_binding(line, fact):
    [found] = extract_source(line + "\n", "flags.py", "flags").flag_dicts
    assert (found.name, found.entries, found.merged, found.open, found.base) == fact


@pytest.mark.parametrize(
    "line",
    [
        "LIMITS = {'a': 1}",
        "MASK = READ | WRITE",
        "FLAGS = load()",
        "NAMES = {'a', 'b'}",
        "FLAGS = {key: True for key in KEYS}",
    ],
)
def test_not_a_flag_dict(line):
    assert extract_source(line + "\n", "flags.py", "flags").flag_dicts == ()


def test_updates_of_a_flag_dict_and_an_attribute_holding_one():
    source = (
        "FLAGS = {'a': True}\nFLAGS.update({'b': False}, c=True)\nFLAGS['d'] = False\nFLAGS |= OTHER\n"
        "FLAGS.update(load())\nOTHER.update({'x': True})\n\n"
        "class M:\n    def __init__(self):\n        self._flags = dict(FLAGS)\n        self._flags.update(EXTRA)\n"
    )
    found = [
        (d.name, d.line, d.entries, d.merged, d.open, d.base) for d in extract_source(source, "f.py", "f").flag_dicts
    ]
    assert found == [
        ("FLAGS", 1, (("a", True, 1),), (), False, True),
        ("FLAGS", 2, (("b", False, 2), ("c", True, 2)), (), False, False),
        ("FLAGS", 3, (("d", False, 3),), (), False, False),
        ("FLAGS", 4, (), ("OTHER",), False, False),
        ("FLAGS", 5, (), (), True, False),
        ("M._flags", 10, (), ("FLAGS",), False, True),
        ("M._flags", 11, (), ("EXTRA",), False, False),
    ]


def test_a_loop_variable_beside_a_literal_key_is_not_a_list_of_keys(lint):
    files = {
        "app/__init__.py": "",
        "app/flags.py": "FLAGS = {'x': False, 'y': False}\n\n\ndef on(key, user=None):\n    return FLAGS.get(key, False)\n",
        "app/views.py": (
            "from app.flags import on\n\n\ndef notify(users):\n    for user in users:\n        if on('x', user):\n            pass\n"
        ),
    }
    assert [(f.code, f.path, f.span.line, f.flag) for f in lint(files)] == [
        ("FL005", "app/flags.py", 1, "sdk:app.flags.FLAGS:y")
    ]


CONFIG_READS = [
    ('if app.config["FLAGS"]["K"]:\n    pass', ("call:config:FLAGS", (("str", "K"),))),
    ('if current_app.config.get("FLAGS", {}).get("K"):\n    pass', ("call:config:FLAGS", (("str", "K"),))),
    ('if app.config["FLAGS"].get("K", True):\n    pass', ("call:config:FLAGS", (("str", "K"), ("lit", "True")))),
    ('if "K" not in settings.FLAGS:\n    pass', ("call:config:FLAGS", (("str", "K"),))),
    ('value = conf.FLAGS["K"]', ("call:config:FLAGS", (("str", "K"),))),
    ("ok = [n for n in names if app.config['FLAGS'].get(n)]", ("call:config:FLAGS", (("var", ""),))),
]


@pytest.mark.parametrize("line, read", CONFIG_READS)
def test_a_key_looked_up_in_a_configuration_mapping_is_a_possible_registry_read(line, read):
    reads = extract_source(line + "\n", "app/views.py", "app.views").reads
    found = [(r.ref, tuple((a.kind, a.value) for a in r.call_args)) for r in reads if "config:" in r.ref]
    assert found == [read]


@pytest.mark.parametrize(
    "line",
    [
        'app.config["FLAGS"]["K"] = True',  # stored, not read
        'del app.config["FLAGS"]["K"]',  # deleted, not read
        'x = app.config["FLAGS"][1:2]',  # a slice
        'if LIMITS.get("K"):\n    pass',  # another dict
        'if table["FLAGS"].get("K"):\n    pass',  # not a configuration holder
        'if app.config["FLAGS"].get("not a key"):\n    pass',  # no flag key
        'if app.config["FLAGS"][0]:\n    pass',  # a number
        'if settings.flags.get("K"):\n    pass',  # a lower-case attribute: not a setting
        "def on(name):\n    return app.config['FLAGS'].get(name, False)",  # a wrapper's own lookup
    ],
)
def test_not_a_configuration_read(line):
    assert [r.ref for r in extract_source(line + "\n", "app/views.py", "app.views").reads if "config:" in r.ref] == []

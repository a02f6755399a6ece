"""Environment variables as flags: which reads count, their defaults, which
sources set them, and the exact findings."""

from __future__ import annotations

import pytest

from flaglint.config import Config
from flaglint.extract.extract import extract_source
from flaglint.keys import is_keyed

from conftest import found


def keyed_reads(source: str):
    facts = extract_source(source, "app.py", "app")
    return [
        (read.ref, read.span.line, read.gate.line if read.gate else None, read.default_on)
        for read in facts.reads
        if is_keyed(read.ref)
    ]


@pytest.mark.parametrize(
    "test, default_on",
    [
        ("os.environ.get('ENABLE_X')", False),
        ("os.getenv('ENABLE_X', '0') == '1'", False),
        ("os.getenv('ENABLE_X', '1') == '1'", True),
        ("'1' == os.getenv('ENABLE_X', '0')", False),
        ("os.environ['ENABLE_X'] == 'true'", False),
        ("'ENABLE_X' in os.environ", False),
        ("os.environ.get('ENABLE_X', 'false').lower() in ('1', 'true', 'yes')", False),
        ("os.environ.get('ENABLE_X', 'TRUE').lower() in ('1', 'true', 'yes')", True),
        ("bool(int(os.getenv('ENABLE_X', '0')))", False),
        ("bool(int(os.getenv('ENABLE_X', '1')))", True),
        ("int(os.getenv('ENABLE_X', 'abc'))", False),
        ("strtobool(os.getenv('ENABLE_X', 'no'))", False),
        ("strtobool(os.getenv('ENABLE_X', 'yes'))", True),
        ("os.getenv('ENABLE_X', '0')", True),  # a non-empty string is true
        ("os.getenv('ENABLE_X', '')", False),
        ("os.getenv('ENABLE_X', DEFAULT)", True),  # a computed default: possibly on
        ("os.getenv('ENABLE_X') is not None", False),
        ("os.getenv(key='ENABLE_X', default='on').strip().lower() == 'on'", True),
    ],
)
def test_idioms_and_their_defaults(test, default_on):
    source = f"import os\nfrom distutils.util import strtobool\nif {test}:\n    g()\n"
    assert keyed_reads(source) == [("env:ENABLE_X", 3, 4, default_on)]


@pytest.mark.parametrize(
    "source",
    [
        "import os\nhome = os.getenv('HOME')\n",  # not a test
        "import os\nprint(os.environ['ENABLE_X'])\n",
        "import os\ndef f(name):\n    if os.getenv(name):\n        g()\n",  # key computed
        "import os\nif os.getenv('ENABLE_X', '0') > '1':\n    g()\n",  # not a truthiness idiom
    ],
)
def test_reads_that_are_not_flags(source):
    assert keyed_reads(source) == []


def test_a_converted_value_is_a_flag_whatever_its_name():
    source = "import os\nif os.environ.get('REDIS_URL', '') == 'on':\n    g()\n"
    assert keyed_reads(source) == [("env:REDIS_URL", 2, 3, False)]


def test_negated_tests_gate_the_else_branch():
    source = "import os\nif os.getenv('X') != '1':\n    a()\nelse:\n    b()\nif 'DEBUG_Y' not in os.environ:\n    c()\n"
    assert keyed_reads(source) == [("env:X", 2, 5, False), ("env:DEBUG_Y", 6, None, False)]


def test_aliased_imports():
    source = "from os import environ as env, getenv\nif getenv('USE_X'):\n    a()\nif env.get('USE_Y'):\n    b()\n"
    assert keyed_reads(source) == [("env:USE_X", 2, 3, False), ("env:USE_Y", 4, 5, False)]


def test_key_from_a_module_constant():
    source = "import os\nFLAG = 'ENABLE_X'\nif os.getenv(FLAG):\n    a()\n"
    assert keyed_reads(source) == [("env:ENABLE_X", 3, 4, False)]


def test_constant_bound_to_an_environment_test():
    facts = extract_source(
        "import os\nA = os.getenv('X') == '1'\nB = os.getenv('Y') != '1'\nC = os.getenv('ENABLE_Z')\nD = os.getenv('DB_URL')\n",
        "s.py",
        "s",
    )
    keys = {d.name: (d.key, d.key_default_on) for d in facts.definitions}
    assert keys == {"A": ("env:X", False), "B": (None, False), "C": ("env:ENABLE_Z", False), "D": (None, False)}


def test_code_that_sets_the_environment():
    facts = extract_source(
        "import os\nos.environ['A'] = '1'\nos.environ.setdefault('B', '1')\nos.putenv('C', '1')\n"
        "os.environ.update(D='1', **{'E': '1'})\ndef t(monkeypatch):\n    monkeypatch.setenv('F', '1')\n",
        "s.py",
        "s",
    )
    assert facts.env_sets == ("A", "B", "C", "D", "E", "F")


# ------------------------------------------------------------ whole projects

APP = "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA') == '1':\n        beta()\n"


def test_never_set_environment_flag_and_its_dead_block(lint):
    findings = lint({".env": "OTHER=1\n", "app.py": APP})
    assert found(findings) == [
        ("FL001", "app.py", 4, "env:ENABLE_BETA"),
        ("FL002", "app.py", 5, "env:ENABLE_BETA"),
    ]
    fl001 = next(f for f in findings if f.code == "FL001")
    assert fl001.message == (
        "environment variable ENABLE_BETA gates code in 1 place but is never set: "
        "its default is off and no environment source sets it"
    )


@pytest.mark.parametrize(
    "env_file, content",
    [(".env", "ENABLE_BETA=1\n"), (".env.production", "export ENABLE_BETA=true\n"), ("deploy/.env", "ENABLE_BETA=0\n")],
)
def test_set_by_any_env_file(lint, env_file, content):
    assert lint({env_file: content, "app.py": APP}) == ()


def test_no_environment_sources_means_unknown(lint):
    assert lint({"app.py": APP}) == ()


def test_env_files_in_skipped_directories_do_not_count(lint):
    assert found(lint({".venv/.env": "ENABLE_BETA=1\n", ".env": "OTHER=1\n", "app.py": APP})) == [
        ("FL001", "app.py", 4, "env:ENABLE_BETA"),
        ("FL002", "app.py", 5, "env:ENABLE_BETA"),
    ]


def test_external_flags_names_environment_flags(lint):
    assert lint({".env": "OTHER=1\n", "app.py": APP}, config=Config(external_flags=("env:ENABLE_BETA",))) == ()


def test_platform_variables_are_never_flags(lint):
    app = "import os\nif os.environ.get('CI'):\n    a()\nif 'HOME' in os.environ:\n    b()\n"
    assert lint({".env": "OTHER=1\n", "app.py": app}) == ()


def test_constant_reported_at_its_definition_across_modules(lint):
    files = {
        ".env": "OTHER=1\n",
        "settings.py": "import os\n\nENABLE_BETA = os.getenv('ENABLE_BETA', 'no').lower() in ('yes', '1')\n",
        "app.py": "from settings import ENABLE_BETA\n\ndef f():\n    if ENABLE_BETA:\n        beta()\n\ndef beta():\n    pass\n",
    }
    assert found(lint(files)) == [
        ("FL001", "settings.py", 3, "settings.ENABLE_BETA"),
        ("FL002", "app.py", 5, "settings.ENABLE_BETA"),
        ("FL002", "app.py", 7, "settings.ENABLE_BETA"),
    ]


def test_constant_set_elsewhere_is_live(lint):
    files = {
        ".env": "OTHER=1\n",
        "settings.py": "import os\nENABLE_BETA = os.getenv('ENABLE_BETA') == '1'\n",
        "app.py": "import settings\n\ndef f():\n    if settings.ENABLE_BETA:\n        beta()\n",
        "tests/conftest.py": "import settings\n\ndef setup():\n    settings.ENABLE_BETA = True\n",
    }
    assert lint(files) == ()


def test_an_unbounded_environment_write_is_named_and_keeps_the_code_alive(lint):
    """Issue 20: a write of a computed name no longer mutes every variable.
    FL001 reports, naming the write; FL002 does not (it may set it)."""
    files = {
        ".env": "OTHER=1\n",
        "app.py": APP,
        "boot.py": "import os\n\ndef load(cfg):\n    for k, v in cfg.items():\n        os.environ[k] = v\n",
    }
    [finding] = lint(files)
    assert (finding.code, finding.path, finding.span.line, finding.flag) == ("FL001", "app.py", 4, "env:ENABLE_BETA")
    assert finding.message.endswith(", unless os.environ[k] at boot.py:5 sets it")


def test_suppression_on_the_read_line(lint):
    app = "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA') == '1':  # flaglint: ignore[FL001]\n        beta()\n"
    assert found(lint({".env": "OTHER=1\n", "app.py": app})) == [("FL002", "app.py", 5, "env:ENABLE_BETA")]


def test_json_output_names_the_environment_flag(lint):
    findings = lint({".env": "OTHER=1\n", "app.py": APP}, select=["FL001"])
    assert [(f.flag, f.path, f.span.line, f.span.column) for f in findings] == [("env:ENABLE_BETA", "app.py", 4, 8)]


def test_which_files_are_environment_sources(tmp_path):
    from flaglint.sources.load import find_sources
    from flaglint.sources.names import is_env_file

    assert [
        is_env_file(name) for name in (".env", ".env.local", ".env.example", ".envrc", "env", ".env.gpg", "x.env")
    ] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    (tmp_path / "venv-named-dot-env" / ".env").mkdir(parents=True)  # a virtualenv called .env
    (tmp_path / "venv-named-dot-env" / ".env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / ".env").write_text("A=1\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".env.production").write_text("A=1\n")
    assert [path.relative_to(tmp_path.resolve()).as_posix() for path in find_sources([tmp_path])] == [
        "svc/.env.production"
    ]


def test_unreadable_env_file_is_fl000_and_its_variables_are_unknown(lint):
    findings = lint({".env": b"\xff\xfe\x00bad", ".env.local": "OTHER=1\n", "app.py": APP})
    assert found(findings) == [("FL000", ".env", 1, None)]
    assert findings[0].message.startswith("cannot read environment file: ")


def test_scripts_that_are_not_importable_still_read_environment_flags(lint):
    assert found(lint({".env": "OTHER=1\n", "bin/run-server.py": APP})) == [
        ("FL001", "bin/run-server.py", 4, "env:ENABLE_BETA"),
        ("FL002", "bin/run-server.py", 5, "env:ENABLE_BETA"),
    ]


COMPOSE = """\
services:
  web:
    image: shop
    environment:
      - DATABASE_URL=postgres://db
      - ENABLE_BETA=1
      - PASSED_THROUGH
    env_file:
      - config/web.env
  worker:
    environment:
      USE_QUEUE: "true"
      FROM_HOST:
"""


def test_compose_environment_and_env_file(tmp_path):
    from flaglint.sources.load import load_sources

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "web.env").write_text("FROM_ENV_FILE=1\n")
    (tmp_path / "docker-compose.yml").write_text(COMPOSE)
    sources = load_sources([tmp_path], tmp_path)
    assert sources.env_files == ["docker-compose.yml", "config/web.env"]
    assert {name: [(a.path, a.line, a.value) for a in found] for name, found in sources.env.items()} == {
        "DATABASE_URL": [("docker-compose.yml", 5, "postgres://db")],
        "ENABLE_BETA": [("docker-compose.yml", 6, "1")],
        "PASSED_THROUGH": [("docker-compose.yml", 7, None)],
        "USE_QUEUE": [("docker-compose.yml", 12, "true")],
        "FROM_HOST": [("docker-compose.yml", 13, None)],
        "FROM_ENV_FILE": [("config/web.env", 1, "1")],
    }


def test_compose_file_is_an_environment_source(lint):
    assert lint({"docker-compose.yml": COMPOSE, "config/web.env": "A=1\n", "app.py": APP}) == ()


def test_compose_file_that_does_not_set_the_flag(lint):
    files = {"compose.yaml": COMPOSE.replace("ENABLE_BETA", "OTHER"), "config/web.env": "A=1\n", "app.py": APP}
    assert found(lint(files)) == [
        ("FL001", "app.py", 4, "env:ENABLE_BETA"),
        ("FL002", "app.py", 5, "env:ENABLE_BETA"),
    ]


def test_broken_compose_file_is_fl000_and_variables_unknown(lint):
    findings = lint({"docker-compose.yml": "services: [\n", "app.py": APP})
    assert [(f.code, f.path, f.span.line) for f in findings] == [("FL000", "docker-compose.yml", 2)]


def test_a_yaml_file_that_is_not_compose_sets_nothing(lint):
    assert found(lint({"compose.yaml": "just: a config\n", ".env": "OTHER=1\n", "app.py": APP})) == [
        ("FL001", "app.py", 4, "env:ENABLE_BETA"),
        ("FL002", "app.py", 5, "env:ENABLE_BETA"),
    ]


def test_missing_env_file_named_by_compose(lint):
    findings = lint({"docker-compose.yml": COMPOSE, "app.py": APP})
    assert [(f.code, f.path, f.message) for f in findings] == [
        ("FL000", "config/web.env", "environment file not found (named in a compose file's env_file)")
    ]
    optional = COMPOSE.replace("      - config/web.env\n", "      - path: config/web.env\n        required: false\n")
    assert lint({"docker-compose.yml": optional, "app.py": APP}) == ()

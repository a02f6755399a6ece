"""More precision from real projects (saleor, kitsune, ocw-studio,
mitxonline, ansible-ai-connect-service, dbt-feature-flags): CI workflows
set variables, compose overrides resolve env_file against the project
directory, a root ``__init__.py`` does not rename every module, and the
wrapper forms real projects write (``ENABLED and client.variation(...)``,
``... if client else False``, ``str`` Enum keys)."""

from __future__ import annotations


import pytest

from flaglint.discover import discover
from flaglint.sources.ci import parse_ci, shell_assignments
from flaglint.sources.env import compose_bases
from flaglint.sources.load import load_sources


def codes(findings):
    return [(f.code, f.path, f.span.line) for f in findings]


def flagged(findings):
    return [(f.code, f.path, f.span.line, f.flag) for f in findings]


# ---------------------------------------------------------------- CI workflows
WORKFLOW = (
    "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      PYTEST_DB_URL: postgres://x\n"
    '    steps:\n      - run: |\n          export OTHER_URL="$DATABASE_URL"\n          pytest\n'
)
CONFTEST = (
    'import os\nif os.environ.get("PYTEST_DB_URL") == "1":\n    DB = 1\n'
    'if os.environ.get("OTHER_URL") == "1":\n    DB = 2\n'
)


def test_a_workflows_env_and_run_exports_set_variables(lint):
    files = {".env": "SECRET_KEY=x\n", ".github/workflows/test.yml": WORKFLOW, "conftest.py": CONFTEST}
    assert codes(lint(files)) == []


def test_variables_no_workflow_sets_are_still_never_set(lint):
    workflow = WORKFLOW.replace("PYTEST_DB_URL", "UNRELATED").replace("OTHER_URL", "ALSO_UNRELATED")
    files = {".env": "SECRET_KEY=x\n", ".github/workflows/test.yml": workflow, "conftest.py": CONFTEST}
    assert codes(lint(files)) == [
        ("FL001", "conftest.py", 2),
        ("FL002", "conftest.py", 3),
        ("FL001", "conftest.py", 4),
        ("FL002", "conftest.py", 5),
    ]


def test_a_workflow_alone_does_not_make_the_environment_known(lint):
    # like a Dockerfile: it says which variables exist, not what a deployment sets
    app = 'import os\nif os.environ.get("ENABLE_BETA"):\n    beta()\n'
    assert codes(lint({".github/workflows/test.yml": WORKFLOW, "app.py": app})) == []
    assert codes(lint({".env": "X=1\n"})) == [("FL001", "app.py", 2), ("FL002", "app.py", 3)]  # same tree, now known


def test_a_broken_workflow_is_fl000_and_the_environment_stays_known(lint):
    app = 'import os\nif os.environ.get("ENABLE_BETA"):\n    beta()\n'
    files = {".env": "X=1\n", ".github/workflows/bad.yml": "on: push\njobs: [\n  t\n", "app.py": app}
    findings = lint(files)
    assert codes(findings) == [
        ("FL000", ".github/workflows/bad.yml", 4),
        ("FL001", "app.py", 2),
        ("FL002", "app.py", 3),
    ]
    assert findings[0].message.startswith("invalid YAML: ")


def test_workflow_assignments_have_their_lines_and_values(tmp_path):
    workflow = (
        "on: push\n"  # 1
        "env:\n"  # 2
        "  TOP: 'yes'\n"  # 3
        "jobs:\n"  # 4
        "  t:\n"  # 5
        "    container:\n"  # 6
        "      image: python\n"  # 7
        "      env:\n"  # 8
        "        IN_CONTAINER: true\n"  # 9
        "    services:\n"  # 10
        "      db:\n"  # 11
        "        env:\n"  # 12
        "          POSTGRES_PASSWORD: x\n"  # 13: the service's, not the job's
        "    env:\n"  # 14
        "      JOB: ${{ secrets.JOB }}\n"  # 15
        "    steps:\n"  # 16
        "      - env:\n"  # 17
        "          STEP: 2\n"  # 18
        "        run: |\n"  # 19
        '          export A=1 B="$HOME"\n'  # 20
        "          C=3 pytest \\\n"  # 21
        "            -q\n"  # 22
        "          D=4\n"  # 23: a shell variable, not the environment's
        '          echo "E=5" >> $GITHUB_ENV\n'  # 24
        "      - run: F=6 make test\n"  # 25
    )
    assignments, problem = parse_ci(workflow, "ci.yml", gitlab=False)
    assert problem is None
    assert sorted((a.name, a.value, a.line) for a in assignments) == [
        ("A", "1", 20),
        ("B", None, 20),
        ("C", "3", 21),
        ("E", "5", 24),
        ("F", "6", 25),
        ("IN_CONTAINER", "true", 9),
        ("JOB", None, 15),
        ("STEP", "2", 18),
        ("TOP", "yes", 3),
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("export A=1", [("A", "1")]),
        ("export A", []),  # exports what is already set: sets nothing new
        ("A=1 B='two words' cmd --flag", [("A", "1"), ("B", "two words")]),
        ("env A=$X cmd", [("A", None)]),
        ("A=1", []),
        ("echo 'A=1' >> \"$GITHUB_ENV\"", [("A", "1")]),
        ("echo A=1", []),
        ('echo "unclosed', []),
        ("# export A=1", []),
        ("python -c 'print(1)'", []),
    ],
)
def test_shell_lines(line, expected):
    assert shell_assignments(line) == expected


GITLAB = (
    "variables:\n  GLOBAL_FLAG: '1'\n"
    ".template: &tpl\n  before_script:\n    - export FROM_TEMPLATE=1\n"
    "test:\n  <<: *tpl\n  variables:\n    JOB_FLAG: {value: '1', description: x}\n  script:\n    - SCRIPT_FLAG=1 pytest\n"
)


def test_gitlab_ci_variables_and_scripts_set_variables(lint):
    names = ("GLOBAL_FLAG", "FROM_TEMPLATE", "JOB_FLAG", "SCRIPT_FLAG")
    app = "import os\n" + "".join(f'if os.environ.get("{name}"):\n    run()\n' for name in names)
    assert codes(lint({".env": "X=1\n", ".gitlab-ci.yml": GITLAB, "app.py": app})) == []


def test_gitlab_ci_does_not_set_what_it_does_not_name(lint):
    app = 'import os\nif os.environ.get("NEW_SEARCH"):\n    run()\n'
    assert codes(lint({".env": "X=1\n", ".gitlab-ci.yml": GITLAB, "app.py": app})) == [
        ("FL001", "app.py", 2),
        ("FL002", "app.py", 3),
    ]


def test_ci_files_are_build_files_not_environment_files(tmp_path):
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/test.yml").write_text(WORKFLOW)
    sources = load_sources([tmp_path], tmp_path)
    assert sources.build_files == [".github/workflows/test.yml"]
    assert sources.env_files == [] and not sources.has_env
    assert [(a.path, a.line) for a in sources.env["PYTEST_DB_URL"]] == [(".github/workflows/test.yml", 6)]


# ------------------------------------------------------ compose override paths
COMPOSE_PROJECT = {
    "docker-compose.yml": "services:\n  web:\n    image: app\n    env_file: .env-dist\n",
    ".env-dist": "X=1\n",
    ".env-test": "BETA=1\n",
    "docker/docker-compose.ci.yml": "services:\n  test:\n    image: app\n    env_file: .env-test\n",
    "app.py": 'import os\nif os.environ.get("BETA") == "1":\n    print("beta")\n',
}


def test_an_overrides_env_file_resolves_against_the_project_directory(lint):
    assert codes(lint(COMPOSE_PROJECT)) == []


def test_an_env_file_missing_from_both_directories_is_reported(lint):
    files = {name: text for name, text in COMPOSE_PROJECT.items() if name != ".env-test"}
    findings = lint(files)
    # the missing file may set anything: FL000, and no FL001 for BETA
    assert codes(findings) == [("FL000", "docker/.env-test", 1)]
    assert findings[0].message == "environment file not found (named in a compose file's env_file)"


def test_an_overrides_own_directory_comes_first(lint):
    files = {**COMPOSE_PROJECT, "docker/.env-test": "OTHER=1\n"}
    assert codes(lint(files)) == [("FL001", "app.py", 2), ("FL002", "app.py", 3)]  # root .env-test is not read


def test_compose_bases(tmp_path):
    (tmp_path / "deploy/ci/compose").mkdir(parents=True)
    (tmp_path / "deploy/compose.yaml").write_text("services: {}\n")
    override = tmp_path / "deploy/ci/compose/docker-compose.ci.yml"
    assert compose_bases(override, [tmp_path]) == [override.parent, tmp_path / "deploy", tmp_path]
    assert compose_bases(tmp_path / "deploy/compose.yaml", [tmp_path]) == [tmp_path / "deploy", tmp_path]
    assert compose_bases(tmp_path / "docker-compose.yml", [tmp_path]) == [tmp_path]  # never above the root
    assert compose_bases(override, []) == [override.parent]  # outside every root: its own directory only


# ---------------------------------------------------- a root __init__.py
ROOT_PACKAGE = {
    "__init__.py": "",
    "main/__init__.py": "",
    "main/flags.py": 'import os\nENABLED = os.environ.get("NEW_UI") == "1"\n',
    "main/app.py": "from main.flags import ENABLED\n\nif ENABLED:\n    print('x')\n",
    ".env": "X=1\n",
}
LD_WRAPPER = "import ldclient\n\n_ld = ldclient.get()\n\n\ndef is_on(key, default=False):\n    return _ld.variation(key, None, default)\n"


def test_a_root_init_does_not_rename_modules(tmp_path, monkeypatch):
    for name in ("__init__.py", "main/__init__.py", "main/flags.py", "main/sub/__init__.py", "main/sub/m.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    monkeypatch.chdir(tmp_path)
    names = {f.display: f.module for f in discover(["."]).files}
    assert names == {
        "__init__.py": "",
        "main/__init__.py": "main",
        "main/flags.py": "main.flags",
        "main/sub/__init__.py": "main.sub",
        "main/sub/m.py": "main.sub.m",
    }
    # a subdirectory given from the project root: still named from the root
    assert {f.display: f.module for f in discover(["main/sub"]).files}["main/sub/m.py"] == "main.sub.m"


def test_module_names_stop_at_the_git_root_not_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    for name in ("__init__.py", "main/__init__.py", "main/flags.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    monkeypatch.chdir(tmp_path / "main")
    assert {f.display: f.module for f in discover(["."]).files} == {"__init__.py": "main", "flags.py": "main.flags"}


def test_an_import_from_the_root_resolves_despite_a_root_init(lint):
    assert flagged(lint(ROOT_PACKAGE)) == [
        ("FL002", "main/app.py", 4, "main.flags.ENABLED"),  # the importing file's gate
        ("FL001", "main/flags.py", 2, "main.flags.ENABLED"),
    ]


def test_an_import_from_the_root_resolves_and_the_flag_is_set(lint):
    assert flagged(lint({**ROOT_PACKAGE, ".env": "NEW_UI=1\n"})) == []


def test_a_wrapper_imported_from_the_root_reads_at_the_call(lint):
    views = "from main.flags import is_on\n\n\ndef view():\n    if is_on('dead-banner'):\n        return 1\n"
    files = {
        "__init__.py": "",
        "main/__init__.py": "",
        "flaglint.toml": 'flag-sources = ["ld.yaml"]\n',
        "ld.yaml": "flagValues:\n  dead-banner: false\n",
        "main/flags.py": LD_WRAPPER,
        "main/views.py": views,
    }
    assert codes(lint(files)) == [("FL001", "main/views.py", 5), ("FL002", "main/views.py", 6)]


def test_a_wrapper_imported_from_the_root_with_a_live_flag(lint):
    views = "from main.flags import is_on\n\n\ndef view():\n    if is_on('dead-banner'):\n        return 1\n"
    files = {
        "__init__.py": "",
        "main/__init__.py": "",
        "flaglint.toml": 'flag-sources = ["ld.yaml"]\n',
        "ld.yaml": "flags:\n  dead-banner:\n    on: true\n    variations: [false, true]\n    rules: [{variation: 1}]\n",
        "main/flags.py": LD_WRAPPER,
        "main/views.py": views,
    }
    assert codes(lint(files)) == []


# ------------------------------------------------------------ wrapper forms
LD_FILE = "flagValues:\n  dead-banner: false\n  live-banner: true\n"
HEAD = "import ldclient\nfrom ldclient import Context\n\n_ld = ldclient.get()\nENABLED = True\n\n\n"
VIEWS = (
    "from app.flags import is_on\n\n\ndef view():\n    if is_on('dead-banner'):\n        return 1\n"
    "    if is_on('live-banner'):\n        return 2\n"
)
DEAD = [
    ("FL001", "app/views.py", 5, "sdk:launchdarkly:dead-banner"),
    ("FL002", "app/views.py", 6, "sdk:launchdarkly:dead-banner"),
]


def wrapped(body: str, views: str = VIEWS, **extra):
    files = {"flaglint.toml": 'flag-sources = ["ld.yaml"]\n', "ld.yaml": LD_FILE, "app/__init__.py": ""}
    return {**files, "app/flags.py": HEAD + body, "app/views.py": views, **extra}


CONDITIONAL_WRAPPERS = {
    "and": "def is_on(key, default=False):\n    return ENABLED and _ld.variation(key, Context.create('svc'), default)\n",
    "is not None and": (
        "def is_on(key, default=False):\n    client = ldclient.get()\n"
        "    return client is not None and client.variation(key, Context.create('svc'), default)\n"
    ),
    "if client else False": "def is_on(key, default=False):\n    return _ld.variation(key, Context.create('svc'), False) if _ld else False\n",
    "if client else default": (
        "def is_on(key, default=False):\n    return _ld.variation(key, Context.create('svc'), default) if _ld else default\n"
    ),
    "None if not client else": (
        "def is_on(key, default=False):\n    return None if not _ld else _ld.variation(key, Context.create('svc'), default)\n"
    ),
    "forwarder": (
        "def _raw(key, default=False):\n    return _ld.variation(key, Context.create('svc'), default)\n\n\n"
        "def is_on(name):\n    return ENABLED and _raw(name)\n"
    ),
}


@pytest.mark.parametrize("body", CONDITIONAL_WRAPPERS.values(), ids=CONDITIONAL_WRAPPERS.keys())
def test_a_conditional_wrapper_reads_a_never_on_flag_but_never_an_always_on_one(lint, body):
    # dead-banner: FL001/FL002 as through a plain wrapper; live-banner: no
    # FL006 (a plain wrapper reports it, test_wrappers.py), the call site may be off
    assert flagged(lint(wrapped(body))) == DEAD


NOT_WRAPPERS = {
    # on when ENABLED is, whatever the flag: the flag reading off proves nothing
    "or": "def is_on(key, default=False):\n    return ENABLED or _ld.variation(key, Context.create('svc'), default)\n",
    "if client else True": "def is_on(key, default=False):\n    return _ld.variation(key, Context.create('svc'), False) if _ld else True\n",
    "if client else another parameter": (
        "def is_on(key, default=False, fallback=True):\n"
        "    return _ld.variation(key, Context.create('svc'), default) if _ld else fallback\n"
    ),
    "call and cond": "def is_on(key, default=False):\n    return _ld.variation(key, Context.create('svc'), default) and ENABLED\n",
}


@pytest.mark.parametrize("body", NOT_WRAPPERS.values(), ids=NOT_WRAPPERS.keys())
def test_returns_that_can_be_on_while_the_flag_is_off_are_not_wrappers(lint, body):
    assert [f for f in flagged(lint(wrapped(body))) if f[0] != "FL005"] == []


STR_ENUM = "from enum import Enum\n\n\nclass Flags(str, Enum):\n    DEAD = 'dead-banner'\n    LIVE = 'live-banner'\n"
PLAIN_WRAPPER = "def is_on(key, default=False):\n    return _ld.variation(key, Context.create('svc'), default)\n"
ENUM_VIEWS = (
    "from app.flags import is_on\nfrom app.keys import Flags\n\n\ndef view():\n    if is_on({key}):\n        return 1\n"
)
ENUM_DEAD = [
    ("FL001", "app/views.py", 6, "sdk:launchdarkly:dead-banner"),
    ("FL002", "app/views.py", 7, "sdk:launchdarkly:dead-banner"),
    ("FL005", "ld.yaml", 3, "sdk:launchdarkly:live-banner"),
]


@pytest.mark.parametrize(
    "enum, key",
    [
        (STR_ENUM, "Flags.DEAD"),
        (STR_ENUM, "Flags.DEAD.value"),
        (STR_ENUM.replace("(str, Enum)", "(StrEnum)").replace("import Enum", "import StrEnum"), "Flags.DEAD"),
        (STR_ENUM.replace("from enum import Enum", "import enum").replace("Enum)", "enum.Enum)"), "Flags.DEAD"),
    ],
)
def test_a_str_enum_member_is_its_string_key(lint, enum, key):
    files = wrapped(PLAIN_WRAPPER, ENUM_VIEWS.format(key=key), **{"app/keys.py": enum})
    assert flagged(lint(files)) == ENUM_DEAD


def test_a_str_enum_member_of_a_live_flag(lint):
    files = wrapped(PLAIN_WRAPPER, ENUM_VIEWS.format(key="Flags.LIVE"), **{"app/keys.py": STR_ENUM})
    assert flagged(lint(files)) == [
        ("FL006", "app/views.py", 6, "sdk:launchdarkly:live-banner"),
        ("FL005", "ld.yaml", 2, "sdk:launchdarkly:dead-banner"),
    ]


def test_a_plain_enum_member_is_not_a_string_key(lint):
    # the SDK would get the member, not "dead-banner": nothing to say
    enum = STR_ENUM.replace("(str, Enum)", "(Enum)")
    assert flagged(lint(wrapped(PLAIN_WRAPPER, ENUM_VIEWS.format(key="Flags.DEAD"), **{"app/keys.py": enum}))) == []


def test_a_str_enum_key_in_the_same_module_and_on_a_direct_sdk_call(lint):
    views = (
        "import ldclient\n"
        + STR_ENUM
        + "\n\ndef view():\n    if ldclient.get().variation(Flags.DEAD, None, False):\n        return 1\n"
    )
    files = {
        "flaglint.toml": 'flag-sources = ["ld.yaml"]\n',
        "ld.yaml": LD_FILE,
        "app/__init__.py": "",
        "app/views.py": views,
    }
    assert flagged(lint(files)) == [
        ("FL001", "app/views.py", 11, "sdk:launchdarkly:dead-banner"),
        ("FL002", "app/views.py", 12, "sdk:launchdarkly:dead-banner"),
        ("FL005", "ld.yaml", 3, "sdk:launchdarkly:live-banner"),
    ]

"""A hostile repository (issue 16, items 8-12): its files cannot hang
flaglint, exhaust its memory or run commands, and bad input is an exit code
with a message, never a traceback.

Like tests/test_hostile_input.py, each project holds ``app.py`` with two
known findings next to the hostile file, and inputs that could hang or
exhaust memory run in a subprocess with a timeout and a memory limit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Tuple

import pytest

from conftest import memory_limit, git, write_tree
from test_hostile_input import APP, GOOD, fl000, triples

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None

#: a hostile file must cost seconds, not minutes: the old code took 17-34 s
#: or was killed; the fixed code takes well under one
FAST = 10


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"app.py": APP})
    return tmp_path


def run(cwd: Path, *args: str, command: str = "check", timeout: float = 60) -> Tuple[int, str, str, float]:
    """``python -m flaglint COMMAND ARGS`` in ``cwd`` with a timeout (and a
    1 GiB memory limit where the platform has one): (exit code, stdout,
    stderr, seconds)."""
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-m", "flaglint", command, *args],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        preexec_fn=memory_limit(1) if resource is not None else None,
    )
    stdout, stderr = (stream.decode("utf-8", "replace") for stream in (process.stdout, process.stderr))
    assert "Traceback" not in stdout + stderr, stderr[-3000:]
    return process.returncode, stdout, stderr, time.monotonic() - started


def check_json(cwd: Path, *args: str) -> Tuple[int, dict, float]:
    code, stdout, stderr, seconds = run(cwd, "--format", "json", *args)
    assert code in (0, 1), (code, stderr[-2000:])
    return code, json.loads(stdout), seconds


# ---------------------------------------------------------------------------
# item 8: YAML alias expansion is bounded
# ---------------------------------------------------------------------------


def list_bomb(levels: int, item: str = '"A=1"') -> List[str]:
    """``x-a: &a [...nine items]``, then each level nine aliases to the one
    below: ``9 ** levels`` items once expanded, a few hundred bytes."""
    names = "abcdefghijklmnop"
    lines = [f"x-a: &a [{', '.join([item] * 9)}]"]
    for level in range(1, levels):
        below = names[level - 1]
        lines.append(f"x-{names[level]}: &{names[level]} [{', '.join(['*' + below] * 9)}]")
    return lines


def merge_bomb(levels: int, indent: str = "") -> List[str]:
    """The same with merge keys (``<<: [*a, *a, ...]``), which PyYAML
    expands while it constructs the mappings."""
    names = "abcdefghijklmnop"
    lines = [f"{indent}x-a: &a {{A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, I: 9}}"]
    for level in range(1, levels):
        below = names[level - 1]
        lines.append(f"{indent}x-{names[level]}: &{names[level]} {{<<: [{', '.join(['*' + below] * 9)}]}}")
    return lines


COMPOSE_BOMB = "\n".join(list_bomb(9) + ["services:", "  web:", "    environment: *i"]) + "\n"
GITLAB_BOMB = "\n".join(list_bomb(7, '"export A=1"') + ["job:", "  script: *g"]) + "\n"
WORKFLOW_BOMB = "\n".join(merge_bomb(9) + ["on: push", "jobs:", "  build:", "    env: *i"]) + "\n"
MANIFEST_BOMB = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
    + "\n".join(merge_bomb(9, "    "))
    + "\nspec:\n  containers:\n  - name: c\n    env: []\n"
)
FLAGD_BOMB = "\n".join(
    [
        "flags:",
        "  big:",
        "    state: ENABLED",
        "    defaultVariant: off",
        "    variants:",
        "      on: true",
        "      off: *i",
    ]
)
FLAGD_BOMB = "\n".join(list_bomb(9)) + "\n" + FLAGD_BOMB + "\n"
KUSTOMIZATION_BOMB = "\n".join(merge_bomb(9) + ["configMapGenerator: []"]) + "\n"

#: (files, the hostile file, the line its FL000 names)
BOMBS = {
    "compose": ({"docker-compose.yml": COMPOSE_BOMB}, "docker-compose.yml", 6),
    "gitlab-ci": ({".gitlab-ci.yml": GITLAB_BOMB}, ".gitlab-ci.yml", 6),
    "github-workflow": ({".github/workflows/ci.yml": WORKFLOW_BOMB}, ".github/workflows/ci.yml", 5),
    "kubernetes": ({"deploy/pod.yaml": MANIFEST_BOMB}, "deploy/pod.yaml", 10),
    "flagd": (
        {"flags.yaml": FLAGD_BOMB, "pyproject.toml": '[tool.flaglint]\nflag-sources = ["flags.yaml"]\n'},
        "flags.yaml",
        6,
    ),
    "kustomization": ({"deploy/kustomization.yaml": KUSTOMIZATION_BOMB}, "deploy/kustomization.yaml", 5),
}


def test_the_compose_bomb_is_the_issue_size():
    assert len(COMPOSE_BOMB.encode()) < 504
    assert COMPOSE_BOMB.count("*") == 8 * 9 + 1  # nine levels of nine-fold aliases


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_yaml_alias_bomb_is_one_fl000_and_fast(project, kind):
    files, hostile, line = BOMBS[kind]
    write_tree(project, files)
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert code == 1
    bad = fl000(document)
    assert [(f["path"], f["line"]) for f in bad] == [(hostile, line)]
    assert bad[0]["message"] == "YAML aliases expand this document by more than 100000 nodes: not read"
    assert [triple for triple in triples(document) if triple[0] != "FL000"] == GOOD


def test_a_recursive_alias_is_one_fl000(project):
    write_tree(project, {"docker-compose.yml": "x-a: &a [1, *a]\nservices:\n  web:\n    environment: *a\n"})
    code, document, _ = check_json(project)
    assert [(f["path"], f["line"], f["message"]) for f in fl000(document)] == [
        ("docker-compose.yml", 1, "a YAML alias refers to a node that contains it: not read")
    ]


def test_ordinary_anchors_and_merge_keys_are_still_read(tmp_path):
    # the budget never refuses what real files do: shared defaults merged into each service
    from flaglint.sources.load import load_sources

    compose = "x-env: &env\n  ENABLE_X: '1'\n  LOG: debug\nservices:\n" + "".join(
        f"  s{index}:\n    environment:\n      <<: *env\n      N{index}: '1'\n" for index in range(50)
    )
    write_tree(tmp_path, {"docker-compose.yml": compose})
    sources = load_sources([tmp_path], tmp_path)
    assert sources.problems == []
    assert len(sources.env["ENABLE_X"]) == 50
    assert sorted(sources.env) == sorted(["ENABLE_X", "LOG"] + [f"N{index}" for index in range(50)])


def test_budget_counts_expanded_nodes_beyond_the_documents_own():
    import yaml

    from flaglint.sources.bounded_yaml import YAMLBudgetError, check_expansion

    plain = yaml.compose("[" + ", ".join(["x"] * 5000) + "]")
    check_expansion(plain, budget=10)  # 5001 nodes, no alias: nothing to refuse
    shared = yaml.compose("a: &a [x, x, x]\nb: [*a, *a, *a]\n")
    check_expansion(shared, budget=12)  # aliases add 3 * 4 = 12 nodes
    with pytest.raises(YAMLBudgetError) as raised:
        check_expansion(shared, budget=11)
    assert raised.value.line == 1  # the line of the smallest node past the budget: here the document


# ---------------------------------------------------------------------------
# item 9: reading sources is bounded and never blocks
# ---------------------------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
needs_dev_zero = pytest.mark.skipif(
    not (hasattr(os, "symlink") and os.path.exists("/dev/zero")), reason="needs /dev/zero"
)


@needs_fifo
@pytest.mark.parametrize(
    "name, message",
    [
        (".env", "cannot read environment file: not a regular file"),
        ("Dockerfile", "cannot read Dockerfile: not a regular file"),
        ("docker-compose.yml", "cannot read environment file: not a regular file"),
        (".gitlab-ci.yml", "cannot read CI file: not a regular file"),
    ],
)
def test_a_fifo_named_like_a_source_is_fl000_without_hanging(project, name, message):
    os.mkfifo(project / name)
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert [(f["path"], f["line"], f["message"]) for f in fl000(document)] == [(name, 1, message)]
    assert [triple for triple in triples(document) if triple[0] != "FL000"] == GOOD


@needs_fifo
def test_a_fifo_named_like_a_manifest_or_a_gitignore_is_skipped_without_hanging(project):
    os.mkfifo(project / "pod.yaml")  # only maybe a manifest: nothing to report
    os.mkfifo(project / ".gitignore")
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert triples(document) == GOOD
    assert document["summary"]["skipped"] == [
        {"path": ".gitignore", "reason": "unreadable .gitignore: not a regular file"}
    ]


@needs_dev_zero
def test_an_env_symlink_to_dev_zero_is_fl000(project):
    os.symlink("/dev/zero", project / ".env")
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert triples(document) == [("FL000", ".env", 1)] + GOOD
    assert fl000(document)[0]["message"] == "cannot read environment file: not a regular file"


@needs_dev_zero
def test_compose_env_file_dev_zero_is_fl000(project):
    write_tree(project, {"docker-compose.yml": "services:\n  web:\n    env_file: /dev/zero\n"})
    code, document, seconds = check_json(project)
    assert seconds < FAST
    # outside the project: reported at the compose file that names it
    assert triples(document) == GOOD + [("FL000", "docker-compose.yml", 1)]
    assert fl000(document)[0]["message"] == "env_file /dev/zero: cannot read environment file: not a regular file"


@needs_dev_zero
def test_flag_source_dev_zero_is_fl000(project):
    write_tree(project, {"pyproject.toml": '[tool.flaglint]\nflag-sources = ["/dev/zero"]\n'})
    code, document, seconds = check_json(project)
    assert seconds < FAST
    # a configured source outside the analysed paths is still reported: the
    # configuration named it, and the analysis depends on it
    assert triples(document) == [("FL000", "/dev/zero", 1)] + GOOD
    assert fl000(document)[0]["message"] == "cannot read flag source: not a regular file"
    assert code == 1


def test_a_configured_source_outside_a_narrowed_check_is_reported(project):
    """``check sub`` still reports the broken configured source at the root,
    but not a broken compose file there, which is only found, not named."""
    write_tree(
        project,
        {
            "pyproject.toml": '[tool.flaglint]\nflag-sources = ["flags.json"]\n',
            "flags.json": "{not json",
            "docker-compose.yml": "services: [",
            "sub/mod.py": "X = 1\n",
        },
    )
    code, document, _ = check_json(project, "sub")
    assert triples(document) == [("FL000", "flags.json", 1)]
    assert code == 1


def test_a_200_mb_env_file_is_fl000_not_memory_error(project):
    with open(project / ".env", "wb") as handle:  # sparse: costs no disk
        handle.truncate(200_000_000)
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert triples(document) == [("FL000", ".env", 1)] + GOOD
    assert (
        fl000(document)[0]["message"]
        == "cannot read environment file: larger than 5 MB, the limit for this kind of file"
    )


ENV_APP = 'import os\n\nif os.environ.get("ENABLE_E"):\n    g()\n'


def test_env_file_outside_the_project_is_read_when_regular(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    write_tree(elsewhere, {"shared.env": "ENABLE_E=1\n"})
    compose = f"services:\n  web:\n    env_file: {elsewhere / 'shared.env'}\n"
    write_tree(project, {"env_app.py": ENV_APP, "docker-compose.yml": compose})
    code, document, _ = check_json(project)
    assert triples(document) == GOOD  # no FL001 for ENABLE_E: the outside file sets it
    write_tree(elsewhere, {"shared.env": "OTHER=1\n"})
    code, document, _ = check_json(project)
    assert triples(document) == GOOD + [("FL001", "env_app.py", 3), ("FL002", "env_app.py", 4)]


def test_reading_caps_and_regular_files(tmp_path):
    from flaglint.sources.reading import LIMITS, NotRegularFile, TooLarge, read_source_text

    (tmp_path / "ok.env").write_bytes(b"A=1\r\nB=2\rC=3\n")
    assert read_source_text(tmp_path / "ok.env", "env") == "A=1\nB=2\nC=3\n"  # universal newlines, as read_text
    (tmp_path / "big.yml").write_bytes(b"#" * (LIMITS["dockerfile"] + 1))
    with pytest.raises(TooLarge):
        read_source_text(tmp_path / "big.yml", "dockerfile")
    (tmp_path / "exact").write_bytes(b"#" * LIMITS["dockerfile"])
    assert len(read_source_text(tmp_path / "exact", "dockerfile")) == LIMITS["dockerfile"]
    with pytest.raises(IsADirectoryError):
        read_source_text(tmp_path, "env")
    with pytest.raises(FileNotFoundError):
        read_source_text(tmp_path / "missing", "env")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        with pytest.raises(NotRegularFile):
            read_source_text(tmp_path / "fifo", "env")


def test_github_env_line_of_spaces_is_linear():
    from flaglint.sources.ci import shell_assignments

    started = time.monotonic()
    assert shell_assignments("echo A=" + " " * 100_000) == []
    assert time.monotonic() - started < 1
    # what the pattern is for still works
    assert shell_assignments('echo "A=1" >> $GITHUB_ENV') == [("A", "1")]
    assert shell_assignments('echo A=a>>b >> "${GITHUB_ENV}"  ') == [("A", "a>>b")]
    assert shell_assignments("echo 'B=$X' >> $GITHUB_ENV") == [("B", None)]
    assert shell_assignments('echo "A=1 >> $GITHUB_ENV') == []


def test_github_workflow_with_a_long_line_is_fast(project):
    workflow = 'on: push\njobs:\n  b:\n    steps:\n    - run: "echo A=' + " " * 100_000 + '"\n'
    write_tree(project, {".github/workflows/ci.yml": workflow})
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert triples(document) == GOOD


def _runs_fast(code: str) -> None:
    """Run ``code`` in a fresh interpreter: a quadratic or exponential pattern
    would hang the test process itself."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert time.monotonic() - started < FAST


def test_helm_line_of_many_actions_is_linear(project):
    # \s*(?:{{.*?}}\s*)+ backtracked exponentially on a line of actions ending in text
    line = "        " + "{{a}}" * 40 + " x"
    manifest = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    env:\n" + line + "\n"
    write_tree(
        project,
        {
            "chart/templates/pod.yaml": manifest,
            "chart/templates/open.yaml": "apiVersion: v1\nkind: Pod\n# containers:\n" + "{{" * 100_000,
        },
    )
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert triples(document) == GOOD


def test_helm_actions_are_found_as_the_lazy_pattern_found_them():
    from flaglint.sources.helm import _actions, _only_actions

    text = "a {{ b }} c {{ d }}}} {{ e \n f }} {{ open"
    assert [text[start:end] for start, end in _actions(text)] == ["{{ b }}", "{{ d }}", "{{ e \n f }}"]
    assert _only_actions("  {{- if .x }} {{ end }}  ") and _only_actions("{{ a }} text }}")
    assert not _only_actions("{{ a }} x") and not _only_actions("{{}") and not _only_actions("x {{ a }}")


def test_django_template_read_with_many_spaces_is_linear():
    _runs_fast(
        "from flaglint.sources.django import _TEMPLATE_READ\n"
        "assert list(_TEMPLATE_READ.finditer('flag_enabled' + ' ' * 100000 + 'x')) == []\n"
        "found = _TEMPLATE_READ.findall('{% flag_enabled \"A\" %} {{ flag_disabled( \\'B\\') }} flag_enabled  (\"C\"')\n"
        "assert found == ['A', 'B', 'C'], found\n"
    )


# ---------------------------------------------------------------------------
# item 10: running git never runs a command the repository configures
# ---------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

#: every way a repository's own configuration can make git run a command on
#: what flaglint asks: each touches its own marker file
HOSTILE_CONFIG = {
    "core.fsmonitor": "touch PWNED_FSMONITOR; false",
    "filter.evil.clean": "touch PWNED_CLEAN; cat",
    "filter.evil.smudge": "touch PWNED_SMUDGE; cat",
    "filter.evil.process": "touch PWNED_PROCESS; false",
    "filter.evil.required": "true",
    "diff.evil.textconv": "touch PWNED_TEXTCONV; cat",
    "diff.evil.command": "touch PWNED_DIFF; true",
    "diff.external": "touch PWNED_EXTERNAL; true",
    "core.hooksPath": "hooks",
}


@pytest.fixture
def repo(project):
    """The project, committed."""
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "one")
    return project


@pytest.fixture
def hostile_repo(repo):
    """A committed project, then the repository's config turned hostile and
    a line left uncommitted (so that git has work-tree files to read)."""
    project = repo
    write_tree(project, {".gitattributes": "*.py filter=evil diff=evil\n"})
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "attributes")
    for key, value in HOSTILE_CONFIG.items():
        git(project, "config", key, value)
    write_tree(project, {"hooks/post-checkout": "#!/bin/sh\ntouch PWNED_HOOK\n", "app.py": APP + "Y = 1\n"})
    (project / "hooks" / "post-checkout").chmod(0o755)
    return project


def _markers(root: Path) -> List[str]:
    return sorted(path.name for path in root.iterdir() if path.name.startswith("PWNED"))


def _commands() -> List:
    from flaglint.cli import main

    drift = pytest.mark.skipif("drift" not in main.commands, reason="no drift command on this branch")
    return [
        pytest.param(("audit", "--format", "json"), id="audit"),
        pytest.param(("check", "--against", "HEAD"), id="check-against"),
        pytest.param(("audit", "--against", "HEAD"), id="audit-against"),
        pytest.param(("lock",), id="lock"),
        pytest.param(("drift", "HEAD~1", "HEAD"), id="drift", marks=drift),
    ]


@needs_git
def test_the_hostile_config_does_run_commands_under_plain_git(hostile_repo):
    # the control: these settings are live, so the test below can fail
    subprocess.run(["git", "blame", "--porcelain", "--", "app.py"], cwd=hostile_repo, capture_output=True)
    assert "PWNED_FSMONITOR" in _markers(hostile_repo)


@needs_git
@pytest.mark.parametrize("args", _commands())
def test_git_runs_no_repository_configured_command(hostile_repo, args):
    command, *rest = args
    code, stdout, stderr, _ = run(hostile_repo, *rest, command=command)
    assert _markers(hostile_repo) == []
    assert code in (0, 1), stderr


@needs_git
def test_audit_ages_still_come_from_git_in_a_hostile_repository(hostile_repo):
    code, stdout, stderr, _ = run(hostile_repo, "--format", "json", command="audit")
    assert code == 0, stderr
    entry = next(flag for flag in json.loads(stdout)["flags"] if flag["short"] == "ENABLE_X")
    assert entry["first_commit"]["summary"] == "one"
    assert _markers(hostile_repo) == []


def test_every_git_command_is_built_with_the_overrides(tmp_path):
    from flaglint.history.git import git_command

    command = git_command(["blame", "--porcelain", "--", "a.py"], tmp_path)
    assert command[:7] == [
        "git",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "core.pager=cat",
    ]
    assert command[command.index("blame") :] == ["blame", "--no-textconv", "--porcelain", "--", "a.py"]
    assert git_command(["show", "HEAD:a.py"], tmp_path)[-3:] == ["--no-ext-diff", "--no-textconv", "HEAD:a.py"]


def test_no_module_starts_git_but_history_git():
    # one function builds git command lines: nothing else may call subprocess
    import flaglint

    root = Path(flaglint.__file__).parent
    starters = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "subprocess" in path.read_text(encoding="utf-8")
    )
    assert starters == ["history/git.py"]


@needs_git
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_mailmap_does_not_hang_audit(repo):
    os.mkfifo(repo / ".mailmap")  # git blame reads it from the work tree, and would wait for a writer
    code, stdout, stderr, seconds = run(repo, "--format", "json", command="audit", timeout=30)
    assert seconds < FAST
    assert code == 0, stderr
    entry = next(flag for flag in json.loads(stdout)["flags"] if flag["short"] == "ENABLE_X")
    assert entry["first_commit"] is None  # git could not be asked safely: no age


# ---------------------------------------------------------------------------
# item 11: bad input exits with a message, never a traceback with exit 1
# ---------------------------------------------------------------------------

BAD_DIRECTORY = b"bad\xff"  # not UTF-8: Python keeps the byte as the surrogate \udcff


@pytest.fixture
def undecodable_directory(project):
    try:
        os.makedirs(os.path.join(os.fsencode(project), BAD_DIRECTORY))
    except (OSError, UnicodeError):  # pragma: no cover - a file system that insists on UTF-8 names
        pytest.skip("the file system refuses a name that is not UTF-8")
    with open(os.path.join(os.fsencode(project), BAD_DIRECTORY, b"app.py"), "w", encoding="utf-8") as handle:
        handle.write(APP)
    os.remove(project / "app.py")
    return project


def _raw(cwd: Path, *args: str) -> Tuple[int, bytes, str]:
    process = subprocess.run([sys.executable, "-m", "flaglint", *args], cwd=cwd, capture_output=True, timeout=60)
    stderr = process.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-3000:]
    return process.returncode, process.stdout, stderr


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_directory_name_that_is_not_utf8_is_reported_in_every_format(undecodable_directory, output_format):
    code, stdout, stderr = _raw(undecodable_directory, "check", "--format", output_format)
    assert code == 1, stderr
    if output_format == "text":  # the name's own bytes, as ls prints them
        assert stdout.splitlines()[0].startswith(b"bad\xff/app.py:1:1: FL001 flag ENABLE_X")
    elif output_format == "github":
        assert stdout.splitlines()[0].startswith(b"::warning file=bad\xff/app.py,line=1,")
    elif output_format == "json":  # a surrogate escape: os.fsencode gives the name's bytes back
        paths = [finding["path"] for finding in json.loads(stdout)["findings"]]
        assert paths == ["bad\udcff/app.py"] * 2
        assert os.fsencode(paths[0]) == b"bad\xff/app.py"
    else:  # percent-encoded byte for byte
        results = json.loads(stdout)["runs"][0]["results"]
        assert [result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results] == [
            "bad%FF/app.py"
        ] * 2


@pytest.mark.parametrize("output_format", ["text", "json", "markdown", "html"])
def test_an_audit_of_a_name_that_is_not_utf8_can_be_written_to_a_file(undecodable_directory, output_format):
    code, _, stderr = _raw(undecodable_directory, "audit", "--no-ages", "--format", output_format, "-o", "report.out")
    assert code == 0, stderr
    written = (undecodable_directory / "report.out").read_bytes()
    expected = {"json": b'"bad\\udcff/app.py"', "html": b"<code>bad\xff/<wbr>app.py:1</code>"}
    assert expected.get(output_format, b"bad\xff/app.py:1") in written


# Found by scripts/hostile_fuzz.py (seed 12, case 429): under a UTF-8 locale
# whose stdout is strict (en_US.UTF-8, PYTHONIOENCODING=utf-8), printing a
# name that is not UTF-8 raised UnicodeEncodeError: exit 3, "internal error".
STRICT_OUTPUTS = [
    ("check", "text", 1),
    ("check", "github", 1),
    ("audit", "text", 0),
    ("audit", "markdown", 0),
    ("audit", "html", 0),
    ("graph", "dot", 0),
]


@pytest.mark.parametrize(("command", "output_format", "expected"), STRICT_OUTPUTS)
def test_a_name_that_is_not_utf8_prints_its_bytes_on_a_strict_utf8_stdout(
    undecodable_directory, command, output_format, expected
):
    extra = ["--no-ages"] if command == "audit" else []
    process = subprocess.run(
        [sys.executable, "-m", "flaglint", command, "--format", output_format, *extra],
        cwd=undecodable_directory,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert process.returncode == expected, process.stderr
    assert b"bad\xff/" in process.stdout  # the name's own bytes, as on any other stdout


def test_a_name_no_stdout_encoding_can_write_is_escaped_not_an_error(project):
    """Must not: on a Latin-1 stdout a name it cannot encode is escaped
    (``\\u6f22``), never UnicodeEncodeError and exit 3."""
    write_tree(project, {"\u6f22\u00e9/app.py": APP})
    os.remove(project / "app.py")
    process = subprocess.run(
        [sys.executable, "-m", "flaglint", "check"],
        cwd=project,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "latin-1:strict"},
    )
    assert process.returncode == 1, process.stderr
    assert process.stdout.splitlines()[0].startswith(b"\\u6f22\xe9/app.py:1:1: FL001 flag ENABLE_X")


# Found by scripts/hostile_fuzz.py (seed 20, case 672): a name longer than
# the file system allows (ENAMETOOLONG) made pathlib's is_dir()/is_file()/
# exists() raise OSError, which they only swallow for a missing file: exit 3
# ("internal error") and no JSON document, from repository content alone.
LONG = "x" * 300  # one component over NAME_MAX (255)
DEEP = "a/" * 2100 + "f"  # a path over PATH_MAX (4096)


def one_document(cwd: Path, *args: str) -> Tuple[int, dict, str]:
    code, stdout, stderr, _seconds = run(cwd, "--format", "json", *args)
    assert code in (0, 1), (code, stderr)
    return code, json.loads(stdout), stderr


@pytest.mark.parametrize("name", [LONG, DEEP], ids=["long", "deep"])
def test_a_compose_env_file_name_too_long_is_fl000_in_one_document(project, name):
    write_tree(project, {"docker-compose.yml": f'services:\n  web:\n    env_file: ["{name}"]\n'})
    code, document, _ = one_document(project)
    assert code == 1
    problems = [f for f in document["findings"] if f["code"] == "FL000"]
    assert [(f["path"], f["line"]) for f in problems] == [(name, 1)]
    assert "File name too long" in problems[0]["message"]
    assert [triple for triple in triples(document) if triple[0] != "FL000"] == GOOD


@pytest.mark.parametrize("name", [LONG, DEEP], ids=["long", "deep"])
def test_a_kustomize_env_name_too_long_is_no_crash(project, name):
    write_tree(project, {"kustomization.yaml": f'configMapGenerator:\n- name: x\n  envs: ["{name}"]\n'})
    code, document, _ = one_document(project)
    assert (code, triples(document)) == (1, GOOD)


@pytest.mark.parametrize("narrowed", [False, True], ids=["whole", "narrowed"])
def test_a_flag_source_name_too_long_is_fl000(project, narrowed):
    write_tree(project, {"flaglint.toml": f'flag-sources = ["{LONG}"]\n'})
    code, document, _ = one_document(project, *(["app.py"] if narrowed else []))
    problems = [(f["code"], f["path"], f["line"]) for f in document["findings"] if f["code"] == "FL000"]
    assert (code, problems) == (1, [("FL000", LONG, 1)])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--config", LONG], f"flaglint: error: config file not found: {LONG}"),
        ([LONG], f"flaglint: error: path does not exist: {LONG}"),
        ([DEEP], f"flaglint: error: path does not exist: {DEEP}"),
    ],
    ids=["config", "path", "deep-path"],
)
def test_a_cli_name_too_long_exits_2_naming_it(project, args, message):
    code, stdout, stderr, _seconds = run(project, "--format", "json", *args)
    assert (code, stdout) == (2, "")
    assert stderr.strip() == message


def test_a_src_name_too_long_exits_2_naming_it(project):
    write_tree(project, {"flaglint.toml": f'src = ["{LONG}"]\n'})
    code, stdout, stderr, _seconds = run(project, "--format", "json")
    assert (code, stdout) == (2, "")
    assert f"flaglint.toml: src: '{LONG}' is not a directory" in stderr


def test_a_cache_dir_name_too_long_runs_uncached(project):
    code, document, _ = one_document(project, "--cache-dir", LONG)
    assert (code, triples(document)) == (1, GOOD)


def test_a_drift_build_name_too_long_exits_2_naming_it(project):
    code, stdout, stderr, _seconds = run(project, "--format", "json", LONG, LONG, command="drift")
    assert (code, stdout) == (2, "")
    assert stderr.startswith(f"flaglint: error: {LONG}: neither a flaglint.lock file nor a readable git revision")


def test_a_nul_in_a_flag_source_path_is_a_configuration_error(project):
    write_tree(project, {"pyproject.toml": '[tool.flaglint]\nflag-sources = ["a\\u0000b.json"]\n'})
    code, stdout, stderr = _raw(project, "check")
    assert code == 2
    assert stdout == b""
    assert stderr == (
        # the message's repr, escaped once more on its way to stderr (flaglint/printable.py)
        f"flaglint: error: {project / 'pyproject.toml'}: flag-sources: 'a\\\\x00b.json' holds a NUL character,"
        " which no file name can\n"
    )


def _tamper_cache(cache: Path, monkeypatch, **changes) -> int:
    """Rewrite every entry of the index with ``changes`` to its facts, sealed
    as a repository could: with a secret of its own."""
    import dataclasses
    import io
    import pickle

    from flaglint import seal
    from flaglint.cache import INDEX_NAME, MAGIC, _RestrictedUnpickler

    index = cache / INDEX_NAME
    schema, entries, stats = pickle.loads(seal.unseal(index.read_bytes()[len(MAGIC) :]))
    for key, (used, blob) in entries.items():
        facts = _RestrictedUnpickler(io.BytesIO(blob)).load()
        entries[key] = (used, pickle.dumps(dataclasses.replace(facts, **changes)))
    monkeypatch.setenv("FLAGLINT_CACHE_SECRET", "not the user's secret")
    index.write_bytes(MAGIC + seal.seal(pickle.dumps((schema, entries, stats))))
    monkeypatch.setenv("FLAGLINT_CACHE_SECRET", "flaglint tests")
    return len(entries)


@pytest.mark.parametrize(
    "changes",
    [{"definitions": 5}, {"reads": ("not a read",)}, {"path": None}, {"is_package": 1}],
    ids=["int-for-tuple", "str-for-read", "none-for-path", "int-for-bool"],
)
def test_a_planted_cache_entry_with_wrong_types_is_rebuilt(project, monkeypatch, changes):
    """No type walk any more: an index sealed under another secret fails its MAC."""
    assert check_json(project)[0] == 1
    assert _tamper_cache(project / ".flaglint_cache", monkeypatch, **changes) == 1
    code, document, _ = check_json(project)
    assert code == 1
    assert triples(document) == GOOD
    from flaglint.cache import FactsCache

    # and the index rebuilt is sound again
    cache = FactsCache(project / ".flaglint_cache")
    (key,) = cache.keys()
    assert cache.load(key).reads != ("not a read",)


@needs_fifo
def test_a_cache_index_that_is_a_fifo_is_not_read(project):
    from flaglint.cache import INDEX_NAME, FactsCache

    cache = FactsCache(project / "cache")
    (project / "cache").mkdir(parents=True)
    os.mkfifo(project / "cache" / INDEX_NAME)
    _runs_fast(
        f"from flaglint.cache import FactsCache\nassert FactsCache({str(project / 'cache')!r}).load('abcd') is None\n"
    )
    assert cache.load("abcd") is None
    assert cache.problem == f"holding {INDEX_NAME} that is not a regular file"


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_an_internal_error_exits_3_with_one_line_in_every_format(project, monkeypatch, output_format):
    from click.testing import CliRunner

    from flaglint import api
    from flaglint.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("a bug\nsecond line")

    monkeypatch.setattr(api, "check", broken)
    result = CliRunner().invoke(main, ["check", "--format", output_format], prog_name="flaglint")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "flaglint: internal error: RuntimeError: a bug (a bug in flaglint: please report it with the command that"
        " caused it; FLAGLINT_TRACEBACK=1 shows where it happened)\n"
    )


@pytest.mark.parametrize("output_format", ["text", "json", "markdown", "html"])
def test_an_internal_error_in_audit_exits_3(project, monkeypatch, output_format):
    from click.testing import CliRunner

    import flaglint.audit
    from flaglint.cli import main

    def broken(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(flaglint.audit, "audit", broken)
    result = CliRunner().invoke(main, ["audit", "--format", output_format], prog_name="flaglint")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("flaglint: internal error: MemoryError (a bug in flaglint: please report it")


def test_flaglint_traceback_lets_the_error_through(project, monkeypatch):
    from click.testing import CliRunner

    from flaglint import api
    from flaglint.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "check", broken)
    monkeypatch.setenv("FLAGLINT_TRACEBACK", "1")
    result = CliRunner().invoke(main, ["check"], prog_name="flaglint")
    assert isinstance(result.exception, RuntimeError) and str(result.exception) == "a bug"
    assert result.exit_code == 1  # click's runner: an exception that escaped


def test_usage_errors_still_exit_2(project):
    from click.testing import CliRunner

    from flaglint.cli import main

    result = CliRunner().invoke(main, ["check", "--bogus"], prog_name="flaglint")
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.stderr or "No such option '--bogus'" in result.stderr


def test_the_exit_codes_are_distinct():
    from flaglint.exit_codes import ExitCode

    assert [int(code) for code in ExitCode] == [0, 1, 2, 3]
    assert ExitCode.INTERNAL_ERROR == 3


# ---------------------------------------------------------------------------
# item 12: a stray file named .flaglint_cache
# ---------------------------------------------------------------------------

WARNING = "flaglint: warning: cache directory .flaglint_cache is not a directory: running without the cache\n"


def test_no_cache_ignores_a_stray_cache_file(project):
    (project / ".flaglint_cache").write_text("not a directory\n")
    code, stdout, stderr = _raw(project, "check", "--no-cache", "--format", "json")
    assert code == 1 and stderr == ""
    assert triples(json.loads(stdout)) == GOOD
    code, _, stderr = _raw(project, "extract", "--no-cache", "-o", "shard.json")
    assert code == 0 and stderr == "flaglint: wrote the facts of 1 file to shard.json\n"


def test_a_stray_cache_file_is_warned_about_and_the_run_goes_on_uncached(project):
    (project / ".flaglint_cache").write_text("not a directory\n")
    code, stdout, stderr = _raw(project, "check")
    assert code == 1 and stderr.startswith(WARNING)
    code, stdout, stderr = _raw(project, "check", "--format", "json")
    # a document format says it inside the document: stdout and stderr
    # together (2>&1) still parse as one JSON document
    assert code == 1 and stderr == ""
    document = json.loads(stdout)
    assert triples(document) == GOOD
    assert {"path": ".flaglint_cache", "reason": "cache directory is not a directory: running without the cache"} in (
        document["summary"]["skipped"]
    )
    code, _, stderr = _raw(project, "extract", "-o", "shard.json")
    assert code == 0 and stderr == WARNING + "flaglint: wrote the facts of 1 file to shard.json\n"
    assert (project / ".flaglint_cache").read_text() == "not a directory\n"  # left as it was


def test_a_huge_gitignore_is_skipped_not_read(project):
    with open(project / ".gitignore", "wb") as handle:  # sparse: costs no disk
        handle.truncate(3_000_000_000)
    code, document, seconds = check_json(project)
    assert seconds < FAST
    assert triples(document) == GOOD
    assert document["summary"]["skipped"] == [
        {"path": ".gitignore", "reason": "unreadable .gitignore: larger than 10 MB"}
    ]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_python_file_over_10_mb_is_fl000_unread(project, cache):
    with open(project / "huge.py", "wb") as handle:  # sparse: costs no disk
        handle.truncate(10_000_001)
    write_tree(project, {"small.py": "X = 1\n" * 10})
    code, document, seconds = check_json(project, *cache)
    assert seconds < FAST
    assert triples(document) == GOOD + [("FL000", "huge.py", 1)]
    message = [item["message"] for item in fl000(document)]
    assert message == ["cannot read file: larger than 10 MB, the limit for this kind of file"]


def test_a_python_file_at_the_cap_is_read(tmp_path):
    from flaglint.extract.source import decode_source, read_source

    path = tmp_path / "big.py"
    path.write_bytes(b"X = 1\n" + b"#" * (10_000_000 - 7) + b"\n")
    assert isinstance(read_source(path), str)
    assert (
        decode_source(path.read_bytes() + b"\n").message
        == "cannot read file: larger than 10 MB, the limit for this kind of file"
    )


def test_a_blob_over_the_cap_is_not_read_from_history(project):
    """``--against``/drift read files at a revision through ``cat-file``:
    a blob over the cap is left out (as if absent at that revision), never
    held in memory."""
    from flaglint.history import git as history_git

    write_tree(project, {"huge.py": "X = 1\n" + "#" * 10_000_001 + "\n"})
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "one")
    blobs = history_git.read_blobs("HEAD", ["app.py", "huge.py"], project, 10_000_000)
    assert blobs == {"app.py": APP.encode()}
    commit, files = history_git.files_at("HEAD", ["."], project)
    assert [source.display for source, _ in files] == ["app.py"]
    code, document, seconds = check_json(project, "--against", "HEAD")
    assert seconds < FAST
    assert triples(document) == GOOD + [("FL000", "huge.py", 1)]  # today's file, read through its own cap

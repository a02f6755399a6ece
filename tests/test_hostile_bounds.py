"""Issue 21, points 3, 4, 6, 7 and 8: bounds on what an untrusted repository
can make flaglint read, allocate, import or spend.

Each test is the reproduction from the issue, run where it can hang or
exhaust memory in a subprocess with a timeout and a 1 GiB address-space cap
(``run`` from test_hostile_repository), asserting the exact outcome: the exit
code, the message naming the file, the finding. The cache's promises (same
issue) are tested in test_hostile_repository.py.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import List

import pathspec
import pytest
from conftest import count_extractions, git, run_cli, write_tree
from test_hostile_repository import FAST, run

from flaglint.printable import safe_line

needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")

APP = "import corp\n\n\ndef f():\n    if corp.is_enabled('a'):\n        return 1\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"app.py": APP})
    return tmp_path


def registry(project: Path, source: str) -> None:
    write_tree(
        project,
        {"flaglint.toml": f'flag-apis = [{{ name = "corp.is_enabled", key = 0, source = "{source}" }}]\n'},
    )


def config_error(project: Path, *args: str) -> str:
    """``flaglint check`` must exit 2, quickly; its stderr."""
    code, stdout, stderr, seconds = run(project, *args)
    assert seconds < FAST
    assert code == 2, (code, stdout, stderr)
    return stderr.strip()


# ---------------------------------------------------------------------------
# point 3: a configured path is read bounded, regular files only, in the tree
# ---------------------------------------------------------------------------


@needs_fifo
def test_a_registry_source_that_is_a_fifo_exits_2_without_hanging(project):
    os.mkfifo(project / "fifo.py")
    registry(project, "fifo.py:X")
    assert config_error(project).endswith(
        "flaglint.toml: flag-apis entry 1: source 'fifo.py' cannot be read: not a regular file"
    )


@needs_dev_zero
@pytest.mark.parametrize("source", ["/dev/zero", "zero.py"])
def test_a_registry_source_reading_dev_zero_exits_2_not_memory_error(project, source):
    os.symlink("/dev/zero", project / "zero.py")
    registry(project, f"{source}:X")
    # resolved, both name /dev/zero: outside the tree, never opened
    assert config_error(project).endswith(
        f"flag-apis entry 1: source {source!r} is outside the project ({project.resolve()})"
    )


def test_a_registry_source_outside_the_tree_is_refused(project):
    outside = project.parent / "secret.py"
    outside.write_text("X = {'leaked': True}\n", encoding="utf-8")
    (project / "sub").mkdir()
    registry(project, "../secret.py:X")
    assert config_error(project).endswith(
        f"flag-apis entry 1: source '../secret.py' is outside the project ({project.resolve()})"
    )


def test_a_registry_source_symlinked_out_of_the_tree_is_refused(project):
    outside = project.parent / "secret2.py"
    outside.write_text("X = {'leaked': True}\n", encoding="utf-8")
    os.symlink(outside, project / "inside.py")
    registry(project, "inside.py:X")
    assert config_error(project).endswith(
        f"flag-apis entry 1: source 'inside.py' is outside the project ({project.resolve()})"
    )


def test_a_registry_source_over_the_size_cap_exits_2(project):
    with open(project / "big.py", "wb") as handle:  # sparse: costs no disk
        handle.truncate(11_000_000)
    registry(project, "big.py:X")
    assert config_error(project).endswith(
        "flag-apis entry 1: source 'big.py' cannot be read: larger than 10 MB, the limit for this kind of file"
    )


def test_a_registry_source_in_the_tree_is_still_read(project):
    """Must not: a plain in-tree registry (also one in a subdirectory) keeps working."""
    write_tree(project, {"pkg/config.py": "X = {'a': True}\n"})
    registry(project, "pkg/config.py:X")
    code, stdout, stderr, _ = run(project, "--format", "json")
    assert code == 0, (stdout, stderr)


def test_a_src_directory_outside_the_tree_is_refused(project):
    (project.parent / "elsewhere").mkdir(exist_ok=True)
    write_tree(project, {"flaglint.toml": 'src = ["../elsewhere"]\n'})
    result = run_cli("check", cwd=project)
    assert result.exit_code == 2
    assert f"flaglint.toml: src: '../elsewhere' is outside the project ({project.resolve()})" in result.output


# ---------------------------------------------------------------------------
# point 8: exclude patterns are compiled once
# ---------------------------------------------------------------------------


def test_20000_exclude_patterns_are_compiled_once(project, monkeypatch):
    """Indexed, and compiled only where a path could match: the 3-file tree
    compiles 2 of the 20,001 patterns (a count, not a time: bench/hostile.py
    times it)."""
    from flaglint import patterns as patterns_module

    patterns = [f"gen{i}/*.py" for i in range(20_000)] + ["legacy/"]
    write_tree(
        project,
        {
            "flaglint.toml": "exclude = [%s]\n" % ", ".join(f'"{pattern}"' for pattern in patterns),
            "gen7/excluded.py": "import corp\nif corp.is_enabled('b'):\n    pass\n",
            "legacy/old.py": "import corp\nif corp.is_enabled('c'):\n    pass\n",
        },
    )
    compiled = []
    real = patterns_module.compile_one

    def counting(line):
        compiled.append(line)
        return real(line)

    monkeypatch.setattr(patterns_module, "compile_one", counting)
    wholes = [0]
    real_from_lines = pathspec.GitIgnoreSpec.from_lines.__func__

    def whole(cls, lines, *args, **kwargs):
        lines = list(lines)
        wholes.append(len(lines))
        return real_from_lines(cls, lines, *args, **kwargs)

    monkeypatch.setattr(pathspec.GitIgnoreSpec, "from_lines", classmethod(whole))
    patterns_module._compiled.cache_clear()
    result = run_cli("check", "--no-cache", "--format", "json", cwd=project)
    assert result.exit_code == 0, result.output  # the excluded files' flags are not seen
    document = json.loads(result.stdout)
    assert (document["findings"], document["summary"]["files"]) == ([], 1)
    assert sorted(compiled) == ["gen7/*.py", "legacy/"]
    assert max(wholes) == 1  # never the whole list at once


def test_an_invalid_exclude_pattern_among_many_is_still_named(project):
    """Must not: compiling the list at once still names the bad pattern."""
    write_tree(project, {"flaglint.toml": 'exclude = ["a/*.py", "\\\\", "b/"]\n'})
    result = run_cli("check", cwd=project)
    assert result.exit_code == 2
    # stderr is escaped (flaglint/printable.py): the repr's backslash is doubled again
    assert safe_line("flaglint.toml: exclude: invalid pattern '\\\\'") in result.output


# ---------------------------------------------------------------------------
# point 6: bad input exits 2 naming the file (deep nesting, wrong types)
# ---------------------------------------------------------------------------

DEEP = 100_000


def test_a_deeply_nested_ledger_read_by_check_exits_2(project):
    (project / ".git").mkdir()  # the ledger is looked for up to the git root
    nested = "[" * DEEP + "]" * DEEP
    (project / "flaglint.lock").write_text(
        '{"version": 2, "tool": "flaglint", "families": %s}' % nested, encoding="utf-8"
    )
    assert config_error(project).endswith("flaglint.lock: cannot read ledger: nested too deeply")


def test_a_deeply_nested_ledger_given_to_drift_exits_2(project):
    (project / "deep.lock").write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    code, stdout, stderr, seconds = run(project, "deep.lock", "deep.lock", command="drift")
    assert (code, stdout) == (2, "")
    assert stderr == "flaglint: error: deep.lock: cannot read ledger: nested too deeply\n"


@pytest.mark.parametrize(
    "name, text",
    [
        ("pyproject.toml", "[tool.flaglint]\nexclude = []\n[other]\nx = %s1%s\n" % ("{a = " * DEEP, "}" * DEEP)),
        ("flaglint.toml", "exclude = %s\n" % ("[" * DEEP + "]" * DEEP)),
    ],
    # short ids: pytest puts the test id in PYTEST_CURRENT_TEST, and a 600 KB
    # one makes every subprocess fail with "Argument list too long"
    ids=["pyproject.toml", "flaglint.toml"],
)
def test_a_deeply_nested_configuration_exits_2(project, name, text):
    (project / name).write_text(text, encoding="utf-8")
    assert config_error(project).endswith(f"{name}: invalid TOML: nested too deeply")


def test_a_registry_source_nested_a_million_deep_exits_2(project):
    write_tree(project, {"reg.py": "X = " + "-" * 1_000_000 + "1\n"})
    registry(project, "reg.py:X")
    assert config_error(project).endswith("flag-apis entry 1: source 'reg.py' is too deeply nested to read")


def test_a_deeply_nested_json_flag_file_is_fl000(project):
    write_tree(project, {"flaglint.toml": 'flag-sources = ["flags.json"]\n', "flags.json": "[" * DEEP + "]" * DEEP})
    code, stdout, stderr, _ = run(project, "--format", "json")
    assert code == 1, stderr
    problems = [(f["code"], f["path"], f["message"]) for f in json.loads(stdout)["findings"]]
    assert ("FL000", "flags.json", "invalid JSON: nested too deeply") in problems


LEDGER = {
    "version": 2,
    "tool": "flaglint",
    "families": {"field .flags": {"0x20": [{"name": "RLP", "first_seen": "abc", "retired": False}]}},
    "renames": [{"family": "field .flags", "bit": "0x20", "from": "OLD", "to": "RLP"}],
    "build": {
        "bits": [{"family": "field .flags", "bit": "0x20", "name": "RLP", "read": ["a.py:3-4"], "set": []}],
        "keys": [{"key": "env:X", "read": [{"at": "a.py:2", "default": False}], "defined": []}],
        "sources": ["flags.json"],
    },
}


def _ledger(**changes) -> dict:
    document = copy.deepcopy(LEDGER)
    for path, value in changes.items():
        target = document
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return document


def test_a_well_formed_ledger_is_read(project):
    """Must not: the ledger as ``flaglint lock`` writes it is accepted."""
    (project / "a.lock").write_text(json.dumps(LEDGER), encoding="utf-8")
    result = run_cli("drift", "a.lock", "a.lock", cwd=project)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"build__bits__0__name": ["a"]}, "build.bits[].name must be a string, not an array"),
        ({"version": True}, "ledger version True is not one this flaglint reads"),
        ({"build__bits__0__bit": "-0x1"}, "build.bits[].bit must be a hexadecimal string like \"0x20\", not '-0x1'"),
        ({"renames__0__bit": "-0x1"}, "renames[].bit must be a hexadecimal string like \"0x20\", not '-0x1'"),
        ({"renames__0__to": 3}, "renames[].to must be a string, not a number"),
        ({"families__field .flags__0x20__0__retired": "no"}, "retired must be true or false, not a string"),
        (
            {"families__field .flags__0x20__0__name": None},
            "families.field .flags.0x20[].name must be a string, not null",
        ),
        ({"families__field .flags": [1]}, "families.field .flags must be an object, not an array"),
        ({"build__keys__0__read__0__default": 0}, "build.keys[].read[].default must be true or false, not a number"),
        ({"build__bits__0__read": ["a.py:+3"]}, "not a place: 'a.py:+3'"),
        ({"build__sources": [1]}, "build.sources[] must be a string, not a number"),
    ],
)
def test_a_ledger_with_a_wrong_type_exits_2_naming_the_file_and_field(project, changes, message):
    (project / "a.lock").write_text(json.dumps(LEDGER), encoding="utf-8")
    (project / "bad.lock").write_text(json.dumps(_ledger(**changes)), encoding="utf-8")
    result = run_cli("drift", "a.lock", "bad.lock", cwd=project)
    assert result.exit_code == 2
    assert result.stderr.startswith("flaglint: error: bad.lock: ")
    assert message in result.stderr


# ---------------------------------------------------------------------------
# point 7: no run imports the analysed tree
# ---------------------------------------------------------------------------

#: standard-library and dependency names flaglint imports after start-up
SHADOWED = ("random", "json", "tempfile", "re", "typing", "dataclasses", "ast", "libcst", "networkx", "click", "yaml")
MARKER = "import os\nos.close(os.open(os.path.join({root!r}, 'MARKER_' + __name__), os.O_CREAT | os.O_WRONLY))\n"
BIN = Path(sys.executable).parent


def _documented_commands() -> List[str]:
    """Every ``flaglint check`` command line docs/ci.md and the pre-commit
    hook tell users to run (``run:`` steps, GitLab ``script:`` items)."""
    docs = (Path(__file__).parent.parent / "docs" / "ci.md").read_text(encoding="utf-8")
    commands = [
        match.group(1).strip()
        for match in re.finditer(r"^\s*-\s+(?:run:\s+)?((?:python -P -m )?flaglint check[^\n#]*)", docs, re.MULTILINE)
    ]
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    commands += re.findall(r"^\s*entry:\s*(.+?)\s*$", hooks, re.MULTILINE)
    return commands


def test_the_documented_commands_are_found():
    commands = _documented_commands()
    assert "flaglint check --format sarif . > flaglint.sarif || true" in commands
    assert "flaglint check --format github" in commands
    assert "flaglint check" in commands  # GitLab, and the pre-commit hook's entry


def _shadowing_tree(root: Path) -> None:
    write_tree(root, {f"{name}.py": MARKER.format(root=str(root)) for name in SHADOWED})
    write_tree(root, {"app.py": "X = 1\n"})


@pytest.mark.parametrize("command", _documented_commands())
def test_the_documented_ci_commands_import_nothing_from_the_tree(tmp_path, command):
    _shadowing_tree(tmp_path)
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    environment.pop("PYTHONPATH", None)
    process = subprocess.run(command, shell=True, cwd=tmp_path, env=environment, capture_output=True, timeout=120)
    assert process.returncode == 0, process.stderr
    assert sorted(path.name for path in tmp_path.glob("MARKER_*")) == []


@pytest.mark.parametrize(
    "prefix",
    [
        [sys.executable, "-m", "flaglint"],  # on every Python: __main__ drops the current directory
        [str(BIN / "flaglint")],
        pytest.param(
            [sys.executable, "-P", "-m", "flaglint"],
            marks=pytest.mark.skipif(sys.version_info < (3, 11), reason="-P is new in Python 3.11"),
        ),
    ],
)
def test_no_way_of_running_flaglint_imports_the_tree(tmp_path, prefix):
    _shadowing_tree(tmp_path)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    process = subprocess.run(
        [*prefix, "check", "--format", "json"], cwd=tmp_path, env=environment, capture_output=True, timeout=120
    )
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout)["findings"] == []
    assert sorted(path.name for path in tmp_path.glob("MARKER_*")) == []


def test_python_m_flaglint_still_finds_flaglint_run_from_its_own_checkout(tmp_path):
    """Must not: dropping the current directory happens after the package is
    found, so ``python -m flaglint`` from a checkout on PYTHONPATH still works."""
    _shadowing_tree(tmp_path)
    package = Path(__file__).parent.parent
    environment = {**os.environ, "PYTHONPATH": str(package)}
    process = subprocess.run(
        [sys.executable, "-m", "flaglint", "--version"], cwd=tmp_path, env=environment, capture_output=True, timeout=120
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.decode().startswith("flaglint")
    assert sorted(path.name for path in tmp_path.glob("MARKER_*")) == []


# ---------------------------------------------------------------------------
# point 4: memory per file is bounded (token budget, generated files)
# ---------------------------------------------------------------------------

GATED = "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n"
GATED_FINDINGS = [("FL001", "app.py", 1), ("FL002", "app.py", 5)]


def dict_module(entries: int) -> str:
    """A generated-looking table: 5 tokens an entry, 6 more (5n + 6 in all)."""
    return "FLAGS = {\n" + "".join(f'    "f{i}": True,\n' for i in range(entries)) + "}\n"


def findings_of(stdout: str) -> list:
    return [(f["code"], f["path"], f["line"], f["message"]) for f in json.loads(stdout)["findings"]]


def test_a_9_mb_single_line_module_is_fl000_in_bounded_memory(project):
    write_tree(project, {"app.py": GATED, "big.py": "X = [" + ", ".join("7" for _ in range(3_000_000)) + "]\n"})
    assert (project / "big.py").stat().st_size == 9_000_005  # under the 10 MB read cap
    # bounded by the 1 GiB address space and an exact token count (the file
    # is counted, never parsed), not by a time: a busy machine is no failure;
    # bench/hostile.py times it (about 5 s)
    code, stdout, stderr, _seconds = run(project, "--format", "json", "--no-cache", timeout=300)
    assert code == 1, stderr
    assert findings_of(stdout) == [
        ("FL001", "app.py", 1, "flag ENABLE_X is read in 1 place but never set: every binding is false"),
        ("FL002", "app.py", 5, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),
        ("FL000", "big.py", 1, "too large to analyse: 6000004 tokens (limit 400000)"),
    ]


def test_a_300000_entry_dict_is_fl000_in_bounded_memory(project):
    write_tree(project, {"table.py": dict_module(300_000)})
    code, stdout, stderr, _seconds = run(project, "--format", "json", "--no-cache", timeout=300)
    assert code == 1, stderr
    assert findings_of(stdout) == [("FL000", "table.py", 1, "too large to analyse: 1500006 tokens (limit 400000)")]


def test_a_file_over_the_budget_never_reaches_the_parser(project, monkeypatch):
    """The deterministic half of the two tests above: the budget is checked
    before extraction, so a file over it costs a token count and nothing
    else (no libcst parse, no facts), whatever the machine's load."""
    import libcst

    parsed = []
    real_parse = libcst.parse_module

    def counting(source, *args, **kwargs):
        parsed.append(len(source))
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(libcst, "parse_module", counting)
    extracted = count_extractions(monkeypatch)
    write_tree(project, {"app.py": GATED, "table.py": dict_module(2_000), "flaglint.toml": "max-file-tokens = 1000\n"})
    result = run_cli("check", "--no-cache", "--jobs", "1", "--format", "json", cwd=project)
    assert result.exit_code == 1, result.output
    assert [f for f in findings_of(result.stdout) if f[1] == "table.py"] == [
        ("FL000", "table.py", 1, "too large to analyse: 10006 tokens (limit 1000)")
    ]
    assert extracted == ["app.py"]
    assert len(parsed) <= 1 and all(size < 1000 for size in parsed)


def _history_project(project: Path) -> None:
    """A committed tree with a generated module, a marked one and one over a
    50-token budget: what a revision holds is bounded like the work tree."""
    write_tree(
        project,
        {
            "app.py": GATED,
            "api_pb2.py": GATED,
            "marked.py": "# Code generated by a tool. DO NOT EDIT.\n" + GATED,
            "table.py": dict_module(20),  # 106 tokens
            "flaglint.toml": "max-file-tokens = 50\n",
        },
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one")


@pytest.mark.parametrize("command", ["against", "drift"])
def test_a_revision_is_read_with_the_budget_and_without_generated_files(project, monkeypatch, command):
    """``--against`` and ``drift`` read a revision's files as the work tree's:
    generated ones are skipped, and one over ``max-file-tokens`` is never
    extracted (it was parsed whatever its size)."""
    _history_project(project)
    extracted = count_extractions(monkeypatch)
    if command == "against":
        result = run_cli("check", "--no-cache", "--jobs", "1", "--format", "json", "--against", "HEAD", cwd=project)
        assert result.exit_code == 1, result.output
        assert [(f[0], f[1]) for f in findings_of(result.stdout)] == [
            ("FL001", "app.py"),
            ("FL002", "app.py"),
            ("FL000", "table.py"),
        ]
        assert extracted == ["app.py", "app.py"]  # today's, then the revision's
    else:
        result = run_cli("drift", "--no-cache", "--jobs", "1", "--format", "json", "HEAD", "HEAD", cwd=project)
        assert result.exit_code == 0, result.output
        assert extracted == ["app.py", "app.py"]  # once per build


def test_a_revision_analyses_generated_files_when_asked(project, monkeypatch):
    """Must not: with ``analyse-generated = true`` the revision's generated
    files are read, as the work tree's are."""
    _history_project(project)
    (project / "flaglint.toml").write_text("max-file-tokens = 50\nanalyse-generated = true\n", encoding="utf-8")
    extracted = count_extractions(monkeypatch)
    result = run_cli("check", "--no-cache", "--jobs", "1", "--format", "json", "--against", "HEAD", cwd=project)
    assert result.exit_code == 1, result.output
    assert sorted(extracted) == ["api_pb2.py", "api_pb2.py", "app.py", "app.py", "marked.py", "marked.py"]


def test_the_budget_is_configurable_and_a_file_at_it_is_analysed(lint):
    files = {"app.py": GATED, "table.py": dict_module(20)}  # 106 tokens
    found = lint({**files, "flaglint.toml": "max-file-tokens = 105\n"})
    assert [(f.code, f.path, f.span.line, f.message) for f in found if f.path == "table.py"] == [
        ("FL000", "table.py", 1, "too large to analyse: 106 tokens (limit 105)")
    ]
    # must not: at the budget exactly, the file is analysed
    assert [f.code for f in lint({**files, "flaglint.toml": "max-file-tokens = 106\n"})] == ["FL001", "FL002"]


def test_a_warm_run_honours_a_changed_budget(project):
    """The budget is applied before the facts cache: a file cached while
    analysed is FL000 once the budget drops below it, and a file that was
    over the budget is analysed once it is raised (its FL000 is never cached)."""
    write_tree(project, {"app.py": GATED, "table.py": dict_module(20)})
    codes = []
    for budget in (1000, 50, 1000):
        (project / "flaglint.toml").write_text(f"max-file-tokens = {budget}\n", encoding="utf-8")
        result = run_cli("check", "--format", "json", cwd=project)  # cached in .flaglint_cache
        codes.append([(f[0], f[1]) for f in findings_of(result.output)])
    analysed = [("FL001", "app.py"), ("FL002", "app.py")]
    assert codes == [analysed, [*analysed, ("FL000", "table.py")], analysed]


@pytest.mark.parametrize("value", ["0", "-5", '"400000"', "true", "1.5"])
def test_a_bad_budget_exits_2_naming_the_key(project, value):
    write_tree(project, {"flaglint.toml": f"max-file-tokens = {value}\n"})
    result = run_cli("check", cwd=project)
    assert result.exit_code == 2
    assert "flaglint.toml: max-file-tokens must be a positive integer" in result.output


GENERATED = {
    "api_pb2.py": "ENABLE_Y = False\nif ENABLE_Y:\n    pass\n",
    "api_pb2_grpc.py": "ENABLE_Z = False\nif ENABLE_Z:\n    pass\n",
    "tables.py": "# @generated by tools/make_tables.py\nENABLE_W = False\nif ENABLE_W:\n    pass\n",
    "proto/gen.py": "# -*- coding: utf-8 -*-\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n"
    "ENABLE_V = False\nif ENABLE_V:\n    pass\n",
}


def test_generated_files_are_skipped_and_listed(project):
    write_tree(project, {"app.py": GATED, **GENERATED})
    result = run_cli("check", "--format", "json", "--no-cache", cwd=project)
    document = json.loads(result.output)
    assert [(f[0], f[1]) for f in findings_of(result.output)] == [("FL001", "app.py"), ("FL002", "app.py")]
    assert document["summary"]["skipped"] == [
        {"path": "api_pb2.py", "reason": "generated (a *_pb2.py module): set analyse-generated = true to analyse it"},
        {
            "path": "api_pb2_grpc.py",
            "reason": "generated (a *_pb2_grpc.py module): set analyse-generated = true to analyse it",
        },
        {
            "path": "proto/gen.py",
            "reason": "generated (marked DO NOT EDIT): set analyse-generated = true to analyse it",
        },
        {"path": "tables.py", "reason": "generated (marked @generated): set analyse-generated = true to analyse it"},
    ]
    assert document["summary"]["files"] == 1


def test_analyse_generated_analyses_them(project):
    write_tree(project, {"app.py": GATED, **GENERATED, "flaglint.toml": "analyse-generated = true\n"})
    result = run_cli("check", "--format", "json", "--no-cache", cwd=project)
    document = json.loads(result.output)
    assert sorted({(f[0], f[1]) for f in findings_of(result.output)}) == [
        ("FL001", "api_pb2.py"),
        ("FL001", "api_pb2_grpc.py"),
        ("FL001", "app.py"),
        ("FL001", "proto/gen.py"),
        ("FL001", "tables.py"),
        ("FL002", "api_pb2.py"),
        ("FL002", "api_pb2_grpc.py"),
        ("FL002", "app.py"),
        ("FL002", "proto/gen.py"),
        ("FL002", "tables.py"),
    ]
    assert document["summary"]["skipped"] == []


@pytest.mark.parametrize(
    "text",
    [
        '"""Tools that write @generated files, and files you must NOT edit."""\nENABLE_X = False\n',
        "x = 'DO NOT EDIT'\n# @generated, but on line 12\n".replace("x = ", "\n" * 10 + "x = "),
        "# do not edit (lower case is prose)\n",
    ],
)
def test_a_file_that_only_mentions_a_marker_is_not_generated(project, text):
    """Must not: only a marker in a comment of the first 10 lines counts."""
    write_tree(project, {"app.py": GATED, "tool.py": text})
    result = run_cli("check", "--format", "json", "--no-cache", cwd=project)
    assert json.loads(result.output)["summary"]["skipped"] == []
    assert json.loads(result.output)["summary"]["files"] == 2


def test_analyse_generated_must_be_a_boolean(project):
    write_tree(project, {"flaglint.toml": 'analyse-generated = "yes"\n'})
    result = run_cli("check", cwd=project)
    assert result.exit_code == 2
    assert "flaglint.toml: analyse-generated must be true or false" in result.output

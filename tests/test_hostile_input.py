"""Hostile input: every bad file is one FL000 (or nothing), never a crash,
a hang or a traceback, and the rest of the project is still analysed.

Each project holds ``app.py``, a good file with two known findings, next to
the hostile one; every test asserts those two findings are still reported.
Inputs that could hang or kill the process run in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest
from click.testing import CliRunner

from flaglint.cli import main
from conftest import memory_limit, triples, write_tree

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None

APP = "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n"
GOOD = [("FL001", "app.py", 1), ("FL002", "app.py", 5)]
TIMEOUT = 120


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"app.py": APP})
    return tmp_path


def check(*args: str) -> Tuple[int, dict, str]:
    """Run ``flaglint check --format json`` in-process: (exit code, JSON, stderr)."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *args], prog_name="flaglint")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"flaglint raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout), result.stderr


def check_subprocess(cwd: Path, *args: str, preexec_fn=None) -> Tuple[int, dict, str]:
    """The same in a real ``python -m flaglint`` process, with a timeout."""
    process = subprocess.run(
        [sys.executable, "-m", "flaglint", "check", "--format", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=preexec_fn,
    )
    assert "Traceback" not in process.stdout + process.stderr, process.stderr
    assert process.returncode in (0, 1), (process.returncode, process.stderr[-2000:])
    return process.returncode, json.loads(process.stdout), process.stderr


def fl000(document: dict) -> List[dict]:
    return [f for f in document["findings"] if f["code"] == "FL000"]


# ---------------------------------------------------------------------------
# bad files: one FL000 each, the good file still analysed
# ---------------------------------------------------------------------------


def test_syntax_error(project):
    write_tree(project, {"bad.py": "x = 1\ndef f(:\n    pass\n"})
    code, document, stderr = check()
    assert code == 1
    assert triples(document) == GOOD + [("FL000", "bad.py", 2)]
    (problem,) = fl000(document)
    assert (problem["column"], problem["message"]) == (7, "syntax error: invalid syntax")
    assert document["summary"]["files"] == 2
    assert stderr == ""  # json is one document: nothing on stderr


def test_unclosed_bracket_names_the_line_it_opens_on(project):
    source = "x = 1\ny = (\n\nz = 2\n"
    write_tree(project, {"bad.py": source})
    code, document, _ = check()
    if sys.version_info >= (3, 10):
        line, message = 2, "syntax error: '(' was never closed"
    else:  # Python 3.9's parser names neither the bracket nor its line
        try:
            compile(source, "bad.py", "exec")
        except SyntaxError as error:
            line, message = error.lineno, f"syntax error: {error.msg}"
        assert (line, message) == (4, "syntax error: invalid syntax")
    assert triples(document) == GOOD + [("FL000", "bad.py", line)]
    assert fl000(document)[0]["message"] == message


def test_latin1_with_coding_cookie_is_decoded_and_analysed(project):
    # the non-UTF-8 byte is in a comment and in a string; the flag in this
    # file must be found, which proves the file was decoded, not skipped
    write_tree(
        project,
        {
            "lat.py": b"# -*- coding: latin-1 -*-\n# caf\xe9\nENABLE_Y = False\nNAME = 'caf\xe9'\nif ENABLE_Y:\n    g()\n"
        },
    )
    code, document, _ = check()
    assert code == 1
    assert triples(document) == GOOD + [("FL001", "lat.py", 3), ("FL002", "lat.py", 6)]
    assert document["summary"]["files"] == 2


def test_latin1_without_cookie(project):
    write_tree(project, {"lat.py": b"x = 1\nNAME = 'caf\xe9'\n"})
    code, document, _ = check()
    assert code == 1
    assert triples(document) == GOOD + [("FL000", "lat.py", 2)]
    (problem,) = fl000(document)
    assert "decode" in problem["message"]
    assert problem["message"] == "cannot decode file as utf-8: invalid byte 0xe9"


def test_unknown_encoding_cookie(project):
    write_tree(project, {"enc.py": b"# -*- coding: klingon -*-\nx = 1\n"})
    code, document, _ = check()
    assert triples(document) == GOOD + [("FL000", "enc.py", 1)]
    assert fl000(document)[0]["message"] == "cannot decode file: unknown encoding: klingon"


def test_utf8_bom_is_accepted(project):
    write_tree(project, {"bom.py": "\ufeffENABLE_Y = False\nif ENABLE_Y:\n    g()\n"})
    code, document, _ = check()
    assert triples(document) == GOOD + [("FL001", "bom.py", 1), ("FL002", "bom.py", 3)]
    assert [f["column"] for f in document["findings"] if f["path"] == "bom.py"] == [1, 5]


def test_random_bytes(project):
    data = random.Random(0).randbytes(2048)
    assert b"\0" in data and data.count(b"\n", 0, data.index(b"\0")) == 2  # the fixture is what we think
    write_tree(project, {"rnd.py": data})
    code, document, _ = check()
    assert code == 1
    assert triples(document) == GOOD + [("FL000", "rnd.py", 3)]


def test_random_bytes_without_nul(project):
    data = random.Random(0).randbytes(2048).replace(b"\0", b"")
    write_tree(project, {"rnd.py": data})
    code, document, _ = check()
    assert code == 1
    assert triples(document)[:2] == GOOD
    assert [(f["code"], f["path"]) for f in document["findings"][2:]] == [("FL000", "rnd.py")]


def test_nul_bytes(project):
    write_tree(project, {"nul.py": b"x = 1\ny = 2\n\0\n", "nul2.py": b"s = 'a\0b'\n"})
    code, document, _ = check()
    assert code == 1
    assert triples(document) == GOOD + [("FL000", "nul.py", 3), ("FL000", "nul2.py", 1)]
    assert {f["message"] for f in fl000(document)} == {"file contains a NUL byte: binary or not Python source"}


def test_empty_file(project):
    write_tree(project, {"empty.py": "", "pkg/__init__.py": ""})
    code, document, stderr = check()
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"]["files"] == 3
    assert stderr == ""  # json is one document: nothing on stderr


def test_deeply_nested_expression(project):
    depth = 2000
    write_tree(project, {"deep.py": "x = " + "(" * depth + "1" + ")" * depth + "\n"})
    code, document, _ = check_subprocess(project)
    # FL000 or nothing for deep.py, never a crash; app.py is still analysed
    assert triples(document)[:2] == GOOD
    assert [(f["code"], f["path"]) for f in document["findings"][2:]] in ([], [("FL000", "deep.py")])
    assert code == 1
    assert document["summary"]["files"] == 2


def test_very_deeply_nested_expression_does_not_kill_the_process(project):
    depth = 100_000
    write_tree(project, {"deep.py": "x = " + "(" * depth + "1" + ")" * depth + "\n"})
    code, document, _ = check_subprocess(project)
    assert code == 1
    assert triples(document)[:2] == GOOD
    # CPython itself rejects this ("too many nested parentheses")
    assert [(f["code"], f["path"]) for f in document["findings"][2:]] == [("FL000", "deep.py")]


needs_rlimit = pytest.mark.skipif(resource is None, reason="needs resource.setrlimit")


@needs_rlimit
def test_deeply_nested_list_stays_within_memory(project):
    depth = 2000
    write_tree(project, {"deep.py": "x = " + "[" * depth + "]" * depth + "\n"})
    code, document, _ = check_subprocess(project, preexec_fn=memory_limit(2))
    assert triples(document)[:2] == GOOD
    assert [(f["code"], f["path"]) for f in document["findings"][2:]] in ([], [("FL000", "deep.py")])


@needs_rlimit
def test_deeply_nested_expression_in_memory_limit_for_parentheses(project):
    # the control for the test above: parentheses of the same depth fit
    depth = 2000
    write_tree(project, {"deep.py": "x = " + "(" * depth + "1" + ")" * depth + "\n"})
    code, document, _ = check_subprocess(project, preexec_fn=memory_limit(2))
    assert triples(document)[:2] == GOOD


# ---------------------------------------------------------------------------
# odd filesystem entries: skipped or analysed, never hanging
# ---------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_terminates(project):
    os.symlink(project, project / "loop")
    os.symlink(project / "sub", project / "sub_link")  # dangling, not .py: ignored
    code, document, stderr = check_subprocess(project)
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"]["files"] == 1
    assert document["summary"]["skipped"] == [{"path": "loop", "reason": "symlink loop"}]
    assert stderr == ""  # reported in summary.skipped instead


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_deeper_down_terminates(project):
    write_tree(project, {"pkg/__init__.py": "", "pkg/mod.py": "x = 1\n"})
    os.symlink(project, project / "pkg" / "up")
    code, document, _ = check_subprocess(project)
    assert triples(document) == GOOD
    assert document["summary"]["files"] == 3
    assert document["summary"]["skipped"] == [{"path": "pkg/up", "reason": "symlink loop"}]


def test_unreadable_file(project):
    target = project / "secret.py"
    target.write_text("ENABLE_S = False\n")
    target.chmod(0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("running with privileges that read a mode-000 file (root)")
        code, document, _ = check()
    finally:
        target.chmod(0o644)
    assert code == 1
    assert triples(document) == GOOD + [("FL000", "secret.py", 1)]
    assert fl000(document)[0]["message"] == "cannot read file: Permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_skipped_without_hanging(project):
    os.mkfifo(project / "pipe.py")
    code, document, stderr = check_subprocess(project)
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"]["files"] == 1
    assert document["summary"]["skipped"] == [{"path": "pipe.py", "reason": "not a regular file"}]
    assert stderr == ""  # reported in summary.skipped instead


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_on_the_command_line_is_skipped_without_hanging(project):
    os.mkfifo(project / "pipe.py")
    code, document, _ = check_subprocess(project, "app.py", "pipe.py")
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"]["skipped"] == [{"path": "pipe.py", "reason": "not a regular file"}]


def test_directory_named_like_a_python_file(project):
    write_tree(project, {"x.py/inner.py": "ENABLE_I = False\nif ENABLE_I:\n    g()\n", "y.py/README": "not python\n"})
    code, document, _ = check()
    assert code == 1
    # x.py is walked as a directory, not read as a file: no FL000 for it
    assert triples(document) == GOOD + [("FL001", "x.py/inner.py", 1), ("FL002", "x.py/inner.py", 3)]
    assert document["summary"]["files"] == 2
    assert document["summary"]["skipped"] == []


def test_directory_named_like_a_python_file_given_explicitly(project):
    (project / "y.py").mkdir()
    code, document, _ = check("app.py", "y.py")
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"] == {
        "files": 1,
        "findings": 2,
        "by_code": {"FL001": 1, "FL002": 1},
        "skipped": [],
    }


# ---------------------------------------------------------------------------
# symlinks out of the tree: to devices and to files elsewhere (issue 7)
# ---------------------------------------------------------------------------

needs_dev_zero = pytest.mark.skipif(
    not (hasattr(os, "symlink") and os.path.exists("/dev/zero")), reason="needs /dev/zero"
)


@needs_dev_zero
def test_symlink_to_a_device_inside_the_tree_is_skipped(project):
    # reading /dev/zero never ends: it must be skipped, not read
    os.symlink("/dev/zero", project / "zero.py")
    os.symlink("/dev/zero", project / "zero")  # not a .py name: not a candidate at all
    code, document, stderr = check_subprocess(project)
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"]["skipped"] == [{"path": "zero.py", "reason": "not a regular file"}]
    assert stderr == ""


@needs_dev_zero
def test_device_named_on_the_command_line_is_skipped(project):
    os.symlink("/dev/zero", project / "zero.py")
    code, document, _ = check_subprocess(project, "app.py", "zero.py", "/dev/null")
    assert code == 1
    assert triples(document) == GOOD
    assert document["summary"]["skipped"] == [
        {"path": "/dev/null", "reason": "not a regular file"},
        {"path": "zero.py", "reason": "not a regular file"},
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_to_a_file_outside_the_tree_is_analysed_under_its_link_name(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    write_tree(elsewhere, {"flags.py": "ENABLE_O = False\nif ENABLE_O:\n    g()\n", "zero.py": ""})
    os.symlink(elsewhere / "flags.py", project / "linked.py")
    os.symlink(elsewhere, project / "outside")
    os.symlink("/dev/zero", elsewhere / "dev.py")  # a device behind a followed directory link
    code, document, _ = check_subprocess(project)
    assert code == 1
    assert triples(document) == GOOD + [("FL001", "linked.py", 1), ("FL002", "linked.py", 3)]
    assert document["summary"]["files"] == 3  # app.py, linked.py, outside/zero.py (flags.py once)
    assert document["summary"]["skipped"] == [{"path": "outside/dev.py", "reason": "not a regular file"}]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize("command", ["check", "audit", "graph"])
def test_symlink_loop_named_on_the_command_line(project, command):
    # regression: Path.resolve() raises RuntimeError on a loop (Python < 3.13)
    os.symlink("loop", project / "loop")
    result = CliRunner().invoke(main, [command, "loop", "app.py"], prog_name="flaglint")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == (1 if command == "check" else 0)
    if command == "graph":  # graph says nothing about skipped paths; its output is the graph
        assert "ENABLE_X" in result.stdout
    else:
        assert "flaglint: skipped loop: symlink loop" in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_env_file_that_is_a_symlink_loop(project):
    os.symlink(".env", project / ".env")
    code, document, _ = check()
    assert code == 1
    assert triples(document) == [("FL000", ".env", 1)] + GOOD
    assert fl000(document)[0]["message"].startswith("environment file not found")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_compose_env_file_names_a_loop_or_a_nul_byte(project):
    os.symlink("loop", project / "loop")
    write_tree(project, {"docker-compose.yml": 'services:\n  web:\n    env_file: loop\n  db:\n    env_file: "a\\0b"\n'})
    code, document, _ = check()
    assert code == 1
    assert sorted(triples(document)) == sorted(GOOD + [("FL000", "a\0b", 1), ("FL000", "loop", 1)])

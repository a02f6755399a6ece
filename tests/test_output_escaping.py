"""No human-readable output can forge a line (issue 21, point 5).

A directory named ``d\\n::error::x``, a flag key holding
``\\n::set-output name=x::1`` or an OSC-8 hyperlink (``ESC]8;;http://...``)
must come out escaped (flaglint/printable.py) in check's text, audit's text
and Markdown, graph DOT and every message on stderr; no line of those
outputs may begin with ``::`` (a GitHub Actions workflow command). Only
``--format github`` writes such lines, on purpose.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import git, run_cli, write_tree
from flaglint.graph import export
from flaglint.printable import printable, safe_line, safe_lines, unescape

NEWLINE_DIR = "d\n::error::x"
COMMAND_DIR = "::warning::y"
KEY_NEWLINE = "K\n::set-output name=x::1"
KEY_OSC8 = "E\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\"
KEY_SEPARATORS = "S\r::notice::a\u2028::notice::b\x85c"

DEAD = "ENABLE_X = False\n\nif ENABLE_X:\n    print(1)\n"
SDK_READS = (
    "import os\nimport ldclient\n\n"
    f"if ldclient.get().variation({KEY_NEWLINE!r}, {{}}, False):\n    print(2)\n"
    f"if ldclient.get().variation({KEY_OSC8!r}, {{}}, False):\n    print(3)\n"
    f"if os.environ.get({KEY_SEPARATORS!r}) == '1':\n    print(4)\n"
)


@pytest.fixture
def hostile(tmp_path):
    write_tree(
        tmp_path,
        {
            f"{NEWLINE_DIR}/app.py": DEAD,
            f"{COMMAND_DIR}/b.py": DEAD,
            "keys.py": SDK_READS,
        },
    )
    return tmp_path


def _unsafe_lines(text: str):
    """Lines a log viewer could act on: a workflow command at the start, or
    a control character anywhere."""
    bad = []
    for line in text.split("\n"):
        if line.lstrip().startswith(("::", "##[")):
            bad.append(line)
        elif any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in line):
            bad.append(line)
    return bad


# ----------------------------------------------------------------- check text


def test_check_text_escapes_a_newline_in_a_directory_name(hostile):
    result = run_cli("check", "--no-cache", ".", cwd=hostile)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        r"d\n::error::x/app.py:1:1: FL001 flag ENABLE_X is read in 1 place but never set: every binding is false"
        in lines
    )
    assert (
        r"d\n::error::x/app.py:4:5: FL002 this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"
        in lines
    )
    assert not any(line.startswith("::error::x/app.py") for line in lines)


def test_a_directory_named_like_a_workflow_command_does_not_start_a_line(hostile):
    result = run_cli("check", "--no-cache", ".", cwd=hostile)
    lines = result.stdout.splitlines()
    assert (
        r"\x3a:warning::y/b.py:1:1: FL001 flag ENABLE_X is read in 1 place but never set: every binding is false"
        in lines
    )
    assert len(lines) == 4 and _unsafe_lines(result.stdout) == []


def test_github_format_still_writes_its_own_commands(hostile):
    # must not: the escape is for human formats; --format github writes
    # workflow commands on purpose, escaped the Actions toolkit's way
    result = run_cli("check", "--no-cache", "--format", "github", ".", cwd=hostile)
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert any("file=d%0A%3A%3Aerror%3A%3Ax/app.py" in line for line in lines)


def test_json_keeps_the_raw_path(hostile):
    # must not: JSON escapes through json, and a reader gets the real name back
    result = run_cli("check", "--no-cache", "--format", "json", ".", cwd=hostile)
    paths = {finding["path"] for finding in json.loads(result.stdout)["findings"]}
    assert paths == {f"{NEWLINE_DIR}/app.py", f"{COMMAND_DIR}/b.py"}


# ----------------------------------------------------------------- audit


def test_audit_text_escapes_a_key_with_a_newline(hostile):
    result = run_cli("audit", "--no-ages", ".", cwd=hostile)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert r"sdk:launchdarkly:K\n::set-output name=x::1  [live, bool = ?]" in lines
    assert "::set-output name=x::1  [live, bool = ?]" not in lines
    assert r"  defined  d\n::error::x/app.py:1" in lines


def test_audit_text_escapes_esc_and_osc8(hostile):
    result = run_cli("audit", "--no-ages", ".", cwd=hostile)
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert r"sdk:launchdarkly:E\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\  [live, bool = ?]" in lines
    assert r"env:S\r::notice::a\u2028::notice::b\x85c  [live, bool = ?]" in lines


def test_audit_markdown_escapes_keys_and_paths(hostile):
    result = run_cli("audit", "--no-ages", "--format", "markdown", ".", cwd=hostile)
    assert "\x1b" not in result.stdout and _unsafe_lines(result.stdout) == []
    assert r"`sdk:launchdarkly:K\n::set-output name=x::1`" in result.stdout


def test_audit_html_escapes_markup(tmp_path):
    # must not: HTML escapes through html.escape, so a key cannot open a tag
    write_tree(
        tmp_path,
        {"app.py": "import ldclient\nif ldclient.get().variation('<script>x</script>', {}, False):\n    pass\n"},
    )
    result = run_cli("audit", "--no-ages", "--format", "html", ".", cwd=tmp_path)
    assert "<script>x</script>" not in result.stdout
    assert "&lt;script&gt;x&lt;/script&gt;" in result.stdout


# ----------------------------------------------------------------- graph


@pytest.mark.parametrize("use_pydot", [False, True], ids=["own-writer", "pydot"])
def test_graph_dot_escapes_esc_and_osc8(hostile, use_pydot):
    if use_pydot:
        pytest.importorskip("pydot")
    graph = export.load(["."], cwd=hostile)
    dot = export.to_dot(graph, use_pydot=use_pydot)
    assert "\x1b" not in dot and "\u2028" not in dot and "\r" not in dot
    assert r'"flag:sdk:launchdarkly:E\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\"' in dot
    assert _unsafe_lines(dot) == []


def test_graph_dot_keeps_its_own_line_breaks_in_labels(hostile):
    # must not: a label's line break is DOT's "\n" escape, as before
    dot = run_cli("graph", ".", cwd=hostile).stdout
    assert r'"label"="ENABLE_X\ndead bool = False"' in dot


# ----------------------------------------------------------------- fix


def test_fix_diff_quotes_a_hostile_path_as_git_does(tmp_path):
    before = "ENABLE_X = False\n\nif ENABLE_X:\n    print(1)\nprint(2)\n"
    write_tree(tmp_path, {f"{NEWLINE_DIR}/app.py": before, "e\u2028f/c.py": before})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    result = run_cli("fix", "--diff", ".", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[:2] == [r'--- "a/d\n::error::x/app.py"', r'+++ "b/d\n::error::x/app.py"']
    assert r'--- "a/e\342\200\250f/c.py"' in lines
    assert "flaglint: removed definition ENABLE_X from d\\n::error::x/app.py" in result.stderr.splitlines()
    # git reads the quoted names back: the patch applies to the real files
    (tmp_path / "fix.diff").write_text(result.stdout, encoding="utf-8")
    git(tmp_path, "apply", "fix.diff")
    assert (tmp_path / NEWLINE_DIR / "app.py").read_text(encoding="utf-8") == "print(2)\n"
    assert (tmp_path / "e\u2028f" / "c.py").read_text(encoding="utf-8") == "print(2)\n"


# ----------------------------------------------------------------- every human format


def test_no_line_of_any_human_format_begins_with_a_workflow_command(hostile):
    outputs = [
        run_cli("check", "--no-cache", ".", cwd=hostile),
        run_cli("audit", "--no-ages", ".", cwd=hostile),
        run_cli("audit", "--no-ages", "--format", "markdown", ".", cwd=hostile),
        run_cli("graph", ".", cwd=hostile),
        run_cli("fix", "--diff", ".", cwd=hostile),
    ]
    for result in outputs:
        assert _unsafe_lines(result.stdout) == [], result.stdout
        assert _unsafe_lines(result.stderr) == [], result.stderr


def test_messages_on_stderr_are_escaped(hostile):
    result = run_cli("check", "--config", "no\n::error::such.toml", ".", cwd=hostile)
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: config file not found: no\\n::error::such.toml\n"
    result = run_cli("audit", "\x1b]8;;http://x/\x1b\\", cwd=hostile)
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: path does not exist: \\x1b]8;;http://x/\\x1b\\\\\n"


# ----------------------------------------------------------------- the escape itself


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("plain app/flags.py", "plain app/flags.py"),
        ("café 日本 ✓", "café 日本 ✓"),
        ("a\nb", r"a\nb"),
        ("a\r\nb\tc", r"a\r\nb\tc"),
        ("\x1b[31mred", r"\x1b[31mred"),
        ("\x00\x7f\x85\x9b", r"\x00\x7f\x85\x9b"),
        ("a\u2028b\u2029c", r"a\u2028b\u2029c"),
        ("\u202eevil", r"\u202eevil"),
        ("back\\slash", r"back\\slash"),
    ],
)
def test_printable(text, escaped):
    assert printable(text) == escaped
    assert unescape(escaped) == text


@pytest.mark.parametrize(
    "line, safe",
    [
        ("::error::x", r"\x3a:error::x"),
        ("  ::warning file=a::b", r"  \x3a:warning file=a::b"),
        ("##[error]x", r"\x23#[error]x"),
        ("a ::error::x", "a ::error::x"),
        (":: ok", r"\x3a: ok"),
        (": not a command", ": not a command"),
    ],
)
def test_safe_line(line, safe):
    assert safe_line(line) == safe
    assert unescape(safe) == line


def test_safe_lines_keeps_the_line_breaks_it_is_given():
    assert safe_lines("ok\n::error::x\n") == "ok\n\\x3a:error::x\n"


@given(st.text())
def test_the_escape_round_trips_and_stays_on_one_line(text):
    escaped = safe_line(text)
    assert unescape(escaped) == text
    assert len(escaped.splitlines()) <= 1
    assert not escaped.lstrip().startswith(("::", "##["))
    assert all(unicodedata.category(c) not in ("Cc", "Zl", "Zp") for c in escaped)

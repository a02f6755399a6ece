"""The command line, end to end: exit codes, exact output, configuration.

Most tests drive ``flaglint.cli.main`` through click's CliRunner in a fresh
working directory; two run ``python -m flaglint`` in a real subprocess to
prove the module entry point works and prints no traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Union

import pytest
from click.testing import CliRunner

from flaglint import __version__
from flaglint.cli import main
from conftest import run_cli, triples, write_tree

# ---------------------------------------------------------------------------
# helpers and fixtures
# ---------------------------------------------------------------------------

#: A flag nothing sets, read once: FL001 at its definition, FL002 at the block.
APP = "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n"
APP_FL001 = "app.py:1:1: FL001 flag ENABLE_X is read in 1 place but never set: every binding is false"
APP_FL002 = "app.py:5:9: FL002 this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"

#: An IntFlag silent alias: FL003 at line 7.
PERM = "import enum\n\nclass Perm(enum.IntFlag):\n    R = 1\n    W = 2\n    X = 4\n    EXEC = 4\n"
PERM_FL003 = (
    "perm.py:7:5: FL003 Perm.EXEC has the same value (0x4) as Perm.X: Python silently makes EXEC "
    "an alias of X, so the two meanings collide; write `EXEC = X` if that is meant"
)

#: A live flag: nothing to report.
CLEAN = "ENABLED = True\n\ndef f():\n    if ENABLED:\n        g()\n"

KNOWN = "(known: FL000, FL001, FL002, FL003, FL004, FL005, FL006, FL007, FL008)"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty working directory; returns a function that fills it."""
    monkeypatch.chdir(tmp_path)

    def make(files: Dict[str, Union[str, bytes]]) -> Path:
        write_tree(tmp_path, files)
        return tmp_path

    make.root = tmp_path
    return make


def lines(text: str) -> List[str]:
    return text.splitlines()


def check_json(*args: str) -> dict:
    result = run_cli("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------
# exit codes
# ---------------------------------------------------------------------------


def test_clean_project_exits_0(project):
    project({"app.py": CLEAN})
    result = run_cli("check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Found 0 findings in 1 file.\n"


def test_directory_without_python_files_exits_0(project):
    project({"README.md": "# nothing here\n", "data/notes.txt": "ENABLE_X = False\n"})
    result = run_cli("check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Found 0 findings in 0 files.\n"


def test_empty_directory_given_explicitly_exits_0(project):
    (project.root / "empty").mkdir()
    result = run_cli("check", "empty")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Found 0 findings in 0 files.\n"


def test_findings_exit_1_with_exact_text(project):
    project({"app.py": APP})
    result = run_cli("check")
    assert result.exit_code == 1
    assert lines(result.stdout) == [APP_FL001, APP_FL002]
    assert result.stderr == "Found 2 findings in 1 file (FL001: 1, FL002: 1).\n"


def test_default_path_is_cwd_and_explicit_dot_is_the_same(project):
    project({"app.py": APP})
    assert run_cli("check").stdout == run_cli("check", ".").stdout == run_cli("check", "app.py").stdout


def test_exit_zero_prints_findings_but_exits_0(project):
    project({"app.py": APP})
    result = run_cli("check", "--exit-zero")
    assert result.exit_code == 0
    assert lines(result.stdout) == [APP_FL001, APP_FL002]
    assert result.stderr == "Found 2 findings in 1 file (FL001: 1, FL002: 1).\n"


def test_exit_zero_does_not_hide_usage_errors(project):
    project({"app.py": APP})
    result = run_cli("check", "--exit-zero", "--select", "FL9")
    assert result.exit_code == 2
    assert result.stdout == ""


# ---------------------------------------------------------------------------
# --select / --ignore
# ---------------------------------------------------------------------------


def test_select_one_code(project):
    project({"app.py": APP, "perm.py": PERM})
    result = run_cli("check", "--select", "FL002")
    assert result.exit_code == 1
    assert lines(result.stdout) == [APP_FL002]
    assert result.stderr == "Found 1 finding in 2 files (FL002: 1).\n"


def test_ignore_one_code(project):
    project({"app.py": APP, "perm.py": PERM})
    result = run_cli("check", "--ignore", "FL001")
    assert result.exit_code == 1
    assert lines(result.stdout) == [APP_FL002, PERM_FL003]


def test_ignore_everything_that_was_found_exits_0(project):
    project({"app.py": APP})
    result = run_cli("check", "--ignore", "FL001,FL002")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Found 0 findings in 1 file.\n"


def test_select_list_is_case_insensitive_with_spaces(project):
    project({"app.py": APP, "perm.py": PERM})
    result = run_cli("check", "--select", "fl001, FL003")
    assert result.exit_code == 1
    assert lines(result.stdout) == [APP_FL001, PERM_FL003]


def test_longest_prefix_wins(project):
    # documented example: --ignore FL00 --select FL003 reports only FL003
    project({"app.py": APP, "perm.py": PERM})
    result = run_cli("check", "--ignore", "FL00", "--select", "FL003")
    assert lines(result.stdout) == [PERM_FL003]


@pytest.mark.parametrize(
    "option, code",
    [("--select", "FL9"), ("--select", "FL01"), ("--select", "E501"), ("--ignore", "FL099"), ("--ignore", "FL0001")],
)
def test_unknown_rule_code_is_a_usage_error(project, option, code):
    project({"app.py": APP})
    result = run_cli("check", option, code)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"flaglint: error: {option}: unknown rule code {code!r} {KNOWN}\n"


def test_missing_path_is_a_usage_error(project):
    project({"app.py": APP})
    result = run_cli("check", "nothere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "flaglint: error: path does not exist: nothere\n"


def test_missing_path_next_to_a_real_one_prints_no_findings(project):
    project({"app.py": APP})
    result = run_cli("check", "app.py", "nothere.py")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "flaglint: error: path does not exist: nothere.py\n"


def test_bad_format_is_a_usage_error(project):
    project({"app.py": APP})
    result = run_cli("check", "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'xml' is not one of 'github', 'json', 'sarif', 'text'" in result.stderr


# ---------------------------------------------------------------------------
# text output
# ---------------------------------------------------------------------------


def test_text_output_sorted_by_path_then_line_across_files(project):
    # b.py is written before a.py; in b.py the FL002 block (line 9) comes
    # before the FL001 definition (line 10): the order is by path, then by
    # line as a number ("10" < "9" as text), not by rule code or discovery.
    filler = "".join(f"# filler {n}\n" for n in range(6))
    project({"b.py": filler + "def f():\n    if ENABLE_Y:\n        g()\nENABLE_Y = False\n"})
    project({"a.py": PERM})
    result = run_cli("check")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        PERM_FL003.replace("perm.py", "a.py"),
        "b.py:9:9: FL002 this code only runs when ENABLE_Y is on, and nothing ever sets ENABLE_Y",
        "b.py:10:1: FL001 flag ENABLE_Y is read in 1 place but never set: every binding is false",
    ]
    assert result.stderr == "Found 3 findings in 2 files (FL001: 1, FL002: 1, FL003: 1).\n"


def test_paths_in_text_are_posix_and_relative(project):
    project({"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/app.py": APP})
    result = run_cli("check", str(project.root))  # an absolute path inside cwd
    assert lines(result.stdout) == [
        APP_FL001.replace("app.py", "pkg/sub/app.py"),
        APP_FL002.replace("app.py", "pkg/sub/app.py"),
    ]
    assert result.stderr == "Found 2 findings in 3 files (FL001: 1, FL002: 1).\n"


def test_summary_line_singular_and_plural(project):
    project({"app.py": APP})
    assert run_cli("check", "--select", "FL001").stderr == "Found 1 finding in 1 file (FL001: 1).\n"
    project({"perm.py": PERM})
    assert run_cli("check").stderr == "Found 3 findings in 2 files (FL001: 1, FL002: 1, FL003: 1).\n"


# ---------------------------------------------------------------------------
# JSON output
# ---------------------------------------------------------------------------

FINDING_KEYS = {
    "code": str,
    "name": str,
    "message": str,
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "fingerprint": str,
    "related": list,
}
RELATED_KEYS = {"path": str, "line": int, "column": int, "end_line": int, "end_column": int, "note": str}


def test_json_document_shape_and_types(project):
    project({"pkg/__init__.py": "", "pkg/app.py": APP, "perm.py": PERM})
    result = run_cli("check", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""  # json is one document: nothing on stderr
    document = json.loads(result.stdout)
    assert list(document) == ["version", "findings", "summary"]
    assert document["version"] == __version__
    assert document["summary"] == {
        "files": 3,
        "findings": 3,
        "by_code": {"FL001": 1, "FL002": 1, "FL003": 1},
        "skipped": [],
    }
    for finding in document["findings"]:
        assert set(finding) == set(FINDING_KEYS) | {"flag"}
        for key, kind in FINDING_KEYS.items():
            assert type(finding[key]) is kind, (key, finding[key])
        assert finding["flag"] is None or isinstance(finding["flag"], str)
        assert re.fullmatch(r"[0-9a-f]{16}", finding["fingerprint"])
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])
        for related in finding["related"]:
            assert set(related) == set(RELATED_KEYS)
            for key, kind in RELATED_KEYS.items():
                assert type(related[key]) is kind, (key, related[key])
    fl003, fl001, fl002 = document["findings"]  # "perm.py" < "pkg/app.py"
    assert (fl001["code"], fl001["name"], fl001["path"], fl001["flag"]) == (
        "FL001",
        "flag-never-set",
        "pkg/app.py",
        "pkg.app.ENABLE_X",
    )
    # 1-based, end exclusive: "ENABLE_X" spans columns 1..8 of line 1
    assert (fl001["line"], fl001["column"], fl001["end_line"], fl001["end_column"]) == (1, 1, 1, 9)
    assert fl001["related"] == [
        {"path": "pkg/app.py", "line": 4, "column": 8, "end_line": 4, "end_column": 16, "note": "read here"}
    ]
    # FL002's span is the gated block: "g()" on line 5, columns 9..11
    assert (fl002["code"], fl002["name"], fl002["path"]) == ("FL002", "dead-gated-code", "pkg/app.py")
    assert (fl002["line"], fl002["column"], fl002["end_line"], fl002["end_column"]) == (5, 9, 5, 12)
    assert (fl003["code"], fl003["name"], fl003["path"], fl003["line"], fl003["column"]) == (
        "FL003",
        "flag-reused",
        "perm.py",
        7,
        5,
    )
    assert fl003["flag"] == "perm.Perm.EXEC"


def test_json_findings_match_text_output(project):
    project({"app.py": APP, "perm.py": PERM})
    document = check_json()
    text = [f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}" for f in document["findings"]]
    assert text == lines(run_cli("check").stdout) == [APP_FL001, APP_FL002, PERM_FL003]


def test_json_fl000_has_null_flag_and_empty_span(project):
    project({"app.py": APP, "bad.py": "x = 1\ndef f(:\n    pass\n"})
    document = check_json()
    assert triples(document) == [("FL001", "app.py", 1), ("FL002", "app.py", 5), ("FL000", "bad.py", 2)]
    fl000 = document["findings"][2]
    assert {k: fl000[k] for k in ("code", "name", "path", "line", "column", "end_line", "end_column", "flag")} == {
        "code": "FL000",
        "name": "parse-error",
        "path": "bad.py",
        "line": 2,
        "column": 7,
        "end_line": 2,
        "end_column": 7,
        "flag": None,
    }
    assert fl000["message"] == "syntax error: invalid syntax"
    assert fl000["related"] == []


def test_json_columns_count_characters_not_bytes(project):
    project({"app.py": 'ENABLE_X = False\n\ndef f():\n    return "éé" if ENABLE_X else 0\n'})
    fl001, fl002 = check_json()["findings"]
    # '    return "éé" if ENABLE_X': the string starts at character 12, the read at 20
    assert [(r["line"], r["column"], r["end_column"]) for r in fl001["related"]] == [(4, 20, 28)]
    assert (fl002["code"], fl002["line"], fl002["column"], fl002["end_column"]) == ("FL002", 4, 12, 16)


def test_json_clean_project(project):
    project({"app.py": CLEAN})
    result = run_cli("check", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "version": __version__,
        "findings": [],
        "summary": {"files": 1, "findings": 0, "by_code": {}, "skipped": []},
    }


def test_fingerprints_stable_when_unrelated_line_inserted_above(project):
    project({"app.py": APP, "perm.py": PERM})
    before = check_json()["findings"]
    project({"app.py": "# a new comment at the top\n" + APP, "perm.py": "# another\n" + PERM})
    after = check_json()["findings"]
    # the lines moved ...
    assert [f["line"] for f in before] == [1, 5, 7]
    assert [f["line"] for f in after] == [2, 6, 8]
    # ... the fingerprints did not
    assert [f["fingerprint"] for f in after] == [f["fingerprint"] for f in before]
    assert len({f["fingerprint"] for f in before}) == 3


def test_fingerprint_changes_when_file_renamed(project):
    project({"app.py": APP})
    before = {f["code"]: f["fingerprint"] for f in check_json()["findings"]}
    (project.root / "app.py").rename(project.root / "other.py")
    after = {f["code"]: f["fingerprint"] for f in check_json()["findings"]}
    assert set(before) == set(after) == {"FL001", "FL002"}
    assert all(before[code] != after[code] for code in before)


# ---------------------------------------------------------------------------
# suppression comments
# ---------------------------------------------------------------------------


def _app_with(line1: str = "", line4: str = "", line5: str = "") -> str:
    return f"ENABLE_X = False{line1}\n\ndef f():\n    if ENABLE_X:{line4}\n        g(){line5}\n"


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param(_app_with(line1="  # flaglint: ignore[FL001]"), [APP_FL002], id="flaglint-ignore-FL001"),
        pytest.param(_app_with(line1="  # noqa: FL001"), [APP_FL002], id="noqa-FL001"),
        pytest.param(_app_with(line1="  # NOQA:fl001"), [APP_FL002], id="noqa-case-and-spacing"),
        pytest.param(_app_with(line1="  # noqa: E501, FL001"), [APP_FL002], id="noqa-mixed-codes"),
        pytest.param(_app_with(line1="  # noqa"), [APP_FL002], id="bare-noqa"),
        pytest.param(_app_with(line1="  # flaglint: ignore"), [APP_FL002], id="bare-flaglint-ignore"),
        pytest.param(_app_with(line5="  # flaglint: ignore[FL002]"), [APP_FL001], id="flaglint-ignore-FL002"),
        pytest.param(_app_with(line5="  # noqa: FL002"), [APP_FL001], id="noqa-FL002"),
        pytest.param(
            _app_with(line1="  # noqa: FL001", line5="  # flaglint: ignore[FL001,FL002]"), [], id="both-lines"
        ),
        pytest.param(_app_with(line1="  # noqa: E501"), [APP_FL001, APP_FL002], id="noqa-other-tool"),
        pytest.param(_app_with(line1="  # flaglint: ignore[FL002]"), [APP_FL001, APP_FL002], id="wrong-code-on-line"),
        pytest.param(_app_with(line4="  # noqa: FL002"), [APP_FL001, APP_FL002], id="if-line-is-not-the-reported-line"),
        pytest.param(_app_with(line5="  # noqa: FL001"), [APP_FL001, APP_FL002], id="FL001-comment-on-FL002-line"),
    ],
)
def test_suppression_comments(project, source, expected):
    project({"app.py": source})
    result = run_cli("check")
    assert lines(result.stdout) == expected
    assert result.exit_code == (1 if expected else 0)


def test_suppression_is_per_file_and_per_line(project):
    project({"app.py": _app_with(line1="  # noqa: FL001"), "perm.py": PERM})
    assert lines(run_cli("check").stdout) == [APP_FL002, PERM_FL003]


@pytest.mark.parametrize("separator", ["\x0c\n", '"a\u2028b"\n'], ids=["form-feed-line", "u2028-in-string"])
def test_suppression_after_form_feed_or_unicode_line_separator(project, separator):
    source = "import os\n" + separator + "ENABLE_X = False  # noqa: FL001\n\ndef f():\n    if ENABLE_X:\n        g()\n"
    project({"app.py": source})
    result = run_cli("check")
    assert lines(result.stdout) == [
        "app.py:7:9: FL002 this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"
    ]


# ---------------------------------------------------------------------------
# configuration
# ---------------------------------------------------------------------------


def test_pyproject_ignore_is_honoured(project):
    project({"app.py": APP, "pyproject.toml": '[tool.flaglint]\nignore = ["FL002"]\n'})
    result = run_cli("check")
    assert result.exit_code == 1
    assert lines(result.stdout) == [APP_FL001]


def test_pyproject_without_table_is_passed_over(project):
    project({"app.py": APP, "pyproject.toml": '[project]\nname = "x"\n'})
    assert lines(run_cli("check").stdout) == [APP_FL001, APP_FL002]


def test_flaglint_toml_wins_over_pyproject(project):
    project(
        {
            "app.py": APP,
            "flaglint.toml": 'ignore = ["FL001"]\n',
            "pyproject.toml": '[tool.flaglint]\nignore = ["FL002"]\n',
        }
    )
    assert lines(run_cli("check").stdout) == [APP_FL002]


def test_config_found_from_first_path_upwards(project):
    project({"src/app.py": APP, "pyproject.toml": '[tool.flaglint]\nselect = ["FL002"]\n'})
    result = run_cli("check", "src/app.py")
    assert lines(result.stdout) == [APP_FL002.replace("app.py", "src/app.py")]


def test_cli_select_replaces_config_select_and_ignore_adds(project):
    project(
        {"app.py": APP, "perm.py": PERM, "pyproject.toml": '[tool.flaglint]\nselect = ["FL001"]\nignore = ["FL003"]\n'}
    )
    assert lines(run_cli("check").stdout) == [APP_FL001]
    assert lines(run_cli("check", "--select", "FL00").stdout) == [APP_FL001, APP_FL002]
    assert lines(run_cli("check", "--select", "FL00", "--ignore", "FL002").stdout) == [APP_FL001]


def test_external_flags_remove_fl001_and_fl002(project):
    project({"app.py": APP, "perm.py": PERM, "pyproject.toml": '[tool.flaglint]\nexternal-flags = ["app.ENABLE_X"]\n'})
    result = run_cli("check")
    assert lines(result.stdout) == [PERM_FL003]
    assert result.stderr == "Found 1 finding in 2 files (FL003: 1).\n"


def test_external_flags_must_match_exactly(project):
    project({"app.py": APP, "pyproject.toml": '[tool.flaglint]\nexternal-flags = ["ENABLE_X", "app.ENABLE"]\n'})
    assert lines(run_cli("check").stdout) == [APP_FL001, APP_FL002]


def test_per_file_ignores(project):
    project(
        {
            "app.py": APP,
            "tests/test_app.py": APP.replace("ENABLE_X", "ENABLE_T"),
            "pyproject.toml": '[tool.flaglint.per-file-ignores]\n"tests/" = ["FL001"]\n"app.py" = ["FL002"]\n',
        }
    )
    result = run_cli("check")
    assert lines(result.stdout) == [
        APP_FL001,
        "tests/test_app.py:5:9: FL002 this code only runs when ENABLE_T is on, and nothing ever sets ENABLE_T",
    ]


def test_exclude(project):
    project({"app.py": APP, "legacy/old.py": APP, "pyproject.toml": '[tool.flaglint]\nexclude = ["legacy/"]\n'})
    result = run_cli("check")
    assert lines(result.stdout) == [APP_FL001, APP_FL002]
    assert result.stderr == "Found 2 findings in 1 file (FL001: 1, FL002: 1).\n"


def test_explicit_config_file(project):
    project(
        {
            "app.py": APP,
            "pyproject.toml": '[tool.flaglint]\nignore = ["FL002"]\n',
            "ci/lint.toml": 'ignore = ["FL001"]\n',
        }
    )
    assert lines(run_cli("check", "--config", "ci/lint.toml").stdout) == [APP_FL002]


@pytest.mark.parametrize(
    "filename, content, message",
    [
        pytest.param(
            "pyproject.toml",
            '[tool.flaglint]\nexclud = ["x/"]\n',
            "unknown key 'exclud' (known: analyse-generated, exclude, external-flags, flag-apis, flag-classes, flag-sources, ignore, include, max-file-tokens, per-file-ignores, select, sources-complete, src)",
            id="unknown-key-pyproject",
        ),
        pytest.param(
            "flaglint.toml",
            'selekt = ["FL001"]\n',
            "unknown key 'selekt' (known: analyse-generated, exclude, external-flags, flag-apis, flag-classes, flag-sources, ignore, include, max-file-tokens, per-file-ignores, select, sources-complete, src)",
            id="unknown-key-flaglint-toml",
        ),
        pytest.param(
            "flaglint.toml",
            '[tool.flaglint]\nselect = ["FL001"]\n',
            "unknown key 'tool' (known: analyse-generated, exclude, external-flags, flag-apis, flag-classes, flag-sources, ignore, include, max-file-tokens, per-file-ignores, select, sources-complete, src)",
            id="table-header-in-flaglint-toml",
        ),
        pytest.param(
            "pyproject.toml",
            '[tool.flaglint]\nselect = "FL001"\n',
            "select must be a list of strings",
            id="string-not-list",
        ),
        pytest.param(
            "pyproject.toml", "[tool.flaglint]\nignore = [1]\n", "ignore must be a list of strings", id="int-in-list"
        ),
        pytest.param(
            "pyproject.toml",
            '[tool.flaglint]\nexternal-flags = "app.ENABLE_X"\n',
            "external-flags must be a list of strings",
            id="external-flags-string",
        ),
        pytest.param(
            "pyproject.toml",
            "[tool.flaglint]\nper-file-ignores = []\n",
            "per-file-ignores must be a table of pattern = [codes]",
            id="per-file-ignores-list",
        ),
        pytest.param(
            "pyproject.toml",
            '[tool.flaglint.per-file-ignores]\n"tests/" = "FL001"\n',
            "per-file-ignores.'tests/' must be a list of strings",
            id="per-file-ignores-value-string",
        ),
        pytest.param(
            "pyproject.toml",
            '[tool.flaglint.per-file-ignores]\n"tests/" = ["FL01"]\n',
            f"per-file-ignores.'tests/': unknown rule code 'FL01' {KNOWN}",
            id="per-file-ignores-bad-code",
        ),
        pytest.param(
            "pyproject.toml",
            '[tool.flaglint]\nselect = ["fl001"]\n',
            f"select: unknown rule code 'fl001' {KNOWN}",
            id="lower-case-code-in-config",
        ),
        pytest.param("pyproject.toml", "[tool]\nflaglint = 1\n", "[tool.flaglint] must be a table", id="not-a-table"),
    ],
)
def test_bad_config_is_a_usage_error(project, filename, content, message):
    root = project({"app.py": APP, filename: content})
    result = run_cli("check")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"flaglint: error: {root / filename}: {message}\n"


def test_bad_config_given_with_config_option(project):
    project({"app.py": APP, "cfg.toml": "exclud = []\n"})
    result = run_cli("check", "--config", "cfg.toml")
    assert result.exit_code == 2
    assert result.stderr == (
        "flaglint: error: cfg.toml: unknown key 'exclud' (known: analyse-generated, exclude, external-flags, flag-apis, "
        "flag-classes, flag-sources, ignore, include, max-file-tokens, per-file-ignores, select, sources-complete, src)\n"
    )


def test_invalid_toml_in_flaglint_toml_is_a_usage_error(project):
    project({"app.py": APP, "flaglint.toml": "ignore = [\n"})
    result = run_cli("check")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(lines(result.stderr)) == 1
    assert result.stderr.startswith(f"flaglint: error: {project.root / 'flaglint.toml'}: invalid TOML: ")


def test_config_option_missing_file_is_a_usage_error(project):
    project({"app.py": APP})
    result = run_cli("check", "--config", "nope.toml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "flaglint: error: config file not found: nope.toml\n"


def test_config_option_pointing_at_a_directory_is_a_usage_error(project):
    project({"app.py": APP, "conf/x": ""})
    result = run_cli("check", "--config", "conf")
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: config file not found: conf\n"


@pytest.mark.parametrize("content", ["tool = 1\n", 'tool = "flaglint"\n', 'tool = ["flaglint"]\n'])
@pytest.mark.parametrize("explicit", [False, True], ids=["searched", "--config"])
def test_pyproject_with_non_table_tool_key_does_not_crash(project, content, explicit):
    project({"app.py": APP, "pyproject.toml": content})
    args = ["check", "--config", "pyproject.toml"] if explicit else ["check"]
    result = CliRunner().invoke(main, args, prog_name="flaglint")
    assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
    # a pyproject.toml whose `tool` is not a table has no [tool.flaglint]:
    # searched, it is passed over; named with --config, the defaults apply
    # (docs/configuration.md, "Where configuration is read from")
    assert result.exit_code == 1
    assert lines(result.stdout) == [APP_FL001, APP_FL002]


def test_invalid_per_file_ignores_pattern_is_a_usage_error(project):
    root = project({"app.py": APP, "pyproject.toml": '[tool.flaglint.per-file-ignores]\n"!" = ["FL001"]\n'})
    result = CliRunner().invoke(main, ["check"], prog_name="flaglint")
    assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"flaglint: error: {root / 'pyproject.toml'}: per-file-ignores")
    assert len(lines(result.stderr)) == 1


# ---------------------------------------------------------------------------
# rules / explain / version
# ---------------------------------------------------------------------------


def test_rules_lists_every_rule():
    result = run_cli("rules")
    assert result.exit_code == 0
    assert lines(result.stdout) == [
        "FL000  parse-error        File cannot be read, decoded or parsed as Python",
        "FL001  flag-never-set     A flag is read but nothing ever sets it",
        "FL002  dead-gated-code    Code that only runs when a never-set flag is on",
        "FL003  flag-reused        One bit carries two meanings: a new name is set, an old one is still read",
        "FL004  undeclared-flag    A flag key is read that no complete flag source defines",
        "FL005  unused-flag        A flag defined in a flag source is never read",
        "FL006  flag-always-on     A flag is on for everyone in every source: its else side is dead",
        "FL007  fleet-conflict     Two builds that run side by side disagree on a bit or a key (flaglint drift)",
        "FL008  joined-keys        Two keys of a collection joined by a missing comma",
    ]


@pytest.mark.parametrize("code", ["FL003", "fl003"])
def test_explain_prints_the_rule_documentation(code):
    result = run_cli("explain", code)
    assert result.exit_code == 0
    assert result.stdout.startswith("# FL003 flag-reused\n")
    assert "## Why is this bad?" in lines(result.stdout)
    assert "## What it does" in lines(result.stdout)


@pytest.mark.parametrize("code", ["FL000", "FL001", "FL002"])
def test_explain_every_rule(code):
    result = run_cli("explain", code)
    assert result.exit_code == 0
    assert lines(result.stdout)[0].startswith(f"# {code} ")
    assert "## Why is this bad?" in lines(result.stdout)


def test_explain_unknown_code_exits_2():
    result = run_cli("explain", "FL999")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"flaglint: error: unknown rule code 'FL999' {KNOWN}\n"


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"flaglint, version {__version__}\n"


# ---------------------------------------------------------------------------
# python -m flaglint, in a real process
# ---------------------------------------------------------------------------


def _python_m(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flaglint", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_python_m_flaglint_check(tmp_path):
    write_tree(tmp_path, {"app.py": APP, "perm.py": PERM})
    process = _python_m(tmp_path, "check")
    assert process.returncode == 1
    assert lines(process.stdout) == [APP_FL001, APP_FL002, PERM_FL003]
    assert process.stderr == "Found 3 findings in 2 files (FL001: 1, FL002: 1, FL003: 1).\n"
    assert "Traceback" not in process.stdout + process.stderr


def test_python_m_flaglint_usage_errors(tmp_path):
    write_tree(tmp_path, {"app.py": APP})
    for args, message in [
        (("check", "--select", "FL9"), f"flaglint: error: --select: unknown rule code 'FL9' {KNOWN}\n"),
        (("check", "missing.py"), "flaglint: error: path does not exist: missing.py\n"),
        (("explain", "FL999"), f"flaglint: error: unknown rule code 'FL999' {KNOWN}\n"),
    ]:
        process = _python_m(tmp_path, *args)
        assert (process.returncode, process.stdout, process.stderr) == (2, "", message), args
    write_tree(tmp_path, {"pyproject.toml": "[tool.flaglint]\nexclud = []\n"})
    process = _python_m(tmp_path, "check")
    assert process.returncode == 2
    assert process.stdout == ""
    assert process.stderr == (
        f"flaglint: error: {tmp_path / 'pyproject.toml'}: unknown key 'exclud' "
        "(known: analyse-generated, exclude, external-flags, flag-apis, flag-classes, flag-sources, ignore, include, max-file-tokens, per-file-ignores, select, sources-complete, src)\n"
    )

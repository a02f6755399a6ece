"""Baselines: ``check --write-baseline FILE`` records today's findings,
``check --baseline FILE`` reports only the ones that are new, and
``--report-stale`` lists the recorded ones that are gone."""

from __future__ import annotations

import difflib
import errno
import json
import os
import stat
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from click.testing import Result

from flaglint import api, baseline
from flaglint.baseline import Baseline, BaselineError, Entry
from flaglint.facts import Span
from flaglint.findings import Finding

from conftest import run_cli, triples

#: ENABLE_X is never set: FL001 at line 1, FL002 at the block in f (line 5)
#: and at the block in h (line 9).
APP = "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n\ndef h():\n    if ENABLE_X:\n        g()\n"
#: An IntFlag member that silently becomes an alias: one FL003.
PERM = "import enum\n\nclass Perm(enum.IntFlag):\n    R = 1\n    W = 2\n    X = 4\n    EXEC = 4\n"
#: A second dormant flag in another file.
OTHER = "OLD_PATH = 0\n\ndef k():\n    if OLD_PATH:\n        g()\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def make(files: Dict[str, str]) -> Path:
        for relative, content in files.items():
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        return tmp_path

    return make


def write_baseline(path: str = "baseline.json", *args: str) -> Result:
    result = run_cli("check", "--write-baseline", path, *args)
    assert result.exit_code == 0, result.output
    return result


def listing(root: Path) -> List[str]:
    """Files under root, ignoring flaglint's own facts cache."""
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if ".flaglint_cache" not in path.relative_to(root).parts
    )


# --------------------------------------------------------------------------- writing


def test_write_baseline_records_findings_and_exits_0(project):
    project({"app.py": APP})
    result = write_baseline()
    assert result.stdout == ""
    assert result.stderr == "flaglint: recorded 3 findings in baseline.json\n"
    document = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert document["version"] == 1 and document["tool"] == "flaglint"
    expected = [
        {"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "flag": f.flag, "message": f.message}
        for f in api.check(["."]).findings
    ]
    assert sorted(document["findings"], key=lambda e: e["fingerprint"]) == sorted(
        expected, key=lambda e: e["fingerprint"]
    )
    assert [list(entry) for entry in document["findings"]] == [["fingerprint", "code", "path", "flag", "message"]] * 3


def test_write_then_check_is_clean_and_silent(project):
    project({"app.py": APP})
    write_baseline()
    result = run_cli("check", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Found 0 findings in 1 file (3 in baseline).\n"


def test_write_baseline_applies_selection_and_suppressions(project):
    suppressed = APP.replace("        g()\n\ndef h", "        g()  # flaglint: ignore[FL002]\n\ndef h")
    assert suppressed != APP
    project({"app.py": suppressed})
    write_baseline("baseline.json", "--select", "FL002")
    document = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert [(e["code"], e["path"]) for e in document["findings"]] == [("FL002", "app.py")]
    # FL001 was not selected when the baseline was written, so it is new now;
    # the suppressed block stays suppressed, the other block is in the baseline.
    result = run_cli("check", "--format", "json", "--baseline", "baseline.json")
    assert result.exit_code == 1
    assert triples(json.loads(result.stdout)) == [("FL001", "app.py", 1)]
    assert result.stderr == ""  # json is one document: nothing on stderr


def test_file_is_sorted_diff_friendly_and_deterministic(project):
    # In late.py the FL002 (line 3) comes before the FL001 (line 5): the file
    # is sorted by code within a path, not by line.
    project({"zzz.py": APP, "aaa/other.py": OTHER, "late.py": "def f():\n    if LATE:\n        g()\n\nLATE = False\n"})
    write_baseline("one.json")
    write_baseline("two.json")
    first = Path("one.json").read_bytes()
    assert first == Path("two.json").read_bytes()
    text = first.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2) + "\n"
    keys = [(e["path"], e["code"], e["fingerprint"]) for e in document["findings"]]
    assert keys == sorted(keys)
    assert [k[0] for k in keys] == ["aaa/other.py"] * 2 + ["late.py"] * 2 + ["zzz.py"] * 3
    assert [k[1] for k in keys] == ["FL001", "FL002"] * 2 + ["FL001", "FL002", "FL002"]

    # One more finding (an FL003 in a new file) adds the lines of one entry.
    Path("mmm.py").write_text(PERM, encoding="utf-8")
    assert "recorded 8 findings" in write_baseline("one.json").stderr
    changed = [
        line
        for line in difflib.unified_diff(
            text.splitlines(), Path("one.json").read_text(encoding="utf-8").splitlines(), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 7 and all(line.startswith("+") for line in changed), changed


def test_write_baseline_with_no_findings(project):
    project({"app.py": "ENABLED = True\n\nif ENABLED:\n    g()\n"})
    result = write_baseline()
    assert result.stderr == "flaglint: recorded 0 findings in baseline.json\n"
    assert Path("baseline.json").read_text(encoding="utf-8") == (
        '{\n  "version": 1,\n  "tool": "flaglint",\n  "findings": []\n}\n'
    )


# --------------------------------------------------------------------------- checking


def test_baseline_survives_unrelated_lines_moving(project):
    project({"app.py": APP})
    write_baseline()
    Path("app.py").write_text("# a new header\n# and another line\n\n" + APP, encoding="utf-8")
    assert run_cli("check").exit_code == 1  # the findings are still there, on other lines
    result = run_cli("check", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Found 0 findings in 1 file (3 in baseline).\n"


def test_new_finding_is_reported_exactly(project):
    project({"app.py": APP, "lib/other.py": "X = 1\n"})
    write_baseline()
    Path("lib/other.py").write_text(OTHER, encoding="utf-8")
    result = run_cli("check", "--baseline", "baseline.json")
    assert result.exit_code == 1
    assert result.stdout == (
        "lib/other.py:1:1: FL001 flag OLD_PATH is read in 1 place but never set: every binding is false\n"
        "lib/other.py:5:9: FL002 this code only runs when OLD_PATH is on, and nothing ever sets OLD_PATH\n"
    )
    assert result.stderr == "Found 2 findings in 2 files (FL001: 1, FL002: 1) (3 in baseline).\n"
    as_json = run_cli("check", "--format", "json", "--baseline", "baseline.json")
    assert as_json.exit_code == 1
    assert triples(json.loads(as_json.stdout)) == [("FL001", "lib/other.py", 1), ("FL002", "lib/other.py", 5)]
    assert json.loads(as_json.stdout)["summary"]["findings"] == 2


def test_second_identical_finding_is_new(project):
    """Two blocks in f gated by ENABLE_X are the same finding twice; the
    baseline knows one of them, so the other is reported."""
    project({"app.py": APP})
    write_baseline()
    Path("app.py").write_text(
        APP.replace("        g()\n\ndef h", "        g()\n    if ENABLE_X:\n        g2()\n\ndef h"), encoding="utf-8"
    )
    result = run_cli("check", "--format", "json", "--baseline", "baseline.json")
    assert result.exit_code == 1
    assert triples(json.loads(result.stdout)) == [("FL002", "app.py", 7)]
    assert result.stderr == ""  # json is one document: nothing on stderr


def test_fixed_finding_is_stale_only_with_report_stale(project):
    project({"app.py": APP})
    write_baseline()
    Path("app.py").write_text(APP.split("\ndef h")[0], encoding="utf-8")  # h and its dead block are gone

    quiet = run_cli("check", "--baseline", "baseline.json")
    assert quiet.exit_code == 0
    assert quiet.stdout == ""
    assert quiet.stderr == "Found 0 findings in 1 file (2 in baseline).\n"

    loud = run_cli("check", "--baseline", "baseline.json", "--report-stale")
    assert loud.exit_code == 1
    assert loud.stdout == ""
    assert loud.stderr == (
        "flaglint: stale baseline entry: app.py FL002 app.ENABLE_X\nFound 0 findings in 1 file (2 in baseline).\n"
    )
    assert run_cli("check", "--baseline", "baseline.json", "--report-stale", "--exit-zero").exit_code == 0

    as_json = run_cli("check", "--format", "json", "--baseline", "baseline.json", "--report-stale")
    assert as_json.exit_code == 1
    assert as_json.stderr == ""  # one document, even with 2>&1
    assert json.loads(as_json.stdout)["summary"]["stale_baseline"] == ["app.py FL002 app.ENABLE_X"]
    as_sarif = run_cli("check", "--format", "sarif", "--baseline", "baseline.json", "--report-stale")
    assert as_sarif.exit_code == 1 and as_sarif.stderr == ""
    notes = json.loads(as_sarif.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [note["message"]["text"] for note in notes] == ["stale baseline entry: app.py FL002 app.ENABLE_X"]

    write_baseline()  # shrink it
    assert run_cli("check", "--baseline", "baseline.json", "--report-stale").exit_code == 0


def test_exit_zero_still_applies_with_a_baseline(project):
    project({"app.py": APP, "other.py": "X = 1\n"})
    write_baseline()
    Path("other.py").write_text(OTHER, encoding="utf-8")
    result = run_cli("check", "--baseline", "baseline.json", "--exit-zero")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


# --------------------------------------------------------------------------- bad files and options


@pytest.mark.parametrize(
    "content, reason",
    [
        pytest.param(None, "file not found", id="missing"),
        pytest.param(
            "{",
            "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)",
            id="invalid-json",
        ),
        pytest.param("", "not valid JSON: Expecting value (line 1, column 1)", id="empty"),
        pytest.param(
            '{"version": 2, "tool": "flaglint", "findings": []}',
            "unsupported version 2 (expected 1)",
            id="wrong-version",
        ),
        pytest.param(
            '{"version": "1", "tool": "flaglint", "findings": []}',
            'unsupported version "1" (expected 1)',
            id="version-string",
        ),
        pytest.param(
            '{"version": true, "tool": "flaglint", "findings": []}',
            "unsupported version true (expected 1)",
            id="version-bool",
        ),
        pytest.param('{"version": 1, "findings": []}', 'not a flaglint baseline ("tool" is null)', id="no-tool"),
        pytest.param("[]", 'expected a JSON object with "version", "tool" and "findings"', id="list"),
        pytest.param('{"version": 1, "tool": "flaglint"}', '"findings" must be a list', id="no-findings"),
        pytest.param(
            '{"version": 1, "tool": "flaglint", "findings": [{"code": "FL001", "path": "a.py"}]}',
            'findings[0]: "fingerprint" must be a non-empty string',
            id="entry-without-fingerprint",
        ),
        pytest.param(
            '{"version": 1, "tool": "flaglint", "findings": [{"fingerprint": "ab", "code": "FL001", "path": "a.py", "flag": 3}]}',
            'findings[0]: "flag" must be a string or null',
            id="entry-bad-flag",
        ),
    ],
)
def test_bad_baseline_is_a_usage_error(project, content, reason):
    project({"app.py": APP})
    if content is not None:
        Path("baseline.json").write_text(content, encoding="utf-8")
    result = run_cli("check", "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"flaglint: error: baseline baseline.json: {reason}\n"


def test_baseline_that_is_a_directory_or_not_utf8(project):
    project({"app.py": APP, "dir/x.txt": ""})
    result = run_cli("check", "--baseline", "dir")
    assert (result.exit_code, result.stderr) == (2, "flaglint: error: baseline dir: is a directory\n")
    Path("latin1.json").write_bytes(b'{"tool": "fl\xe4glint"}')
    result = run_cli("check", "--baseline", "latin1.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("flaglint: error: baseline latin1.json: not UTF-8 text")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--report-stale"], "--report-stale needs --baseline FILE"),
        (
            ["--baseline", "b.json", "--write-baseline", "b.json"],
            "--baseline and --write-baseline cannot be used together",
        ),
    ],
)
def test_meaningless_option_combinations_exit_2(project, args, message):
    project({"app.py": APP})
    result = run_cli("check", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"flaglint: error: {message}\n")
    assert not Path("b.json").exists()


# --------------------------------------------------------------------------- atomic writing


OLD = '{"version": 1, "tool": "flaglint", "findings": []}\n'


def test_failed_rename_keeps_old_baseline_and_leaves_no_temp_file(project, monkeypatch):
    root = project({"app.py": APP, "baseline.json": OLD})
    before = listing(root)

    def refuse(source, destination):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run_cli("check", "--write-baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: baseline baseline.json: cannot write: Permission denied\n"
    assert Path("baseline.json").read_text(encoding="utf-8") == OLD
    assert listing(root) == before


def test_failure_in_the_middle_of_writing_keeps_old_baseline(project, monkeypatch):
    root = project({"app.py": APP, "baseline.json": OLD})
    before = listing(root)
    import flaglint.atomic as atomic

    real_fsync = atomic.os.fsync

    def full_disk(descriptor):  # the temporary file holds half a document by now
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    result = run_cli("check", "--write-baseline", "baseline.json")
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: baseline baseline.json: cannot write: No space left on device\n"
    assert Path("baseline.json").read_text(encoding="utf-8") == OLD
    assert listing(root) == before

    # Not only I/O errors: anything raised half-way leaves the old file alone.
    def crash(descriptor):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(atomic.os, "fsync", crash)
    with pytest.raises(RuntimeError):
        baseline.write("baseline.json", api.check(["."]).findings)
    assert Path("baseline.json").read_text(encoding="utf-8") == OLD
    assert listing(root) == before

    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    write_baseline()
    assert len(json.loads(Path("baseline.json").read_text(encoding="utf-8"))["findings"]) == 3
    assert listing(root) == before


def test_write_into_missing_directory_is_a_usage_error(project):
    root = project({"app.py": APP})
    result = run_cli("check", "--write-baseline", "nowhere/baseline.json")
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: baseline nowhere/baseline.json: cannot write: No such file or directory\n"
    assert listing(root) == ["app.py"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_write_keeps_permissions_and_refuses_symlinks(project):
    root = project({"app.py": APP, "real.json": OLD})
    os.chmod("real.json", 0o640)
    write_baseline("real.json")
    assert stat.S_IMODE(os.stat("real.json").st_mode) == 0o640
    assert len(json.loads(Path("real.json").read_text(encoding="utf-8"))["findings"]) == 3

    os.symlink("real.json", "link.json")  # never written through (tests/test_untrusted_writes.py)
    result = run_cli("check", "--write-baseline", "link.json")
    assert result.exit_code == 2
    assert Path("link.json").is_symlink()

    write_baseline("new.json")  # a new file is not left at the temporary file's 0600
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat("new.json").st_mode) == 0o666 & ~umask
    assert listing(root) == ["app.py", "link.json", "new.json", "real.json"]


# --------------------------------------------------------------------------- library


def _finding(fingerprint: str, line: int = 1) -> Finding:
    return Finding(
        "FL002",
        "dead-gated-code",
        "dead",
        "a.py",
        Span(line, 1, line, 2),
        "a.X",
        context="block",
        fingerprint=fingerprint,
    )


def test_each_entry_absorbs_at_most_one_finding():
    entry = Entry("aaaa", "FL002", "a.py", "a.X", "dead")
    first, second = _finding("aaaa", 1), _finding("aaaa", 9)
    new, matched, stale = Baseline((entry,)).filter([first, second])
    assert (new, matched, stale) == ([second], [first], [])

    new, matched, stale = Baseline((entry, entry, Entry("bbbb", "FL001", "b.py"))).filter([first])
    assert (new, matched) == ([], [first])
    assert stale == [entry, Entry("bbbb", "FL001", "b.py")]


def test_library_round_trip(tmp_path, project):
    project({"app.py": APP})
    findings = api.check(["."]).findings
    assert baseline.write(tmp_path / "b.json", findings) == 3
    loaded = baseline.load(tmp_path / "b.json")
    assert sorted(entry.fingerprint for entry in loaded.entries) == sorted(f.fingerprint for f in findings)
    assert loaded.filter(findings) == ([], list(findings), [])
    with pytest.raises(BaselineError, match="file not found"):
        baseline.load(tmp_path / "nope.json")


def test_summary_line_mentions_the_baseline():
    assert baseline.summary_line("Found 0 findings in 1 file.", 2) == "Found 0 findings in 1 file (2 in baseline)."
    assert (
        baseline.summary_line("Found 1 finding in 2 files (FL001: 1).", 0)
        == "Found 1 finding in 2 files (FL001: 1) (0 in baseline)."
    )

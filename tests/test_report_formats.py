"""The SARIF and GitHub Actions output formats.

Findings come from a real run of ``flaglint.api.check`` on a small project
(the Knight Capital pair, a never-set flag and a file that does not parse);
the SARIF document is validated against the SARIF 2.1.0 schema kept in
tests/data (a copy of the OASIS schema, so CI needs no network) and checked
field by field against the JSON format. Escaping, empty and multi-line spans,
odd paths and limits are checked on hand-made findings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from flaglint import __version__, api
from flaglint.cli import check as check_command
from flaglint.cli import main
from flaglint.facts import Span
from flaglint.findings import Finding, Location, finalise
from flaglint.report import FORMATS, github, json_format, sarif
from flaglint.report.summary import summarise
from flaglint.rules import RULES

from conftest import write_tree

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

PROJECT = {
    "legacy.py": "POWER_PEG = 0x20\n\ndef route(order):\n    if order.flags & POWER_PEG:\n        order.peg()\n",
    "protocol.py": "RLP = 1 << 5\n\ndef mark(order):\n    order.flags |= RLP\n",
    "app.py": "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n",
    # a syntax error every supported Python words and places alike (3.9's
    # parser says neither "'(' was never closed" nor where the bracket opened)
    "bad.py": "def route(order):\n    return = order\n",
}

#: (ruleId, ruleIndex, level, uri, (startLine, startColumn, endLine, endColumn)) per result, in order.
EXPECTED_RESULTS = [
    ("FL001", 1, "warning", "app.py", (1, 1, 1, 9)),
    ("FL002", 2, "warning", "app.py", (5, 9, 5, 12)),
    ("FL000", 0, "error", "bad.py", (2, 12, 2, 13)),  # empty span at the error: one character wide
    ("FL003", 3, "error", "legacy.py", (5, 9, 5, 20)),
    ("FL003", 3, "error", "protocol.py", (1, 1, 1, 4)),
]

EXPECTED_GITHUB = [
    "::warning file=app.py,line=1,endLine=1,col=1,endColumn=9,title=FL001 flag-never-set::"
    "flag ENABLE_X is read in 1 place but never set: every binding is false",
    "::warning file=app.py,line=5,endLine=5,col=9,endColumn=12,title=FL002 dead-gated-code::"
    "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X",
    "::error file=bad.py,line=2,endLine=2,col=12,endColumn=13,title=FL000 parse-error::syntax error: invalid syntax",
    "::error file=legacy.py,line=5,endLine=5,col=9,endColumn=20,title=FL003 flag-reused::"
    "POWER_PEG (0x20) is never set, but RLP reuses bit 0x20 and is set at protocol.py:4: "
    "this code also runs whenever RLP is set",
    "::error file=protocol.py,line=1,endLine=1,col=1,endColumn=4,title=FL003 flag-reused::"
    "RLP reuses bit 0x20 of POWER_PEG, still read at legacy.py:4",
]


# ---------------------------------------------------------------------------
# helpers and fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def validate(schema):
    """validate(document): raise if it is not valid SARIF 2.1.0 (formats checked too)."""
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)

    def run(document):
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
        assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors)

    return run


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The project checked from its own directory: (findings, summary)."""
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, PROJECT)
    result = api.check(["."], cwd=tmp_path)
    return result.findings, summarise(result)


@pytest.fixture
def document(project):
    return json.loads(sarif.render(*project))


def finding(message="flag X is never set", path="app.py", span=Span(3, 5, 3, 9), code="FL001", **extra) -> Finding:
    name = extra.pop("name", RULES[code].name if code in RULES else "odd")
    return finalise([Finding(code, name, message, path, span, **extra)])[0]


def sarif_of(findings, summary=None) -> dict:
    return json.loads(
        sarif.render(findings, summary or {"files": 1, "findings": len(findings), "by_code": {}, "skipped": []})
    )


def region(location) -> tuple:
    place = location["physicalLocation"]["region"]
    return (place["startLine"], place["startColumn"], place["endLine"], place["endColumn"])


def run_cli(*args: str):
    result = CliRunner().invoke(main, list(args), prog_name="flaglint")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"flaglint raised {result.exception!r}\n{result.output}") from result.exception
    return result


# ---------------------------------------------------------------------------
# registration
# ---------------------------------------------------------------------------


def test_formats_are_registered_and_offered_by_the_cli():
    assert FORMATS["sarif"] is sarif.render
    assert FORMATS["github"] is github.render
    choices = next(param for param in check_command.params if param.name == "output_format").type.choices
    assert {"sarif", "github"} <= set(choices)


def test_every_rule_has_a_level():
    # a broken file and a reused bit fail a build; a dormant flag warns
    assert (sarif.LEVELS["FL000"], sarif.LEVELS["FL003"], sarif.LEVELS["FL001"]) == ("error", "error", "warning")
    assert set(sarif.LEVELS.values()) == {"error", "warning"}
    assert set(sarif.LEVELS) == set(RULES), "a new rule needs a level in flaglint/report/sarif.py LEVELS"


# ---------------------------------------------------------------------------
# SARIF: the document
# ---------------------------------------------------------------------------


def test_sarif_validates_against_the_schema(document, validate):
    validate(document)


def test_the_schema_check_catches_invalid_documents(document, validate):
    """The validator is not vacuous: broken copies of a valid document fail."""
    no_message = json.loads(json.dumps(document))
    del no_message["runs"][0]["results"][0]["message"]
    zero_line = json.loads(json.dumps(document))
    zero_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    bad_version = dict(document, version="2.0.0")
    for broken in (no_message, zero_line, bad_version):
        with pytest.raises(AssertionError):
            validate(broken)


def test_sarif_log_run_and_driver(document, tmp_path):
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "flaglint"
    assert driver["version"] == __version__
    assert driver["informationUri"] == "https://github.com/flaglint/flaglint"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(os.getcwd()).as_uri() + "/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_every_rule_is_in_the_driver(document):
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert (
        [rule["id"] for rule in rules]
        == ["FL000", "FL001", "FL002", "FL003", "FL004", "FL005", "FL006", "FL007", "FL008"]
        == list(RULES)
    )
    assert [rule["name"] for rule in rules] == [
        "ParseError",
        "FlagNeverSet",
        "DeadGatedCode",
        "FlagReused",
        "UndeclaredFlag",
        "UnusedFlag",
        "FlagAlwaysOn",
        "FleetConflict",
        "JoinedKeys",
    ]
    for rule in rules:
        source = RULES[rule["id"]]
        assert rule["shortDescription"] == {"text": source.summary}
        assert rule["help"] == {"text": source.documentation(), "markdown": source.documentation()}
        assert rule["helpUri"] == f"https://github.com/flaglint/flaglint/blob/main/docs/rules/{rule['id']}.md"
        assert rule["defaultConfiguration"] == {"level": sarif.LEVELS[rule["id"]]}
        full = rule["fullDescription"]["text"]
        assert 0 < len(full) <= 1000, (rule["id"], len(full))  # GitHub's limit
        assert "##" not in full and "Why is this bad" not in full


def test_full_description_is_the_what_it_does_section(document):
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["FL000"]["fullDescription"]["text"] == (
        "Reports a file flaglint could not analyse: it cannot be read, it is binary, it cannot be decoded "
        "with its declared encoding, or it is not valid Python. The message gives the reason and, when "
        "known, the line."
    )
    # FL003's section is longer than GitHub shows: whole paragraphs are kept, list items on their own line.
    fl003 = rules["FL003"]["fullDescription"]["text"]
    paragraphs = fl003.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0] == "Reports one bit carrying two meanings in one family of flags:"
    items = paragraphs[1].splitlines()
    assert len(items) == 2
    assert items[0].startswith("- two constants with the same single bit, where one name is set somewhere (`order")
    assert items[0].endswith(
        "Reported at each read of the old name (the span is the block it gates) and at the new definition."
    )
    assert items[1].startswith("- a `Flag`/`IntFlag` member given the same value")
    assert paragraphs[2].startswith("Two constants are one family when")
    assert paragraphs[2].endswith("modules such as `stat` hold several unrelated families.")
    assert "Not reuse:" not in fl003


def test_what_it_does_cuts_a_single_long_paragraph_at_a_word():
    text = sarif.what_it_does("# X\n\n## What it does\n" + "word " * 400 + "\n\n## Why is this bad?\nno\n")
    assert len(text) <= 1000
    assert text.endswith("word\u2026")


def test_pascal_case():
    assert sarif.pascal_case("flag-never-set") == "FlagNeverSet"
    assert sarif.pascal_case("parse-error") == "ParseError"
    assert sarif.pascal_case("x") == "X"


# ---------------------------------------------------------------------------
# SARIF: the results
# ---------------------------------------------------------------------------


def test_sarif_results_rules_levels_and_regions(document):
    results = document["runs"][0]["results"]
    actual = [
        (
            result["ruleId"],
            result["ruleIndex"],
            result["level"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            region(result["locations"][0]),
        )
        for result in results
    ]
    assert actual == EXPECTED_RESULTS
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["locations"]) == 1
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"


def test_sarif_matches_the_json_format(project, document):
    findings = json.loads(json_format.render(*project))["findings"]
    results = document["runs"][0]["results"]
    assert len(results) == len(findings) == 5
    for result, expected in zip(results, findings):
        assert result["ruleId"] == expected["code"]
        assert result["message"] == {"text": expected["message"]}
        assert result["partialFingerprints"] == {"flaglint/v1": expected["fingerprint"]}
        assert len(expected["fingerprint"]) == 16
        related = result.get("relatedLocations", [])
        assert len(related) == len(expected["related"])
        for number, (location, source) in enumerate(zip(related, expected["related"]), start=1):
            assert location["id"] == number
            assert location["message"] == {"text": source["note"]}
            assert location["physicalLocation"]["artifactLocation"]["uri"] == source["path"]
            assert region(location) == (source["line"], source["column"], source["end_line"], source["end_column"])


def test_sarif_related_locations_of_the_knight_read(document):
    legacy = document["runs"][0]["results"][3]
    assert legacy["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "legacy.py"
    related = [
        (
            location["id"],
            location["physicalLocation"]["artifactLocation"]["uri"],
            region(location),
            location["message"]["text"],
        )
        for location in legacy["relatedLocations"]
    ]
    assert related == [
        (1, "protocol.py", (1, 1, 1, 4), "RLP defined with the same bit"),
        (2, "protocol.py", (4, 20, 4, 23), "RLP set here"),
        (3, "legacy.py", (1, 1, 1, 10), "POWER_PEG defined here"),
    ]
    assert "relatedLocations" not in document["runs"][0]["results"][2]  # FL000 has none


def test_sarif_without_findings_is_valid_and_lists_every_rule(validate):
    document = sarif_of([])
    validate(document)
    assert document["runs"][0]["results"] == []
    assert [rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]] == list(RULES)


def test_sarif_paths_are_uris(validate, tmp_path):
    outside = (tmp_path / "other dir" / "x.py").as_posix()
    findings = [
        finding(path="src/my module/flags été.py"),
        finding(path="weird#name?%.py"),
        finding(path="a:b.py"),
        finding(path=outside),
    ]
    document = sarif_of(findings)
    validate(document)
    locations = [
        result["locations"][0]["physicalLocation"]["artifactLocation"] for result in document["runs"][0]["results"]
    ]
    assert locations == [
        {"uri": "src/my%20module/flags%20%C3%A9t%C3%A9.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "weird%23name%3F%25.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "a%3Ab.py", "uriBaseId": "%SRCROOT%"},
        {"uri": Path(outside).as_uri()},
    ]
    assert locations[3]["uri"].startswith("file:///") and "other%20dir/x.py" in locations[3]["uri"]


def test_sarif_regions_are_always_valid(validate):
    findings = [
        finding(span=Span(4, 7, 4, 7)),  # empty (FL000 at a position)
        finding(span=Span(5, 9, 8, 3)),  # a multi-line block
        finding(span=Span(2, 1, 2, 1), code="FL000", message="syntax error: x"),
    ]
    document = sarif_of(findings)
    validate(document)
    regions = [region(result["locations"][0]) for result in document["runs"][0]["results"]]
    assert regions == [(4, 7, 4, 8), (5, 9, 8, 3), (2, 1, 2, 2)]


def test_sarif_related_location_without_note_has_no_message(validate):
    related = (Location("app.py", Span(1, 1, 1, 5)), Location("app.py", Span(2, 1, 2, 5), "read here"))
    document = sarif_of([finding(related=related)])
    validate(document)
    locations = document["runs"][0]["results"][0]["relatedLocations"]
    assert [location["id"] for location in locations] == [1, 2]
    assert "message" not in locations[0]
    assert locations[1]["message"] == {"text": "read here"}


def test_sarif_unknown_rule_has_no_rule_index(validate):
    document = sarif_of([finding(code="FL999", name="future-rule")])
    validate(document)
    result = document["runs"][0]["results"][0]
    assert result["ruleId"] == "FL999"
    assert "ruleIndex" not in result
    assert result["level"] == "warning"


def test_sarif_keeps_under_githubs_limits(monkeypatch, validate):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    monkeypatch.setattr(sarif, "MAX_RELATED", 2)
    related = tuple(Location("app.py", Span(line, 1, line, 2), f"read {line}") for line in range(10, 15))
    findings = [finding(span=Span(line, 1, line, 2), related=related) for line in range(1, 6)]
    document = sarif_of(findings)
    validate(document)
    run = document["runs"][0]
    assert [region(result["locations"][0])[0] for result in run["results"]] == [1, 2, 3]
    assert all(len(result["relatedLocations"]) == 2 for result in run["results"])
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and notes[0]["level"] == "error"
    assert notes[0]["message"]["text"].startswith("5 findings, only the first 3 are in this file")


def test_sarif_default_limits_are_githubs():
    assert sarif.MAX_RESULTS == 25_000
    assert sarif.MAX_RELATED <= 1_000
    assert sarif.MAX_DESCRIPTION <= 1_000


def test_sarif_reports_skipped_paths_as_notifications(validate):
    summary = {"files": 0, "findings": 0, "by_code": {}, "skipped": [{"path": "old.py", "reason": "broken symlink"}]}
    document = sarif_of([], summary)
    validate(document)
    assert document["runs"][0]["invocations"] == [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "warning", "message": {"text": "skipped old.py: broken symlink"}}],
        }
    ]


# ---------------------------------------------------------------------------
# GitHub Actions workflow commands
# ---------------------------------------------------------------------------


def test_github_commands_for_the_project(project):
    assert github.render(*project).splitlines() == EXPECTED_GITHUB
    assert github.render(*project).endswith("\n")


def test_github_nothing_for_no_findings():
    assert github.render([], {"files": 0, "findings": 0, "by_code": {}, "skipped": []}) == ""


def test_github_multi_line_span_has_no_columns():
    # GitHub accepts col/endColumn only when line == endLine.
    line = github.command(finding(code="FL002", span=Span(5, 9, 7, 12), message="dead"))
    assert line == "::warning file=app.py,line=5,endLine=7,title=FL002 dead-gated-code::dead"


def test_github_escapes_data_and_properties():
    odd = finding(
        code="FL003",
        name="flag-reused",
        message="100% sure:\nline two, again\r\nend",
        path="dir:a/b,c%d.py",
        span=Span(2, 3, 2, 8),
    )
    assert github.command(odd) == (
        "::error file=dir%3Aa/b%2Cc%25d.py,line=2,endLine=2,col=3,endColumn=8,title=FL003 flag-reused::"
        "100%25 sure:%0Aline two, again%0D%0Aend"
    )
    assert github.escape_data("a%0A\n") == "a%250A%0A"  # % first, so an existing %0A is not a newline
    assert github.escape_property("t: a,b\n%") == "t%3A a%2Cb%0A%25"


def test_github_title_is_escaped():
    line = github.command(finding(code="FL001", name="odd:name,x", message="m"))
    assert ",title=FL001 odd%3Aname%2Cx::m" in line
    assert line.startswith("::warning file=app.py,line=3,endLine=3,col=5,endColumn=9,")


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------


def test_cli_sarif(tmp_path, monkeypatch, validate):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, PROJECT)
    result = run_cli("check", "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)  # the whole of stdout is the document
    validate(document)
    assert [r["ruleId"] for r in document["runs"][0]["results"]] == [row[0] for row in EXPECTED_RESULTS]
    assert result.stderr == ""  # sarif is one document: nothing on stderr


def test_cli_sarif_clean_project(tmp_path, monkeypatch, validate):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"app.py": "ENABLED = True\nif ENABLED:\n    g()\n"})
    result = run_cli("check", "--format", "sarif", ".")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    validate(document)
    assert document["runs"][0]["results"] == []


def test_cli_github(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, PROJECT)
    result = run_cli("check", "--format", "github", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == EXPECTED_GITHUB
    assert result.stderr == "Found 5 findings in 4 files (FL000: 1, FL001: 1, FL002: 1, FL003: 2).\n"


def test_cli_github_exit_zero_and_clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, PROJECT)
    assert run_cli("check", "--format", "github", "--exit-zero").exit_code == 0
    clean = tmp_path / "clean"
    write_tree(clean, {"app.py": "ENABLED = True\nif ENABLED:\n    g()\n"})
    result = run_cli("check", "--format", "github", "clean")
    assert result.exit_code == 0
    assert result.stdout == ""

"""FL008: keys of a collection joined by a missing comma, and strings joined
on purpose that must not be reported (issue 20, item 5)."""

from __future__ import annotations

import pytest

from tests.conftest import found

MUST = [
    pytest.param(
        'FEATURES = {\n    "org:a": True,\n    "org:b": False,\n    "org:c"\n    "org:d": False,\n}\n',
        [("FL008", "app.py", 4, "org:corg:d")],
        id="dict-shared-head",
    ),
    pytest.param(
        'ENABLED = [\n    "auth:register",\n    "organizations:x",\n    "organizations:y",\n    "projects:p",\n'
        '    "projects:q",\n    "organizations:z" "projects:r",\n]\n',
        [("FL008", "app.py", 7, "organizations:zprojects:r")],
        id="list-heads-of-two-kinds",
    ),
    pytest.param(
        'FLAGS = ("FEATURE_A", "FEATURE_B", "FEATURE_C" "FEATURE_D")\n',
        [("FL008", "app.py", 1, "FEATURE_CFEATURE_D")],
        id="tuple-shared-prefix",
    ),
    pytest.param(
        'DEFAULTS = {"ALERT_REPORTS": True, "EMBEDDED_CHARTS": False, "DRILL_DOWN" "LEGACY_EXPORT": False}\n',
        [("FL008", "app.py", 1, "DRILL_DOWNLEGACY_EXPORT")],
        id="dict-of-bools-upper-snake",
    ),
    pytest.param(
        'KEYS = {"app.one", "app.two", "app.three" "app.four" "app.five"}\n',
        [("FL008", "app.py", 1, "app.threeapp.fourapp.five")],
        id="set-three-parts",
    ),
]

MUST_NOT = [
    pytest.param('F = ["org:a", "org:b", "org:performance-" "issues"]\n', id="part-ends-in-separator"),
    pytest.param('F = ["org:a", "org:b", "org:c" ":d"]\n', id="part-starts-with-separator"),
    pytest.param('F = ["org:a", "org:b", "org:c" "detector"]\n', id="part-not-key-shaped"),
    pytest.param('F = ["org:a", "org:b", "org:c" "other:d"]\n', id="head-no-sibling-has"),
    pytest.param('F = ("disabled", "enabled", "This feature is " "not available")\n', id="message"),
    pytest.param('F = ["org:a", "org:b" "org:c"]\n', id="one-sibling-only"),
    pytest.param('F = ["org:a", "org:b", f"org:{x}" "org:c"]\n', id="f-string-part"),
    pytest.param('F = [b"org:a", b"org:b", b"org:c" b"org:d"]\n', id="bytes"),
    pytest.param(
        'D = {"ALERT_REPORTS": 1, "EMBEDDED_CHARTS": 2, "DRILL_DOWN" "LEGACY_EXPORT": 3}\n', id="upper-not-bools"
    ),
    pytest.param('F = ["org:a", "org:b", "org:c", "org:d"]\n', id="commas-in-place"),
    pytest.param('call("org:a", "org:b", "org:c" "org:d")\n', id="call-arguments-not-a-collection"),
    pytest.param('F = ["a b", "org:b", "org:c" "org:d"]\n', id="sibling-not-key-shaped"),
]


@pytest.mark.parametrize("source,expected", MUST)
def test_joined_keys_are_reported(lint, source, expected):
    findings = [finding for finding in lint({"app.py": source}) if finding.code == "FL008"]
    assert found(findings) == expected
    assert findings[0].message.endswith("two keys joined by a missing comma?")


@pytest.mark.parametrize("source", MUST_NOT)
def test_strings_joined_on_purpose_are_not_reported(lint, source):
    assert [finding for finding in lint({"app.py": source}) if finding.code == "FL008"] == []


def test_joined_key_message_names_the_parts(lint):
    (finding,) = lint({"app.py": 'F = ["org:a", "org:b", "org:c"\n     "org:d"]\n'}, select=("FL008",))
    assert finding.message == "'org:c' 'org:d' is one key, 'org:corg:d': two keys joined by a missing comma?"
    assert (finding.span.line, finding.span.column, finding.span.end_line) == (1, 24, 2)

"""SARIF 2.1.0, one run, for GitHub code scanning and other SARIF viewers (see docs/ci.md).

Every rule is described in ``tool.driver.rules`` (not only those with
findings); each finding is a result with its rule, level, message, region,
related locations and flaglint's fingerprint. Relative paths are given
against ``%SRCROOT%``, the working directory. GitHub code scanning's
documented limits (25,000 results per run, 1,000 locations per result,
1,024 characters in a rule description) are kept: what does not fit is cut
and said so in a tool execution notification.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import List, Optional, Sequence
from urllib.parse import quote

from .. import __version__
from ..facts import Span
from ..findings import Finding
from ..rules import RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/flaglint/flaglint"
RULE_DOC_URI = INFORMATION_URI + "/blob/main/docs/rules/{code}.md"
SRCROOT = "%SRCROOT%"

#: Severity of each rule, shared with the GitHub Actions format. A rule
#: missing here reports as a warning (SARIF's own default).
LEVELS = {
    "FL000": "error",
    "FL001": "warning",
    "FL002": "warning",
    "FL003": "error",
    "FL004": "error",
    "FL005": "warning",
    "FL006": "warning",
    "FL007": "error",
    "FL008": "error",
}

#: GitHub code scanning rejects a run with more results, and a result with
#: more locations; it shows at most 1,000 characters of a full description.
MAX_RESULTS = 25_000
MAX_RELATED = 1_000
MAX_DESCRIPTION = 1_000

_SECTION = re.compile(r"^## What it does[ \t]*\n(.*?)(?=^## |\Z)", re.M | re.S)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")


def level(code: str) -> str:
    """``error`` or ``warning``: how serious a finding of rule ``code`` is."""
    return LEVELS.get(code, "warning")


def render(findings: Sequence[Finding], summary: dict) -> str:
    rules = list(RULES.values())
    index = {rule.code: position for position, rule in enumerate(rules)}
    notifications = [
        _notification("warning", f"skipped {item['path']}: {item['reason']}") for item in summary.get("skipped", ())
    ]
    notifications += [
        _notification("warning", f"stale baseline entry: {entry}") for entry in summary.get("stale_baseline", ())
    ]
    if len(findings) > MAX_RESULTS:
        notifications.append(
            _notification(
                "error",
                f"{len(findings)} findings, only the first {MAX_RESULTS} are in this file "
                "(GitHub code scanning rejects more); use --select or the text or JSON format to see all",
            )
        )
    run = {
        "tool": {
            "driver": {
                "name": "flaglint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "invocations": [_invocation(notifications)],
        "originalUriBaseIds": {
            SRCROOT: {
                "uri": _directory_uri(os.getcwd()),
                "description": {"text": "The directory flaglint ran in; relative paths start there."},
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index.get(finding.code)) for finding in findings[:MAX_RESULTS]],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def pascal_case(name: str) -> str:
    """``flag-never-set`` -> ``FlagNeverSet``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def what_it_does(documentation: str) -> str:
    """The "What it does" section as plain paragraphs, at most MAX_DESCRIPTION characters.

    Lines wrapped in the source are joined (list items keep their own line);
    whole paragraphs are kept while they fit."""
    match = _SECTION.search(documentation)
    body = match.group(1) if match else documentation
    paragraphs = [_unwrap(block) for block in re.split(r"\n[ \t]*\n", body.strip()) if block.strip()]
    kept: List[str] = []
    for paragraph in paragraphs:
        if len("\n\n".join(kept + [paragraph])) > MAX_DESCRIPTION:
            break
        kept.append(paragraph)
    if not kept:  # the first paragraph alone is too long: cut it at a word
        cut = paragraphs[0][: MAX_DESCRIPTION - 1]
        kept = [(cut.rsplit(" ", 1)[0] if " " in cut else cut) + "\u2026"]
    return "\n\n".join(kept)


def _unwrap(block: str) -> str:
    lines: List[str] = []
    for line in block.splitlines():
        stripped = line.strip()
        if lines and not _LIST_ITEM.match(stripped):
            lines[-1] += " " + stripped
        else:
            lines.append(stripped)
    return "\n".join(lines)


def _rule(rule) -> dict:
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what_it_does(documentation)},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": RULE_DOC_URI.format(code=rule.code),
        "defaultConfiguration": {"level": level(rule.code)},
    }


def _result(finding: Finding, rule_index: Optional[int]) -> dict:
    result: dict = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = level(finding.code)
    result["message"] = {"text": finding.message}
    result["locations"] = [{"physicalLocation": _physical(finding.path, finding.span)}]
    if finding.fingerprint:
        result["partialFingerprints"] = {"flaglint/v1": finding.fingerprint}
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": _physical(location.path, location.span),
                **({"message": {"text": location.note}} if location.note else {}),
            }
            for number, location in enumerate(finding.related[:MAX_RELATED], start=1)
        ]
    return result


def _physical(path: str, span: Span) -> dict:
    return {"artifactLocation": _artifact(path), "region": region(span)}


def region(span: Span) -> dict:
    """A SARIF region: 1-based, end column exclusive, as flaglint's spans.

    An empty span (FL000 at the error position) becomes one character wide,
    so viewers have something to underline."""
    end_line = max(span.end_line, span.line)
    end_column = span.end_column
    if (end_line, end_column) <= (span.line, span.column):
        end_line, end_column = span.line, span.column + 1
    return {"startLine": span.line, "startColumn": span.column, "endLine": end_line, "endColumn": end_column}


def _artifact(path: str) -> dict:
    native = Path(path)
    if native.is_absolute():  # outside the working directory
        return {"uri": native.as_uri()}
    # a name that is not UTF-8 (its bytes kept as surrogate escapes) is
    # percent-encoded byte for byte: the URI names the very file
    return {"uri": quote(path, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _directory_uri(directory: str) -> str:
    uri = Path(directory).as_uri()  # as found, like the paths relative to it
    return uri if uri.endswith("/") else uri + "/"


def _invocation(notifications: List[dict]) -> dict:
    invocation: dict = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(severity: str, text: str) -> dict:
    return {"level": severity, "message": {"text": text}}

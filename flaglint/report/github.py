"""GitHub Actions workflow commands: one ``::error`` or ``::warning`` line per finding.

GitHub turns each line into an annotation on the file and line, shown in the
run summary and on the pull request's diff (see docs/ci.md). Values are
escaped as the Actions toolkit escapes them; columns are given only for a
single-line span, since GitHub accepts them only when ``line`` equals
``endLine``.
"""

from __future__ import annotations

from typing import Sequence

from ..findings import Finding
from .sarif import level, region


def render(findings: Sequence[Finding], summary: dict) -> str:
    return "".join(command(finding) + "\n" for finding in findings)


def command(finding: Finding) -> str:
    place = region(finding.span)
    properties = [("file", finding.path), ("line", place["startLine"]), ("endLine", place["endLine"])]
    if place["startLine"] == place["endLine"]:
        properties += [("col", place["startColumn"]), ("endColumn", place["endColumn"])]
    properties.append(("title", f"{finding.code} {finding.name}"))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{level(finding.code)} {joined}::{escape_data(finding.message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

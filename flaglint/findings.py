"""Findings: immutable values, sorted and de-duplicated in one place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Iterable, List, Optional, Tuple

from .facts import Span


@dataclass(frozen=True)
class Location:
    """Another place a finding points to: the definition, the setter, ..."""

    path: str
    span: Span
    note: str = ""

    def to_dict(self) -> dict:
        return {"path": self.path, **_span_dict(self.span), "note": self.note}


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    path: str
    span: Span
    flag: Optional[str] = None
    related: Tuple[Location, ...] = ()
    #: what the finding is about, independent of line numbers (e.g. "read in
    #: route()"), so the fingerprint survives unrelated lines moving
    context: str = ""
    fingerprint: str = field(default="", compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    def sort_key(self):
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "path": self.path,
            **_span_dict(self.span),
            "flag": self.flag,
            "fingerprint": self.fingerprint,
            "related": [location.to_dict() for location in self.related],
        }


def _span_dict(span: Span) -> dict:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def finalise(findings: Iterable[Finding]) -> List[Finding]:
    """Sort, drop exact duplicates, and give each finding its fingerprint.

    The fingerprint hashes what the finding is about (code, path, flag,
    context), not where: identical ones are told apart by their order.
    """
    unique = sorted(set(findings), key=Finding.sort_key)
    seen: dict = {}
    result = []
    for finding in unique:
        identity = (finding.code, finding.path, finding.flag or "", finding.context)
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        text = "\0".join(map(str, (*identity, occurrence)))
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[
            :16
        ]  # a path may hold non-UTF-8 bytes
        result.append(replace(finding, fingerprint=digest))
    return result

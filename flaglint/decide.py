"""The one place that decides which findings a user sees.

Rules report everything they find; selection (``--select``/``--ignore``,
longest prefix wins as in flake8), per-file ignores and inline suppression
comments are applied here, after the rules, so no rule repeats that logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

import pathspec

from .facts import FileFacts
from .findings import Finding


@dataclass(frozen=True)
class Selection:
    select: Tuple[str, ...] = ("FL",)
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()

    def wants(self, code: str) -> bool:
        return _wants(self.select, self.ignore, code)


@lru_cache(maxsize=None)
def _wants(select: Tuple[str, ...], ignore: Tuple[str, ...], code: str) -> bool:
    """Longest matching prefix decides; a tie goes to select."""
    selected = max((len(prefix) for prefix in select if code.startswith(prefix)), default=-1)
    ignored = max((len(prefix) for prefix in ignore if code.startswith(prefix)), default=-1)
    return selected >= 0 and selected >= ignored


#: path -> line -> the codes a suppression comment there names (none: all)
Suppressions = Mapping[str, Mapping[int, Sequence[str]]]


def decide(findings: Iterable[Finding], files: Dict[str, FileFacts], selection: Selection) -> List[Finding]:
    suppressed = {path: dict(facts.suppressions) for path, facts in files.items() if facts.suppressions}
    return decide_suppressed(findings, suppressed, selection)


def decide_suppressed(findings: Iterable[Finding], suppressed: Suppressions, selection: Selection) -> List[Finding]:
    """:func:`decide` given only the suppression comments, by path: all it
    needs of the facts, so a run answered by the memo loads none."""
    per_file = [(pathspec.GitIgnoreSpec.from_lines([pattern]), codes) for pattern, codes in selection.per_file_ignores]
    return [
        finding
        for finding in findings
        if selection.wants(finding.code)
        and not _suppressed(finding, suppressed.get(finding.path, {}))
        and not _ignored_for_file(finding, per_file)
    ]


def _suppressed(finding: Finding, comments: Mapping[int, Sequence[str]]) -> bool:
    codes = comments.get(finding.span.line)
    return codes is not None and (not codes or any(finding.code.startswith(code) for code in codes))


def _ignored_for_file(finding: Finding, per_file) -> bool:
    return any(
        spec.match_file(finding.path) and any(finding.code.startswith(code) for code in codes)
        for spec, codes in per_file
    )

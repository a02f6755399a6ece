"""A baseline: the findings a project has accepted for now.

``write(path, findings)`` records findings in a sorted, diff-friendly JSON
file; ``load(path).filter(findings)`` splits a later run's findings into the
new ones, the ones the baseline already knows, and the baseline entries that
no longer match anything (stale). Matching is on ``Finding.fingerprint`` only,
which does not depend on line numbers, and each entry absorbs at most one
finding.

The file::

    {
      "version": 1,
      "tool": "flaglint",
      "findings": [
        {"fingerprint": ..., "code": ..., "path": ..., "flag": ..., "message": ...},
        ...
      ]
    }

with one key per line (indent 2), entries sorted by path, code, fingerprint,
and a trailing newline, so adding a finding adds a few lines to a diff.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from .atomic import write_atomic
from .findings import Finding

VERSION = 1
TOOL = "flaglint"

PathLike = Union[str, "os.PathLike[str]"]


class BaselineError(Exception):
    """A baseline file that cannot be read, parsed or written."""


@dataclass(frozen=True)
class Entry:
    """One recorded finding."""

    fingerprint: str
    code: str
    path: str
    flag: Optional[str] = None
    message: str = ""

    @classmethod
    def from_finding(cls, finding: Finding) -> "Entry":
        return cls(finding.fingerprint, finding.code, finding.path, finding.flag, finding.message)

    def sort_key(self):
        return (self.path, self.code, self.fingerprint)

    def to_dict(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "code": self.code,
            "path": self.path,
            "flag": self.flag,
            "message": self.message,
        }

    def describe(self) -> str:
        """``path code flag``, as the stale report shows it."""
        return " ".join(part for part in (self.path, self.code, self.flag) if part)


@dataclass(frozen=True)
class Baseline:
    entries: Tuple[Entry, ...] = ()

    def filter(self, findings: Iterable[Finding]) -> Tuple[List[Finding], List[Finding], List[Entry]]:
        """``(new, matched, stale)``: findings not in the baseline, findings it
        absorbed, and entries that matched no finding (in file order)."""
        available = Counter(entry.fingerprint for entry in self.entries)
        new: List[Finding] = []
        matched: List[Finding] = []
        for finding in findings:
            if available[finding.fingerprint] > 0:
                available[finding.fingerprint] -= 1
                matched.append(finding)
            else:
                new.append(finding)
        stale: List[Entry] = []
        for entry in reversed(self.entries):  # the last duplicates are the unmatched ones
            if available[entry.fingerprint] > 0:
                available[entry.fingerprint] -= 1
                stale.append(entry)
        stale.reverse()
        return new, matched, stale


def _document(entries: Sequence[Entry]) -> dict:
    return {"version": VERSION, "tool": TOOL, "findings": [entry.to_dict() for entry in entries]}


def write(path: PathLike, findings: Iterable[Finding]) -> int:
    """Record ``findings`` at ``path`` atomically; returns how many were recorded.

    The text goes to a temporary file in the same directory, which is flushed,
    synced and then renamed over ``path``: a reader sees the old file or the
    new one, never half of one. On any error the temporary file is removed and
    the old file is left as it was; an ``OSError`` becomes ``BaselineError``.
    """
    entries = sorted((Entry.from_finding(finding) for finding in findings), key=Entry.sort_key)
    data = (json.dumps(_document(entries), indent=2, ensure_ascii=True) + "\n").encode("ascii")
    try:
        write_atomic(path, data)
    except OSError as error:
        raise BaselineError(f"baseline {path}: cannot write: {_reason(error)}") from error
    return len(entries)


def load(path: PathLike) -> Baseline:
    """Read a baseline file; ``BaselineError`` says what is wrong with a bad one."""
    prefix = f"baseline {path}"
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise BaselineError(f"{prefix}: file not found") from None
    except IsADirectoryError:
        raise BaselineError(f"{prefix}: is a directory") from None
    except UnicodeDecodeError as error:
        raise BaselineError(f"{prefix}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise BaselineError(f"{prefix}: cannot read: {_reason(error)}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{prefix}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise BaselineError(f"{prefix}: not valid JSON: nested too deeply") from None
    return Baseline(_parse(document, prefix))


def _parse(document, prefix: str) -> Tuple[Entry, ...]:
    if not isinstance(document, dict):
        raise BaselineError(f'{prefix}: expected a JSON object with "version", "tool" and "findings"')
    if document.get("tool") != TOOL:
        raise BaselineError(f'{prefix}: not a flaglint baseline ("tool" is {json.dumps(document.get("tool"))})')
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise BaselineError(f"{prefix}: unsupported version {json.dumps(version)} (expected {VERSION})")
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f'{prefix}: "findings" must be a list')
    return tuple(_entry(item, index, prefix) for index, item in enumerate(findings))


def _entry(item, index: int, prefix: str) -> Entry:
    where = f"{prefix}: findings[{index}]"
    if not isinstance(item, dict):
        raise BaselineError(f"{where}: expected an object")
    for key in ("fingerprint", "code", "path"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise BaselineError(f'{where}: "{key}" must be a non-empty string')
    flag = item.get("flag")
    if flag is not None and not isinstance(flag, str):
        raise BaselineError(f'{where}: "flag" must be a string or null')
    message = item.get("message", "")
    if not isinstance(message, str):
        raise BaselineError(f'{where}: "message" must be a string')
    return Entry(item["fingerprint"], item["code"], item["path"], flag, message)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def summary_line(line: str, matched: int) -> str:
    """The summary line, saying how many findings the baseline hid:
    ``Found 1 finding in 3 files (FL002: 1) (4 in baseline).``"""
    head = line[:-1] if line.endswith(".") else line
    return f"{head} ({matched} in baseline)."


def check_options(baseline: Optional[str], write_baseline: Optional[str], report_stale: bool) -> None:
    """Reject combinations of the command line's baseline options that mean nothing."""
    if baseline is not None and write_baseline is not None:
        raise BaselineError("--baseline and --write-baseline cannot be used together")
    if report_stale and baseline is None:
        raise BaselineError("--report-stale needs --baseline FILE")

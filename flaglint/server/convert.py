"""Findings and edits as LSP values (lsprotocol types).

A finding's span counts lines and columns from 1 in code points; LSP counts
from 0 in UTF-16 code units (the protocol's default encoding), so a column
after a non-ASCII character is converted with the line's text. Severity is
that of ``--format github`` and SARIF (:func:`flaglint.report.sarif.level`);
each diagnostic links its rule's page (``codeDescription``) and names the
other places the finding points to (``relatedInformation``: the setter, the
definition, the other readers). Messages name keys and paths from the
repository, and a terminal editor shows them: control characters are
escaped (:mod:`flaglint.printable`). FL002 spans are code that can never run, so
they carry ``DiagnosticTag.Unnecessary`` and editors grey them out.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Callable, List, Optional

from lsprotocol import types

from ..facts import Span
from ..findings import Finding
from ..printable import printable
from ..report.sarif import RULE_DOC_URI, level
from .edits import Edit

#: display path and 1-based line -> that line's text ("" when unknown)
LineText = Callable[[str, int], str]
#: display path -> the file's URI
ToUri = Callable[[str], str]

SOURCE = "flaglint"
#: rules whose span is code that can never run
UNNECESSARY = frozenset({"FL002"})
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


def rule_docs() -> str:
    """Where each rule's page is, ``{code}`` standing for the code: the
    package's ``Rule docs`` URL (pyproject.toml's ``[project.urls]``), else
    the one SARIF links."""
    try:
        for entry in metadata.metadata("flaglint").get_all("Project-URL") or ():
            label, _, url = entry.partition(",")
            if label.strip() == "Rule docs" and "{code}" in url:
                return url.strip()
    except metadata.PackageNotFoundError:
        pass
    return RULE_DOC_URI


def utf16_column(text: str, column: int) -> int:
    """The UTF-16 offset of 0-based code point ``column`` in ``text``."""
    head = text[:column]
    if head.isascii():
        return column
    return len(head.encode("utf-16-le", "surrogatepass")) // 2 + max(0, column - len(head))


def code_point_column(text: str, character: int) -> int:
    """The 0-based code point column of UTF-16 offset ``character`` in ``text``."""
    if text.isascii():
        return character
    units = 0
    for index, char in enumerate(text):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) + max(0, character - units)


def span_range(span: Span, display: str, line_text: LineText) -> types.Range:
    start_line, end_line = max(0, span.line - 1), max(0, span.end_line - 1)
    return types.Range(
        start=types.Position(line=start_line, character=utf16_column(line_text(display, span.line), span.column - 1)),
        end=types.Position(
            line=end_line, character=utf16_column(line_text(display, span.end_line), span.end_column - 1)
        ),
    )


def diagnostic(finding: Finding, to_uri: ToUri, line_text: LineText, docs: str) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=to_uri(place.path), range=span_range(place.span, place.path, line_text)),
            message=printable(place.note or "related"),
        )
        for place in finding.related
    ]
    return types.Diagnostic(
        range=span_range(finding.span, finding.path, line_text),
        message=printable(finding.message),
        severity=_SEVERITY[level(finding.code)],
        code=finding.code,
        code_description=types.CodeDescription(href=docs.replace("{code}", finding.code)),
        source=SOURCE,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if finding.code in UNNECESSARY else None,
        data={"flag": finding.flag} if finding.flag else None,
    )


def text_edit(edit: Edit, lines: List[str]) -> types.TextEdit:
    """An :data:`~flaglint.server.edits.Edit` of a text split into ``lines``."""
    (start_line, start_column), (end_line, end_column), new = edit

    def position(line: int, column: int) -> types.Position:
        text = lines[line] if line < len(lines) else ""
        return types.Position(line=line, character=utf16_column(text, column))

    return types.TextEdit(
        range=types.Range(position(start_line, start_column), position(end_line, end_column)), new_text=new
    )


def uri_of(root: Path) -> ToUri:
    """Display paths (relative to ``root``, or absolute) as file URIs."""
    return lambda display: (Path(display) if Path(display).is_absolute() else root / display).as_uri()


def first_flag(item: types.Diagnostic) -> Optional[str]:
    """The flag a diagnostic of ours is about (its ``data``), if any."""
    data = item.data
    flag = data.get("flag") if isinstance(data, dict) else None
    return flag if isinstance(flag, str) else None

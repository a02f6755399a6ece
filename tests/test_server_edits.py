"""The server's edits as plain data (flaglint/server/edits.py) and their LSP
positions (flaglint/server/convert.py): exact edits, and none where a
comment cannot go."""

from __future__ import annotations

import pytest

from flaglint.server.edits import line_edits, suppression


def _apply(text: str, edit) -> str:
    (line, column), (end_line, end_column), new = edit
    lines = text.splitlines(keepends=True)
    start = sum(len(item) for item in lines[:line]) + column
    end = sum(len(item) for item in lines[:end_line]) + end_column
    return text[:start] + new + text[end:]


@pytest.mark.parametrize(
    ("text", "line", "code", "after"),
    [
        ("X = False\n", 1, "FL001", "X = False  # flaglint: ignore[FL001]\n"),
        ("X = False   \n", 1, "FL001", "X = False  # flaglint: ignore[FL001]\n"),
        ("X = False  # flaglint: ignore[FL002]\n", 1, "FL001", "X = False  # flaglint: ignore[FL002,FL001]\n"),
        ("X = False  # noqa: FL002\n", 1, "FL001", "X = False  # noqa: FL002,FL001\n"),
        ("X = False  # noqa: E501\n", 1, "FL001", "X = False  # noqa: E501  # flaglint: ignore[FL001]\n"),
        ("if X:\n    run()\r\n", 2, "FL002", "if X:\n    run()  # flaglint: ignore[FL002]\r\n"),
        ("X = False", 1, "FL001", "X = False  # flaglint: ignore[FL001]"),
        ("é = 'ü'\n", 1, "FL001", "é = 'ü'  # flaglint: ignore[FL001]\n"),
    ],
)
def test_the_suppression_comment_is_added_or_extended(text, line, code, after):
    edit = suppression(text, line, code)
    assert edit is not None
    assert _apply(text, edit) == after


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("X = False  # flaglint: ignore\n", 1),  # every code already
        ("X = False  # flaglint: ignore[]\n", 1),
        ("X = False  # noqa\n", 1),
        ("X = False  # flaglint: ignore[FL001]\n", 1),  # this one already
        ("X = False  # noqa: FL00\n", 1),  # as a prefix
        ('X = """\nstill a string\n"""\n', 1),  # the line ends inside a string
        ('X = """\nstill a string\n"""\n', 2),
        ("X = (\n", 1),  # does not tokenize
        ("X = 1\n", 0),
        ("X = 1\n", 2),
    ],
)
def test_no_suppression_edit_where_it_is_not_needed_or_cannot_go(text, line):
    assert suppression(text, line, "FL001") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\nb\nc\n", "a\nc\n"),
        ("a\nb\nc\n", ""),
        ("a\nb\nc", "a\nb\nC"),
        ("a\nb\nc", "a\nb"),
        ("", "x\n"),
        ("a\r\nb\r\n", "b\r\n"),
        ("keep\ngone\nkeep\ngone too\nkeep\n", "keep\nkeep\nkeep\n"),
    ],
)
def test_line_edits_turn_the_old_text_into_the_new(old, new):
    text = old
    for edit in reversed(line_edits(old, new)):  # last first: positions stay valid
        text = _apply(text, edit)
    assert text == new


def test_line_edits_are_one_per_run_of_changed_lines():
    assert line_edits("keep\ngone\nkeep\ngone too\nkeep\n", "keep\nkeep\nkeep\n") == [
        ((1, 0), (2, 0), ""),
        ((3, 0), (4, 0), ""),
    ]
    assert line_edits("same\n", "same\n") == []


def test_columns_are_converted_to_utf16_and_back():
    convert = pytest.importorskip("flaglint.server.convert", reason="lsprotocol comes with the server extra")
    line = "é = '😀' and X"
    assert convert.utf16_column(line, 0) == 0
    assert convert.utf16_column(line, 5) == 5
    assert convert.utf16_column(line, 6) == 7  # after the emoji: two UTF-16 units
    assert convert.utf16_column(line, len(line)) == len(line) + 1
    assert [
        convert.code_point_column(line, convert.utf16_column(line, column)) for column in range(len(line) + 1)
    ] == list(range(len(line) + 1))
    assert convert.utf16_column("abc", 3) == 3


def test_a_diagnostic_escapes_control_characters_and_counts_utf16_columns():
    convert = pytest.importorskip("flaglint.server.convert", reason="lsprotocol comes with the server extra")
    from flaglint.facts import Span
    from flaglint.findings import Finding, Location

    finding = Finding(
        "FL001",
        "flag-never-set",
        "flag env:A\x1b[31mB is read but never set",
        "app.py",
        Span(1, 12, 1, 15),
        flag="env:A\x1b[31mB",
        related=(Location("app.py", Span(1, 1, 1, 2), "read\x07here"),),
    )
    lines = {("app.py", 1): "é = 1; x = 😀X"}
    item = convert.diagnostic(
        finding, lambda path: f"file:///p/{path}", lambda path, line: lines.get((path, line), ""), "u/{code}"
    )
    assert item.message == "flag env:A\\x1b[31mB is read but never set"
    assert item.related_information[0].message == "read\\x07here"
    assert (item.range.start.character, item.range.end.character) == (11, 15)  # the emoji is two UTF-16 units
    assert item.code_description.href == "u/FL001"
    assert item.tags is None  # only FL002 is unnecessary code

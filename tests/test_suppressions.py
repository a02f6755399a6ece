"""Suppression comments are read from real comments, never from string
literals that happen to contain ``# noqa`` (issue 15, defect 3)."""

from __future__ import annotations

import pytest

from flaglint.extract.suppressions import find_suppressions


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param('ENABLE_X = False; HELP = "use # noqa to silence"\n', (), id="noqa-in-a-string"),
        pytest.param("X = '# flaglint: ignore[FL001]'\n", (), id="flaglint-marker-in-a-string"),
        pytest.param("X = b'# noqa: FL001'\n", (), id="in-bytes"),
        pytest.param('X = """first\n# noqa: FL001\nlast"""\nY = 1\n', (), id="in-a-multi-line-string"),
        pytest.param("X = f'{y} # noqa: FL001'\n", (), id="in-an-f-string"),
        pytest.param("X = f'{y!r:>{w}} # noqa' f\"{'#'}\"\n", (), id="f-string-with-nested-fields"),
        pytest.param('X = "a # b"  # noqa: FL001\n', ((1, ("FL001",)),), id="real-comment-after-a-string-with-hash"),
        pytest.param(
            'X = "# noqa"  # flaglint: ignore[FL002]\n', ((1, ("FL002",)),), id="string-marker-then-real-comment"
        ),
        pytest.param('X = """\n# noqa\n"""  # noqa: FL001\n', ((3, ("FL001",)),), id="comment-after-a-multi-line-string"),
        pytest.param("x = (\n    1,  # noqa: FL001\n)\n", ((2, ("FL001",)),), id="comment-inside-brackets"),
        pytest.param("# noqa\nX = 1\n", ((1, ()),), id="comment-line"),
        pytest.param("X = 1  # noqa: E501\n", (), id="other-tools-code"),
        pytest.param("X = 1\r\nY = 2  # NOQA:fl001\r\n", ((2, ("FL001",)),), id="crlf"),
        pytest.param("X = 1  # noqa: FL001", ((1, ("FL001",)),), id="no-final-newline"),
        pytest.param('X = "a\u2028b"\nY = 1  # noqa: FL001\n', ((2, ("FL001",)),), id="u2028-in-a-string"),
        pytest.param("import os\n\x0c\nY = 1  # noqa: FL001\n", ((3, ("FL001",)),), id="form-feed-line"),
    ],
)
def test_only_real_comments_suppress(source, expected):
    assert find_suppressions(source) == expected


def test_text_tokenize_cannot_read_falls_back_to_lines():
    """Valid for libcst but not for this Python's tokenizer: suppressions are
    still honoured line by line rather than lost."""
    source = "X = (1  # noqa: FL001\n"  # an unclosed bracket: tokenize gives up at the end
    assert find_suppressions(source) == ((1, ("FL001",)),)


def test_a_noqa_in_a_string_no_longer_hides_fl001(lint):
    findings = lint({"app.py": 'ENABLE_X = False; HELP = "use # noqa to silence"\n\nif ENABLE_X:\n    run()\n'})
    assert [(f.code, f.path, f.line, f.flag) for f in findings] == [
        ("FL001", "app.py", 1, "app.ENABLE_X"),
        ("FL002", "app.py", 4, "app.ENABLE_X"),
    ]


def test_comments_before_the_point_tokenize_gives_up_are_read_as_comments():
    source = 'X = "# noqa"  # noqa: FL002\nY = (1  # noqa: FL001\n'
    assert find_suppressions(source) == ((1, ("FL002",)), (2, ("FL001",)))

"""Suppression comments are read from real comments, never from string
literals that happen to contain ``# noqa`` (issue 15, defect 3)."""

from __future__ import annotations

import io
import sysconfig
import tokenize
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flaglint.extract.suppressions import comments, find_suppressions


def tokenize_comments(text: str):
    """The reference: the COMMENT tokens of Python's own tokenizer, over lines
    split as Python splits a source file (a lone ``\r`` ends a line too;
    a plain ``StringIO`` would keep ``"#\r0"`` as one comment)."""
    tokens = tokenize.generate_tokens(io.StringIO(text, newline=None).readline)
    return [(token.start[0], token.string) for token in tokens if token.type == tokenize.COMMENT]


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
        pytest.param(
            'X = """\n# noqa\n"""  # noqa: FL001\n', ((3, ("FL001",)),), id="comment-after-a-multi-line-string"
        ),
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


def test_text_tokenize_would_give_up_on_still_gives_its_comments():
    source = "X = (1  # noqa: FL001\n"  # an unclosed bracket: tokenize raises at the end
    assert find_suppressions(source) == ((1, ("FL001",)),)


def test_a_noqa_in_a_string_no_longer_hides_fl001(lint):
    findings = lint({"app.py": 'ENABLE_X = False; HELP = "use # noqa to silence"\n\nif ENABLE_X:\n    run()\n'})
    assert [(f.code, f.path, f.line, f.flag) for f in findings] == [
        ("FL001", "app.py", 1, "app.ENABLE_X"),
        ("FL002", "app.py", 4, "app.ENABLE_X"),
    ]


def test_comments_before_the_point_tokenize_would_give_up_are_read_as_comments():
    source = 'X = "# noqa"  # noqa: FL002\nY = (1  # noqa: FL001\n'
    assert find_suppressions(source) == ((1, ("FL002",)), (2, ("FL001",)))


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar(auto_target=False))
@example("#\r0")  # found by the suite: a lone CR ends a comment, as it ends a line
def test_the_scan_finds_exactly_what_tokenize_calls_comments(source):
    assert list(comments(source)) == tokenize_comments(source)


def _literal(text: str, form: str) -> str:
    """``text`` as a valid literal: plain, f-string or triple-quoted."""
    plain = repr(text)
    if form == "f":
        return "f" + plain.replace("{", "{{").replace("}", "}}")
    if form == "triple":
        return '"""' + text.replace("\\", "\\\\").replace('"', '\\"') + '"""'
    return plain


_lines = st.tuples(
    st.text(alphabet=st.sampled_from("ab#\"'\\{}\n noqa:FL1"), max_size=25),
    st.sampled_from(["plain", "f", "triple"]),
    st.sampled_from(["", "  # noqa: FL001", "  # flaglint: ignore", '  # a "quoted" # note']),
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(_lines, max_size=8))
def test_strings_full_of_hashes_and_quotes_hide_no_comment(lines):
    source = "".join(f"v = {_literal(text, form)}{comment}\n" for text, form, comment in lines)
    assert list(comments(source)) == tokenize_comments(source)


def _stdlib_sample():
    """Standard library modules full of strings, docstrings and comments."""
    root = Path(sysconfig.get_paths()["stdlib"])
    wanted = [
        "tokenize.py",
        "inspect.py",
        "argparse.py",
        "textwrap.py",
        "doctest.py",
        "pydoc.py",
        "typing.py",
        "ast.py",
    ]
    return [pytest.param(root / name, id=name) for name in wanted if (root / name).is_file()]


@pytest.mark.parametrize("path", _stdlib_sample())
def test_the_scan_agrees_with_tokenize_on_real_modules(path):
    text = path.read_text(encoding="utf-8")
    assert list(comments(text)) == tokenize_comments(text)

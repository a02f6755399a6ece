"""The documentation matches the code: generated rule pages are current, every
rule page has the required shape, config keys named in docs exist, and the
user guide covers every option of ``flaglint check``."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Iterator, Set

import click
import pytest
from click.testing import CliRunner

from flaglint.cli import check, main
from flaglint.config import _KNOWN_KEYS
from flaglint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load_script():
    spec = importlib.util.spec_from_file_location("document_rules", ROOT / "scripts" / "document_rules.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("document_rules", module)
    spec.loader.exec_module(module)
    return module


document_rules = _load_script()

RULE_PARAMS = [pytest.param(rule, id=code) for code, rule in sorted(RULES.items())]
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## How to suppress")


# --------------------------------------------------------------------------- (a)


@pytest.mark.parametrize("rule", RULE_PARAMS)
def test_rule_page_is_current(rule):
    path = DOCS / "rules" / f"{rule.code}.md"
    assert path.is_file(), f"{path} is missing: run python scripts/document_rules.py"
    on_disk = path.read_bytes().decode("utf-8")
    assert on_disk == document_rules.render_rule(rule), (
        f"{path.relative_to(ROOT)} differs from {rule.code}'s docstring: run python scripts/document_rules.py"
    )
    assert on_disk == rule.documentation() + "\n"


def test_rule_index_is_current_and_complete():
    index = (DOCS / "rules" / "README.md").read_text(encoding="utf-8")
    assert index == document_rules.render_index(RULES), (
        "docs/rules/README.md is stale: run python scripts/document_rules.py"
    )
    for code, rule in RULES.items():
        assert re.search(rf"^\| {code} \| {re.escape(rule.name)} \|.*\]\({code}\.md\) \|$", index, re.M), code


def test_no_stale_or_orphan_rule_pages():
    assert document_rules.stale(DOCS / "rules") == []


def test_check_mode_names_a_stale_file(tmp_path, capsys):
    out = tmp_path / "rules"
    assert document_rules.main(["--out", str(out)]) == 0
    assert document_rules.main(["--check", "--out", str(out)]) == 0
    capsys.readouterr()

    code = sorted(RULES)[-1]
    page = out / f"{code}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Example", "## Exemple"), encoding="utf-8")
    (out / "FL999.md").write_text("# FL999 gone\n", encoding="utf-8")
    (out / "README.md").unlink()
    assert document_rules.main(["--check", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{code}.md: out of date" in err
    assert "FL999.md: no such rule" in err
    assert "README.md: missing" in err

    assert document_rules.main(["--out", str(out)]) == 0
    assert not (out / "FL999.md").exists()
    assert document_rules.main(["--check", "--out", str(out)]) == 0


@pytest.mark.parametrize("rule", RULE_PARAMS)
def test_explain_prints_the_rule_page(rule):
    result = CliRunner().invoke(main, ["explain", rule.code.lower()])
    assert result.exit_code == 0, result.output
    assert result.output == document_rules.render_rule(rule)


# --------------------------------------------------------------------------- (b)


@pytest.mark.parametrize("rule", RULE_PARAMS)
def test_rule_documentation_shape(rule):
    lines = rule.documentation().splitlines()
    assert lines, f"{rule.code} has no docstring"
    assert lines[0] == f"# {rule.code} {rule.name}", f"{rule.code}: title line is {lines[0]!r}"
    positions = []
    for heading in REQUIRED_SECTIONS:
        assert heading in lines, f"{rule.code}: missing section {heading!r}"
        start = lines.index(heading)
        body = []
        for line in lines[start + 1 :]:
            if line.startswith("## "):
                break
            body.append(line)
        assert any(line.strip() for line in body), f"{rule.code}: section {heading!r} is empty"
        positions.append(start)
    assert positions == sorted(positions), f"{rule.code}: sections out of order, expected {REQUIRED_SECTIONS}"


# --------------------------------------------------------------------------- (c)

_KEY = r'([A-Za-z0-9_-]+|"[^"`\n]*")'
# `[tool.flaglint] key ...` in one code span, or `[tool.flaglint]` `key` in two adjacent ones.
_INLINE = re.compile(r"`\[tool\.flaglint\](?:`\s*`|[ \t]+)" + _KEY)
# `[tool.flaglint.key]` in a code span.
_INLINE_SUBTABLE = re.compile(r"`\[tool\.flaglint\." + _KEY)
_FENCE = re.compile(r"^\s*(```|~~~)[^\n]*\n(.*?)^\s*\1\s*$", re.M | re.S)
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(r"^\s*" + _KEY + r"\s*[.=]")


def _unquote(key: str) -> str:
    return key[1:-1] if key.startswith('"') else key


def config_keys_mentioned(text: str) -> Set[str]:
    """Keys of [tool.flaglint] that a markdown text names in code spans or snippets."""
    keys = {_unquote(match.group(1)) for match in _INLINE.finditer(text)}
    keys |= {_unquote(match.group(1)) for match in _INLINE_SUBTABLE.finditer(text)}
    for fence in _FENCE.finditer(text):
        keys |= _snippet_keys(fence.group(2))
    return keys


def _snippet_keys(snippet: str) -> Set[str]:
    keys: Set[str] = set()
    table = None
    for line in snippet.splitlines():
        header = _HEADER.match(line)
        if header:
            table = header.group(1).replace(" ", "")
            if table.startswith("tool.flaglint."):
                keys.add(_unquote(table[len("tool.flaglint.") :].split(".", 1)[0]))
            continue
        if table == "tool.flaglint":
            assignment = _ASSIGNMENT.match(line)
            if assignment:
                keys.add(_unquote(assignment.group(1)))
    return keys


def test_config_key_extraction_finds_every_form():
    text = (
        'Set `[tool.flaglint] external-flags = ["a.B"]` or `[tool.flaglint]`\n`exclude`,\n'
        "or `[tool.flaglint.per-file-ignores]`.\n\n"
        '```toml\n[project]\nname = "x"\n\n[tool.flaglint]\nselct = ["FL001"]\nignore = [\n  "FL002",\n]\n'
        '\n[tool.flaglint.per-file-ignores]\n"tests/*" = ["FL001"]\n\n[tool.other]\nfoo = 1\n```\n'
    )
    assert config_keys_mentioned(text) == {"external-flags", "exclude", "per-file-ignores", "selct", "ignore"}
    assert config_keys_mentioned("`[tool.flaglint]` table, `name = 1`") == set()


def _unknown(text: str) -> Set[str]:
    return config_keys_mentioned(text) - _KNOWN_KEYS


@pytest.mark.parametrize("rule", RULE_PARAMS)
def test_rule_documentation_names_only_real_config_keys(rule):
    unknown = _unknown(rule.documentation())
    assert not unknown, (
        f"{rule.code} documents config keys that do not exist: {sorted(unknown)} (known: {sorted(_KNOWN_KEYS)})"
    )


@pytest.mark.parametrize("name", ["usage.md", "configuration.md"])
def test_guides_name_only_real_config_keys(name):
    unknown = _unknown((DOCS / name).read_text(encoding="utf-8"))
    assert not unknown, f"docs/{name} documents config keys that do not exist: {sorted(unknown)}"


def test_configuration_guide_documents_every_key():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### `([^`]+)`\s*$", text, re.M))
    assert headings == _KNOWN_KEYS, (
        f"docs/configuration.md key sections {sorted(headings)} != config keys {sorted(_KNOWN_KEYS)}"
    )


# --------------------------------------------------------------------------- (d)


def _check_options() -> Iterator[click.Option]:
    return (param for param in check.params if isinstance(param, click.Option))


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def test_usage_guide_mentions_every_check_option():
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    options = list(_check_options())
    assert options, "flaglint check has no options?"
    missing = [opt for param in options for opt in (*param.opts, *param.secondary_opts) if not _mentions(text, opt)]
    assert not missing, f"docs/usage.md does not mention: {missing}"
    for param in options:
        if isinstance(param.type, click.Choice):
            for choice in param.type.choices:
                assert f"{param.opts[0]} {choice}" in text, f"docs/usage.md does not show `{param.opts[0]} {choice}`"


def test_option_mention_is_whole_word():
    assert _mentions("use `--select FL001`", "--select")
    assert not _mentions("use `--selection`", "--select")
    assert not _mentions("use `--no-select`", "--select")


# --------------------------------------------------------------------------- (e) output quoted in the guides
#
# Output that changes with the code is either a generated region (rendered
# by scripts/document_rules.py, checked above through ``--check``) or a
# transcript this test runs: every ``$ flaglint ...`` in a console block of a
# guide is one or the other, or is listed in NOT_RUN with the reason.

GUIDES = sorted([ROOT / "README.md", *DOCS.glob("*.md")])
_CONSOLE = re.compile(
    r"^(?P<marker><!-- transcript: (?P<project>[\w-]+) -->\n)?```[a-z]*\n(?P<body>\$ .*?)^```$", re.M | re.S
)

#: console blocks that are neither generated nor run, by (guide, first command), and why
NOT_RUN = {
    ("audit.md", "$ cd fixtures/knight_capital && flaglint audit"): "ages come from git history (dates of commits)",
    ("fix.md", "$ flaglint fix --diff"): "the projects are described in prose around the blocks",
    ("fix.md", "$ flaglint fix --diff --flag POWER_PEG --value false"): "git diff of a fixture checkout",
    ("fix.md", "$ flaglint fix --all"): "the project is described in prose around the block",
    ("usage.md", "$ flaglint check --baseline .flaglint-baseline.json"): "follows an edit the prose describes",
    (
        "usage.md",
        "$ flaglint check --baseline .flaglint-baseline.json --report-stale",
    ): "follows edits the prose describes",
    ("usage.md", "$ flaglint extract --out services.json services/"): "an imagined monorepo (counts of 1204 files)",
    ("usage.md", "$ flaglint check --facts services.json --facts services.json"): "an imagined monorepo",
    ("usage.md", "$ flaglint check . --against HEAD~1"): "a git history with a revision hash",
    ("usage.md", "$ flaglint drift HEAD~1 HEAD"): "a git history",
    (
        "performance.md",
        "$ python bench/run.py --jobs 2             # this Python's stdlib (several minutes)",
    ): "benchmarks",
    ("performance.md", "$ FLAGLINT_PROPERTY_EXAMPLES=20 python -m pytest tests/test_properties.py"): "the test suite",
    (
        "performance.md",
        "$ python scripts/corpus_check.py                 # stdlib + this interpreter's site-packages",
    ): "a corpus run",
}


def console_blocks():
    """(guide, first command line, project or None, body, the guide before it)
    of every console block."""
    for path in GUIDES:
        text = path.read_text(encoding="utf-8")
        generated = [match.span() for match in document_rules.REGION.finditer(text)]
        for match in _CONSOLE.finditer(text):
            if any(start <= match.start() < end for start, end in generated):
                continue
            body = match.group("body")
            yield path.name, body.splitlines()[0], match.group("project"), body, text[: match.start()]


def test_every_quoted_command_is_generated_run_or_excused():
    unaccounted = [
        (guide, first)
        for guide, first, project, _, _ in console_blocks()
        if project is None and (guide, first) not in NOT_RUN
    ]
    assert unaccounted == [], "mark the block <!-- transcript: shop --> (tests/test_docs.py) or generate it"
    listed = {(guide, first) for guide, first, project, _, _ in console_blocks() if project is None}
    assert set(NOT_RUN) - listed == set(), "NOT_RUN names a block that is gone"


def shop_project(root: Path) -> Path:
    """The example project of usage.md, written from its own code block."""
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    code = text.split("An example project:\n\n```python\n", 1)[1].split("```\n", 1)[0]
    files = re.split(r"^# (shop/\S+\.py)\n", code, flags=re.M)[1:]
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("", encoding="utf-8")
    for name, body in zip(files[::2], files[1::2]):
        (root / name).write_text(body.rstrip("\n") + "\n", encoding="utf-8")
    return root


def shop_with_baseline(root: Path) -> Path:
    """The shop after ``check --write-baseline .flaglint-baseline.json``."""
    shop_project(root)
    assert _run("flaglint check --write-baseline .flaglint-baseline.json", root).exit_code == 0
    return root


def shop_with_broken_baseline(root: Path) -> Path:
    shop_project(root)
    (root / "broken.json").write_text("", encoding="utf-8")
    return root


def shop_edited(root: Path, before: str) -> Path:
    """The shop with the edit of the last ``python`` block before the
    transcript (a file named by its ``# shop/...`` first line) applied."""
    shop_project(root)
    name, body = re.findall(r"^```python\n# (shop/\S+\.py)\n(.*?)^```", before, re.M | re.S)[-1]
    (root / name).write_text(body, encoding="utf-8")
    return root


PROJECTS = {
    "shop": shop_project,
    "shop-edited": shop_edited,
    "shop-with-baseline": shop_with_baseline,
    "shop-with-broken-baseline": shop_with_broken_baseline,
}


def transcripts():
    return [
        pytest.param(project, body, before, id=f"{guide}: {first}")
        for guide, first, project, body, before in console_blocks()
        if project
    ]


def _run(command: str, cwd: Path):
    import shlex

    words = shlex.split(command)
    assert words[0] == "flaglint", command
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, words[1:], prog_name="flaglint")
    finally:
        os.chdir(old)


@pytest.mark.parametrize("project, body, before", transcripts())
def test_transcripts_print_what_the_guide_shows(tmp_path, project, body, before):
    """Each ``$ flaglint ...`` of a marked block runs in the project, in
    order, and prints exactly the lines that follow it (up to a ``...`` line,
    if the guide cuts the output short); ``$ echo $?`` is its exit code."""
    make = PROJECTS[project]
    root = make(tmp_path, before) if make is shop_edited else make(tmp_path)
    lines = body.splitlines()
    commands = [index for index, line in enumerate(lines) if line.startswith("$ ")]
    assert commands and commands[0] == 0
    last = None
    for start, end in zip(commands, [*commands[1:], len(lines)]):
        command, shown = lines[start][2:], lines[start + 1 : end]
        if command == "echo $?":
            assert last is not None and shown == [str(int(last.exit_code))], f"after {previous}"
            continue
        if command.startswith("git "):
            continue
        last, previous = _run(command, root), command
        assert last.exception is None or isinstance(last.exception, SystemExit), last.exception
        printed = last.output.splitlines()
        if shown and shown[-1] == "...":
            assert printed[: len(shown) - 1] == shown[:-1], command
        else:
            assert printed == shown, command


def test_the_shop_project_is_the_one_the_guide_shows(tmp_path):
    root = shop_project(tmp_path)
    assert sorted(path.relative_to(root).as_posix() for path in root.rglob("*.py")) == [
        "shop/__init__.py",
        "shop/checkout.py",
        "shop/legacy.py",
        "shop/protocol.py",
        "shop/settings.py",
    ]


def markdown_tables_cut_in_two(text: str):
    """Table rows after a blank line that follows a table, with no header of
    their own: Markdown renders them as a paragraph, not as rows."""
    lines = text.splitlines()
    cut = []
    for index in range(2, len(lines)):
        if lines[index].startswith("|") and lines[index - 1].strip() == "" and lines[index - 2].startswith("|"):
            separator = lines[index + 1] if index + 1 < len(lines) else ""
            if not re.match(r"^\|\s*:?-{3,}", separator):
                cut.append((index + 1, lines[index][:40]))
    return cut


@pytest.mark.parametrize("path", GUIDES, ids=lambda path: path.name)
def test_no_table_is_cut_in_two_by_a_blank_line(path):
    in_fences = re.sub(
        r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"), flags=re.M | re.S
    )
    assert markdown_tables_cut_in_two(in_fences) == []


def test_the_table_check_finds_the_cut_exit_code_row():
    """Must: the shape that hid exit code 3 from the rendered table."""
    text = "| Code | Meaning |\n|---|---|\n| 2 | usage |\n\n| 3 | internal |\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    assert markdown_tables_cut_in_two(text) == [(5, "| 3 | internal |")]


@pytest.mark.parametrize("path", GUIDES, ids=lambda path: path.name)
def test_no_guide_installs_flaglint_from_pypi(path):
    """flaglint is not published: ``pip install flaglint`` would install
    nothing, or someone else's package (docs/ci.md, "Installing flaglint in CI")."""
    assert re.findall(r"pip install flaglint\b(?!\S)", path.read_text(encoding="utf-8")) == []


def test_the_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[(FL\d{3})\]\(docs/rules/\1\.md\) \| ([\w-]+) \|", readme, re.M)
    assert rows == [(code, rule.name) for code, rule in sorted(RULES.items())]


def test_generated_regions_are_current():
    assert [(path.name, reason) for path, reason, _ in document_rules.stale_guides()] == [], (
        "run python scripts/document_rules.py"
    )


def test_a_stale_region_is_named_and_rewritten(tmp_path, capsys):
    guide = tmp_path / "guide.md"
    guide.write_text(
        "Before.\n\n<!-- generated by scripts/document_rules.py: $ flaglint rules -->\n```\n$ flaglint rules\nFL000 old\n```\n"
        "<!-- end generated -->\n\nAfter.\n",
        encoding="utf-8",
    )
    out = tmp_path / "rules"
    assert document_rules.main(["--out", str(out), "--guide", str(guide)]) == 0
    capsys.readouterr()
    text = guide.read_text(encoding="utf-8")
    assert text.startswith(
        "Before.\n\n<!-- generated by scripts/document_rules.py: $ flaglint rules -->\n```\n$ flaglint rules\nFL000  parse-error"
    )
    assert text.endswith("```\n<!-- end generated -->\n\nAfter.\n")
    assert sum(line.startswith("FL") for line in text.splitlines()) == len(RULES)
    assert document_rules.main(["--check", "--out", str(out), "--guide", str(guide)]) == 0

    guide.write_text(text.replace("FL001  flag-never-set", "FL001  flag-never-sett"), encoding="utf-8")
    assert document_rules.main(["--check", "--out", str(out), "--guide", str(guide)]) == 1
    assert "guide.md: a generated region is out of date" in capsys.readouterr().err


def test_an_unknown_region_name_fails_loudly():
    with pytest.raises(KeyError, match="unknown generated region 'flaglint rulez'"):
        document_rules.render_region("flaglint rulez")

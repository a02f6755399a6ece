"""The documentation matches the code: generated rule pages are current, every
rule page has the required shape, config keys named in docs exist, and the
user guide covers every option of ``flaglint check``."""

from __future__ import annotations

import importlib.util
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

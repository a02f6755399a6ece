"""Every rule's own examples, run as tests (Fixit-style): one source of truth
for what a rule must and must not report, also printed by ``flaglint explain``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import write_tree
from flaglint.history.fleet import compare, summarise_tree
from flaglint.rules import RULES
from flaglint.rules.base import render_example

EXAMPLES = [
    pytest.param(rule, example, id=f"{code}-{index}-{example.title or 'example'}")
    for code, rule in RULES.items()
    for index, example in enumerate(rule.examples)
]


def _drift(root, builds):
    """A drift example: each build a project of its own, compared as v1, v2, ..."""
    summaries = []
    for number, files in enumerate(builds, start=1):
        write_tree(root / f"v{number}", files)
        summaries.append(summarise_tree(root / f"v{number}", f"v{number}"))
    return compare(summaries)


@pytest.mark.parametrize("rule, example", EXAMPLES)
def test_rule_example(lint, tmp_path, rule, example):
    findings = (
        _drift(tmp_path / "builds", example.builds) if example.builds else lint(example.files, select=[rule.code])
    )
    actual = sorted((f.code, f.path, f.span.line, f.message) for f in findings)
    expected = sorted(example.expected)
    trees = [example.files] if not example.builds else example.builds
    sources = "\n".join(f"--- {path}\n{text!r}" for files in trees for path, text in files.items())
    shown = "\n".join(f"  {finding}" for finding in actual)
    assert actual == expected, f"\n{sources}\nexpected: {expected}\nactual:\n{shown}\n"


def test_every_rule_has_must_and_must_not_examples():
    for code, rule in RULES.items():
        assert any(example.expected for example in rule.examples), code
        assert any(not example.expected for example in rule.examples), code


def test_every_expected_finding_has_its_message():
    for code, rule in RULES.items():
        for example in rule.examples:
            for finding in example.expected:
                assert len(finding) == 4 and finding[0] == code and finding[3], (code, example.title, finding)


@pytest.mark.parametrize("code", sorted(RULES))
def test_the_rule_page_shows_its_first_example(code):
    """docs/rules/FLxxx.md (and ``flaglint explain``) show the first example,
    files and findings with their messages, so the page cannot drift from
    what the tests run (test_docs checks the page on disk is current)."""
    rule = RULES[code]
    first = rule.examples[0]
    section = rule.documentation().split("## Example\n", 1)[1]
    assert section.startswith(render_example(first) + "\n\n")
    for files in first.builds or (first.files,):
        for path, text in files.items():
            assert f"`{path}`:\n" in section and text.rstrip() in section
    assert first.expected, "the first example shows what the rule reports"
    for finding_code, path, line, message in first.expected:
        assert f"\n{path}:{line}: {finding_code} {message}\n" in section


def test_a_reworded_message_changes_the_page():
    rule = RULES["FL001"]
    first = rule.examples[0]
    reworded = replace(first, expected=((*first.expected[0][:3], "some other words"),))
    assert "some other words" in render_example(reworded)
    assert "some other words" not in rule.documentation()


def test_codes_name_every_rule_in_order():
    """Configuration checks codes against ``flaglint.codes.CODES`` (it cannot
    import the rules): the list must be exactly the registered rules."""
    from flaglint.codes import CODES

    assert CODES == tuple(RULES)
    assert all(code == rule.code for code, rule in RULES.items())

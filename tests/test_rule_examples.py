"""Every rule's own examples, run as tests (Fixit-style): one source of truth
for what a rule must and must not report, also printed by ``flaglint explain``."""

from __future__ import annotations

import pytest

from conftest import write_tree
from flaglint.history.fleet import compare, summarise_tree
from flaglint.rules import RULES

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
    actual = sorted((f.code, f.path, f.span.line) for f in findings)
    expected = sorted(example.expected)
    trees = [example.files] if not example.builds else example.builds
    sources = "\n".join(f"--- {path}\n{text!r}" for files in trees for path, text in files.items())
    assert actual == expected, f"\n{sources}\nexpected: {expected}\nactual:   {actual}\n" + "\n".join(
        f"  {f.path}:{f.line}: {f.code} {f.message}" for f in findings
    )


def test_every_rule_has_must_and_must_not_examples():
    for code, rule in RULES.items():
        assert any(example.expected for example in rule.examples), code
        assert any(not example.expected for example in rule.examples), code


def test_codes_name_every_rule_in_order():
    """Configuration checks codes against ``flaglint.codes.CODES`` (it cannot
    import the rules): the list must be exactly the registered rules."""
    from flaglint.codes import CODES

    assert CODES == tuple(RULES)
    assert all(code == rule.code for code, rule in RULES.items())

"""Keyed flag names (``env:X``, ``sdk:provider:key``) are built and split
only by flaglint/keys.py: a prefix spelled anywhere else is a copy that can
drift (a key containing ``:``, a new kind of key)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, Set

import pytest

from flaglint.keys import (
    ENV,
    env_key,
    is_env_key,
    is_keyed,
    is_sdk_key,
    key_family,
    key_parts,
    sdk_key,
    with_key,
)

PACKAGE = Path(__file__).resolve().parent.parent / "flaglint"
HOME = PACKAGE / "keys.py"

#: a key's prefix where a string literal (or an f-string's literal part) starts
_PREFIX = re.compile(r"(sdk|env):")


def _docstrings(tree: ast.Module) -> Set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _in_examples(tree: ast.Module) -> Set[int]:
    """Strings inside a rule's ``Example(...)``: its files and the messages
    a user reads, written out as they appear, not keys being built."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Example":
            found.update(id(inner) for inner in ast.walk(node))
    return found


def spelled_keys(package: Path, home: Path) -> Iterator[str]:
    """``path:line: literal`` for each string literal outside ``home`` that
    starts with a key prefix; docstrings and rule examples are prose."""
    for path in sorted(package.rglob("*.py")):
        if path == home:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose = _docstrings(tree) | _in_examples(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in prose
                and _PREFIX.match(node.value)
            ):
                yield f"{path.relative_to(package).as_posix()}:{node.lineno}: {node.value!r}"


def test_key_prefixes_are_spelled_only_in_the_keys_module():
    assert list(spelled_keys(PACKAGE, HOME)) == []


def test_the_check_finds_built_keys_and_leaves_prose_alone(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "keys.py").write_text('def sdk_key(p, k):\n    return f"sdk:{p}:{k}"\n', encoding="utf-8")
    (package / "use.py").write_text(
        '"""Reads ``sdk:p:k`` and "env:X"."""\n'
        "def f(p, k, ref):\n"
        '    """Builds "sdk:p:k"."""\n'
        '    key = f"sdk:{p}:{k}"\n'
        '    return ref.startswith(("env:", "other:")), key\n'
        'EXAMPLES = [Example(files={}, expected=(("FL007", "a.py", 1, "env:X: differs"),))]\n'
        'HELP = "set env: in the workflow"\n',
        encoding="utf-8",
    )
    assert list(spelled_keys(package, package / "keys.py")) == ["use.py:4: 'sdk:'", "use.py:5: 'env:'"]


@pytest.mark.parametrize(
    "ref, parts, family",
    [
        (sdk_key("openfeature", "new-ui"), ("openfeature", "new-ui"), "sdk:openfeature"),
        (sdk_key("launchdarkly", "team:beta"), ("launchdarkly", "team:beta"), "sdk:launchdarkly"),
        (env_key("ENABLE_X"), (ENV, "ENABLE_X"), ENV),
    ],
)
def test_a_key_splits_into_what_built_it(ref, parts, family):
    assert is_keyed(ref)
    assert key_parts(ref) == parts
    assert key_family(ref) == family
    assert is_sdk_key(ref) == (parts[0] != ENV) and is_env_key(ref) == (parts[0] == ENV)


@pytest.mark.parametrize("ref", ["ENABLE_X", "settings.ENABLE_X", "call:is_on", "environment:X", "sdkx:p:k"])
def test_a_symbol_or_a_call_is_not_a_key(ref):
    assert not is_keyed(ref) and not is_sdk_key(ref) and not is_env_key(ref)


def test_a_key_known_only_later_completes_its_provider():
    assert with_key(sdk_key("unleash", ""), "new-ui") == sdk_key("unleash", "new-ui")
    assert with_key(env_key(""), "X") == env_key("X")


def test_keys_are_the_strings_configuration_spells():
    """``external-flags`` and the rule docs write keys out: the helpers
    build exactly that text."""
    assert [sdk_key("p", "k"), env_key("X")] == ["sdk:p:k", "env:X"]

"""A short, seeded run of scripts/hostile_fuzz.py: random hostile trees
through every command and format, and not one exit 3, traceback or broken
JSON document (issue 21). Longer runs: ``python scripts/hostile_fuzz.py
--cases 1000 --seed N`` (docs/ci.md, "Untrusted repositories")."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "hostile_fuzz.py"


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("hostile_fuzz", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look it up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def isolated(harness, monkeypatch):
    for name, value in harness.isolation().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FLAGLINT_TRACEBACK", raising=False)


def test_thirty_seeded_hostile_trees_break_no_promise(harness, isolated):
    failures = harness.fuzz(seed=21, cases=30, timeout=120)
    assert [(failure.case, failure.argv, failure.why, failure.detail[:400]) for failure in failures] == []


def test_the_harness_sees_an_exit_3(harness, isolated, monkeypatch):
    """Must not pass blindly: an internal error in any command is a failure,
    with the command and the error."""
    from flaglint import cli

    def broken(*args, **kwargs):
        raise KeyError("planted")

    monkeypatch.setattr(cli, "_load", broken)  # every command that reads the configuration
    failures = harness.fuzz(seed=21, cases=3, timeout=120)
    assert len(failures) >= 3
    assert {failure.why for failure in failures} == {"exit 3"}
    assert all("internal error: KeyError: 'planted'" in failure.detail for failure in failures)


def test_a_case_is_the_same_tree_and_commands_each_time(harness, tmp_path):
    import random

    trees = []
    for attempt in ("one", "two"):
        root = tmp_path / attempt
        root.mkdir()
        rng = random.Random("7:3")
        harness.build_tree(rng, root)
        command = harness.pick_command(rng, root)
        files = sorted(
            (str(path.relative_to(root)), path.read_bytes())
            for path in root.rglob("*")
            if path.is_file() and ".git" not in path.parts
        )
        trees.append((files, command))
    assert trees[0] == trees[1]

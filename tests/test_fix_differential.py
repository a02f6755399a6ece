"""scripts/fix_differential.py: the grep for a deleted name left in the tree
reads every file flaglint analyses as Python, not only ``*.py`` (a
shebang script or a ``wscript`` can call a deleted helper too)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fix_differential.py"


@pytest.fixture(scope="module")
def differential():
    spec = importlib.util.spec_from_file_location("fix_differential", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look it up there
    spec.loader.exec_module(module)
    return module


def test_mentions_in_python_without_the_suffix_are_found(differential, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("from helpers import dump_state\n")
    (tmp_path / "tool").write_text("#!/usr/bin/env python3\nimport helpers\nhelpers.dump_state()\n")
    (tmp_path / "wscript").write_text("def build(ctx):\n    dump_state(ctx)\n")
    assert differential._mentions(tmp_path, "dump_state") == [
        "pkg/mod.py:1: from helpers import dump_state",
        "tool:3: helpers.dump_state()",
        "wscript:2: dump_state(ctx)",
    ]


def test_files_that_are_not_python_are_not_grepped(differential, tmp_path: Path) -> None:
    (tmp_path / "run.sh").write_text("#!/usr/bin/env python3\ndump_state\n")
    (tmp_path / "notes").write_text("#!/bin/sh\ndump_state\n")
    (tmp_path / "README.md").write_text("dump_state\n")
    (tmp_path / "other.py").write_text("dump_states = 1  # dump_state_x\n")
    assert differential._mentions(tmp_path, "dump_state") == []

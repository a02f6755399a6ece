"""Shared test helpers: write a small project, run flaglint on it."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Union

import pytest

from flaglint import api
from flaglint.config import load_config

#: tests/data is data, not flaglint's tests: some of it is a project's own
#: test files, which tests copy elsewhere and run there
collect_ignore = ["data"]


def write_tree(root: Path, files: Dict[str, Union[str, bytes]]) -> None:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


@pytest.fixture
def lint(tmp_path, monkeypatch):
    """lint(files) -> findings for a project made of ``files``, paths relative to it."""
    monkeypatch.chdir(tmp_path)

    def run(files, **options):
        write_tree(tmp_path, files)
        for name in ("flaglint.toml", "pyproject.toml"):  # a project's own configuration applies
            if name in files and "config" not in options:
                options["config"] = load_config(tmp_path / name)
        return api.check(["."], cwd=tmp_path, **options).findings

    return run

"""Fixture projects under tests/data/<kind>/<case>/ with their exact findings.

Each case directory is a small project (its own flaglint.toml, if any) and
an ``expected.txt``: one finding per line, ``CODE path:line flag``, in the
order flaglint reports them (an empty file: no findings at all). The case
is copied to a temporary directory and checked from there.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import List

from flaglint import api
from flaglint.config import load_config

DATA = Path(__file__).resolve().parent / "data"
EXPECTED = "expected.txt"


def case_names(kind: str) -> List[str]:
    return sorted(path.name for path in (DATA / kind).iterdir() if (path / EXPECTED).is_file())


def expected(kind: str, name: str) -> List[str]:
    return [
        line.strip()
        for line in (DATA / kind / name / EXPECTED).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def actual(kind: str, name: str, workdir: Path, monkeypatch) -> List[str]:
    """``CODE path:line flag`` of every finding flaglint reports on the case."""
    root = workdir / name
    shutil.copytree(DATA / kind / name, root, ignore=shutil.ignore_patterns(EXPECTED))
    monkeypatch.chdir(root)
    config = load_config(root / "flaglint.toml") if (root / "flaglint.toml").exists() else None
    options = {"config": config} if config is not None else {}
    findings = api.check(["."], cwd=root, **options).findings
    return [f"{f.code} {f.path}:{f.span.line} {f.flag}" for f in findings]

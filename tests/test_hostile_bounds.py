"""Issue 21, points 3, 4, 6, 7 and 8: bounds on what an untrusted repository
can make flaglint read, allocate, import or spend.

Each test is the reproduction from the issue, run where it can hang or
exhaust memory in a subprocess with a timeout and a 1 GiB address-space cap
(``run`` from test_hostile_repository), asserting the exact outcome: the exit
code, the message naming the file, the finding. The cache's promises (same
issue) are tested in test_hostile_repository.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pathspec
import pytest

from conftest import run_cli, write_tree
from test_hostile_repository import FAST, run

needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")

APP = "import corp\n\n\ndef f():\n    if corp.is_enabled('a'):\n        return 1\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"app.py": APP})
    return tmp_path


def registry(project: Path, source: str) -> None:
    write_tree(
        project,
        {"flaglint.toml": f'flag-apis = [{{ name = "corp.is_enabled", key = 0, source = "{source}" }}]\n'},
    )


def config_error(project: Path, *args: str) -> str:
    """``flaglint check`` must exit 2, quickly; its stderr."""
    code, stdout, stderr, seconds = run(project, *args)
    assert seconds < FAST
    assert code == 2, (code, stdout, stderr)
    return stderr.strip()


# ---------------------------------------------------------------------------
# point 3: a configured path is read bounded, regular files only, in the tree
# ---------------------------------------------------------------------------


@needs_fifo
def test_a_registry_source_that_is_a_fifo_exits_2_without_hanging(project):
    os.mkfifo(project / "fifo.py")
    registry(project, "fifo.py:X")
    assert config_error(project).endswith(
        "flaglint.toml: flag-apis entry 1: source 'fifo.py' cannot be read: not a regular file"
    )


@needs_dev_zero
@pytest.mark.parametrize("source", ["/dev/zero", "zero.py"])
def test_a_registry_source_reading_dev_zero_exits_2_not_memory_error(project, source):
    os.symlink("/dev/zero", project / "zero.py")
    registry(project, f"{source}:X")
    # resolved, both name /dev/zero: outside the tree, never opened
    assert config_error(project).endswith(
        f"flag-apis entry 1: source {source!r} is outside the project ({project.resolve()})"
    )


def test_a_registry_source_outside_the_tree_is_refused(project):
    outside = project.parent / "secret.py"
    outside.write_text("X = {'leaked': True}\n", encoding="utf-8")
    (project / "sub").mkdir()
    registry(project, "../secret.py:X")
    assert config_error(project).endswith(
        f"flag-apis entry 1: source '../secret.py' is outside the project ({project.resolve()})"
    )


def test_a_registry_source_symlinked_out_of_the_tree_is_refused(project):
    outside = project.parent / "secret2.py"
    outside.write_text("X = {'leaked': True}\n", encoding="utf-8")
    os.symlink(outside, project / "inside.py")
    registry(project, "inside.py:X")
    assert config_error(project).endswith(
        f"flag-apis entry 1: source 'inside.py' is outside the project ({project.resolve()})"
    )


def test_a_registry_source_over_the_size_cap_exits_2(project):
    with open(project / "big.py", "wb") as handle:  # sparse: costs no disk
        handle.truncate(11_000_000)
    registry(project, "big.py:X")
    assert config_error(project).endswith(
        "flag-apis entry 1: source 'big.py' cannot be read: larger than 10 MB, the limit for this kind of file"
    )


def test_a_registry_source_in_the_tree_is_still_read(project):
    """Must not: a plain in-tree registry (also one in a subdirectory) keeps working."""
    write_tree(project, {"pkg/config.py": "X = {'a': True}\n"})
    registry(project, "pkg/config.py:X")
    code, stdout, stderr, _ = run(project, "--format", "json")
    assert code == 0, (stdout, stderr)


def test_a_src_directory_outside_the_tree_is_refused(project):
    (project.parent / "elsewhere").mkdir(exist_ok=True)
    write_tree(project, {"flaglint.toml": 'src = ["../elsewhere"]\n'})
    result = run_cli("check", cwd=project)
    assert result.exit_code == 2
    assert f"flaglint.toml: src: '../elsewhere' is outside the project ({project.resolve()})" in result.output


# ---------------------------------------------------------------------------
# point 8: exclude patterns are compiled once
# ---------------------------------------------------------------------------


def test_20000_exclude_patterns_are_compiled_once(project, monkeypatch):
    patterns = [f"gen{i}/*.py" for i in range(20_000)] + ["legacy/"]
    write_tree(
        project,
        {
            "flaglint.toml": "exclude = [%s]\n" % ", ".join(f'"{pattern}"' for pattern in patterns),
            "gen7/excluded.py": "import corp\nif corp.is_enabled('b'):\n    pass\n",
            "legacy/old.py": "import corp\nif corp.is_enabled('c'):\n    pass\n",
        },
    )
    compiled = []
    real = pathspec.GitIgnoreSpec.from_lines.__func__

    def counting(cls, lines, *args, **kwargs):
        lines = list(lines)
        compiled.append(len(lines))
        return real(cls, lines, *args, **kwargs)

    monkeypatch.setattr(pathspec.GitIgnoreSpec, "from_lines", classmethod(counting))
    result = run_cli("check", "--no-cache", "--format", "json", cwd=project)
    assert result.exit_code == 0, result.output  # the excluded files' flags are not seen
    # the 20,001 patterns were compiled at most once in all (the per-run
    # cache may already hold them: then not at all), never once per pattern
    assert sum(compiled) <= len(patterns)
    assert compiled.count(1) == 0


def test_an_invalid_exclude_pattern_among_many_is_still_named(project):
    """Must not: compiling the list at once still names the bad pattern."""
    write_tree(project, {"flaglint.toml": 'exclude = ["a/*.py", "\\\\", "b/"]\n'})
    result = run_cli("check", cwd=project)
    assert result.exit_code == 2
    assert "flaglint.toml: exclude: invalid pattern '\\\\'" in result.output

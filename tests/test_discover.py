"""Tests for flaglint.discover: which files are found, how they are named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flaglint.discover import (
    DEFAULT_EXCLUDES,
    Discovery,
    Skipped,
    SourceFile,
    discover,
)
from flaglint.project import module_name


def touch(root: Path, *rels: str) -> None:
    """Create empty files (and their parent directories) under ``root``."""
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


def displays(result: Discovery) -> list[str]:
    """Display paths in result order (which must be sorted)."""
    return [f.display for f in result.files]


def modules(result: Discovery) -> dict[str, tuple[str, bool]]:
    """display -> (module, is_package), the facts a test pins down."""
    return {f.display: (f.module, f.is_package) for f in result.files}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory the tests run in."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nested_packages_and_loose_scripts(project: Path) -> None:
    touch(
        project,
        "pkg/__init__.py",
        "pkg/core.py",
        "pkg/sub/__init__.py",
        "pkg/sub/mod.py",
        "scripts/run.py",
        "scripts/my-script.py",
        "scripts/class.py",
        "top.py",
        "pkg/sub/stub.pyi",
        "README.md",
    )
    result = discover(["."])
    assert modules(result) == {
        "pkg/__init__.py": ("pkg", True),
        "pkg/core.py": ("pkg.core", False),
        "pkg/sub/__init__.py": ("pkg.sub", True),
        "pkg/sub/mod.py": ("pkg.sub.mod", False),
        "scripts/class.py": ("", False),  # a keyword cannot be imported
        "scripts/my-script.py": ("", False),
        "scripts/run.py": ("run", False),
        "top.py": ("top", False),
    }
    assert displays(result) == sorted(displays(result))
    assert all(f.path.is_absolute() and f.path.is_file() for f in result.files)
    assert result.files[0].path == project / "pkg/__init__.py"
    assert result.skipped == () and result.missing == ()


def test_module_name_function(project: Path) -> None:
    touch(project, "a/__init__.py", "a/b-c/__init__.py", "a/b-c/d.py", "a/x.py")
    assert module_name(str(project / "a/x.py")) == ("a.x", False)
    assert module_name(str(project / "a/__init__.py")) == ("a", True)
    # The package chain is unbroken, but "b-c" cannot appear in an import.
    assert module_name(str(project / "a/b-c/d.py")) == ("", False)
    assert module_name(str(project / "a/b-c/__init__.py")) == ("", True)
    # never climbing to the root or above it
    assert module_name(str(project / "a/x.py"), root=str(project / "a")) == ("x", False)


def test_default_excludes(project: Path) -> None:
    touch(
        project,
        "src/app.py",
        ".venv/lib/site.py",
        "build/lib/gen.py",
        "src/__pycache__/cached.py",
        "node_modules/x/y.py",
        "myenv/pyvenv.cfg",
        "myenv/lib/python3.11/thing.py",
        "src/.tox/t.py",
    )
    assert displays(discover(["."])) == ["src/app.py"]
    assert "build" in DEFAULT_EXCLUDES and ".venv" in DEFAULT_EXCLUDES


def test_excluded_directory_given_explicitly_is_walked(project: Path) -> None:
    touch(project, "build/gen.py", "build/dist/deep.py", "myenv/pyvenv.cfg", "myenv/m.py")
    # Its own name does not exclude it; names below it still do.
    assert displays(discover(["build"])) == ["build/gen.py"]
    assert displays(discover(["myenv"])) == ["myenv/m.py"]


def test_explicit_file_always_included(project: Path) -> None:
    touch(project, "build/gen.py", "tools/runme", "legacy/old.py", "ignored.py")
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("ignored.py\n")
    result = discover(
        ["build/gen.py", "tools/runme", "legacy/old.py", "ignored.py"],
        exclude=["legacy/"],
    )
    assert modules(result) == {
        "build/gen.py": ("gen", False),
        "ignored.py": ("ignored", False),
        "legacy/old.py": ("old", False),
        "tools/runme": ("", False),  # not a .py file: no module name
    }


def test_exclude_patterns(project: Path) -> None:
    touch(
        project,
        "app/main.py",
        "app/api_pb2.py",
        "legacy/old.py",
        "app/legacy/older.py",
        "app/legacyish.py",
    )
    result = discover(["."], exclude=["legacy/", "*_pb2.py"])
    assert displays(result) == ["app/legacyish.py", "app/main.py"]


def test_exclude_is_relative_to_cwd(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(project, "app/gen/a.py", "app/b.py")
    # Anchored pattern: only matches at the cwd, however the walk started.
    assert displays(discover(["app"], exclude=["/app/gen"])) == ["app/b.py"]
    monkeypatch.chdir(project / "app")
    assert displays(discover(["."], exclude=["/app/gen"])) == ["b.py", "gen/a.py"]
    assert displays(discover(["."], exclude=["/gen"])) == ["b.py"]


def test_explicit_directory_matching_exclude_is_walked(project: Path) -> None:
    touch(project, "legacy/old.py", "legacy/old_pb2.py", "new.py")
    result = discover(["legacy"], exclude=["legacy/", "*_pb2.py"])
    assert displays(result) == ["legacy/old.py"]


def test_invalid_exclude_pattern_is_reported(project: Path) -> None:
    touch(project, "a.py", "b.py")
    result = discover(["."], exclude=["\\", "b.py"])
    assert displays(result) == ["a.py"]
    assert result.skipped == (Skipped("\\", "invalid exclude pattern"),)


def _gitignore_tree(root: Path) -> None:
    (root / ".git").mkdir()
    touch(
        root,
        "main.py",
        "local.py",
        "generated/a.py",
        "sub/x_tmp.py",
        "sub/keep_tmp.py",
        "sub/local.py",
        "sub/deeper/local.py",
        "sub/deeper/y_tmp.py",
    )
    (root / ".gitignore").write_text("# comment\ngenerated/\n*_tmp.py\n")
    (root / "sub/.gitignore").write_text("!keep_tmp.py\n/local.py\n")


def test_nested_gitignore_with_negation(project: Path) -> None:
    _gitignore_tree(project)
    assert displays(discover(["."])) == [
        "local.py",  # sub/.gitignore's /local.py is anchored to sub/
        "main.py",
        "sub/deeper/local.py",
        "sub/keep_tmp.py",  # re-included by the nested "!keep_tmp.py"
    ]


def test_gitignore_of_ancestors_applies(project: Path) -> None:
    _gitignore_tree(project)
    # Walking only sub/ still honours the repository root's .gitignore.
    assert displays(discover(["sub"])) == ["sub/deeper/local.py", "sub/keep_tmp.py"]


def test_gitignore_can_be_disabled(project: Path) -> None:
    _gitignore_tree(project)
    assert len(discover(["."], respect_gitignore=False).files) == 8


def test_gitignore_stops_at_nested_repository(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("*.py\n")
    (project / "vendor/.git").mkdir(parents=True)
    touch(project, "a.py", "vendor/lib.py")
    assert displays(discover(["."])) == ["vendor/lib.py"]


def test_symlink_loop_terminates(project: Path) -> None:
    touch(project, "pkg/__init__.py", "pkg/a.py")
    os.symlink("..", project / "pkg/loop")
    os.symlink(".", project / "pkg/self")
    result = discover(["."])
    assert displays(result) == ["pkg/__init__.py", "pkg/a.py"]
    assert result.skipped == (
        Skipped("pkg/loop", "symlink loop"),
        Skipped("pkg/self", "symlink loop"),
    )


def test_symlinked_directory_is_followed(project: Path) -> None:
    touch(project, "outside/lib/__init__.py", "outside/lib/m.py")
    (project / "repo").mkdir()
    os.symlink(project / "outside/lib", project / "repo/lib")
    result = discover(["repo"])
    assert modules(result) == {
        "repo/lib/__init__.py": ("lib", True),
        "repo/lib/m.py": ("lib.m", False),
    }
    assert result.files[1].path == project / "repo/lib/m.py"


def test_symlinked_file_reached_twice_is_deduplicated(project: Path) -> None:
    touch(project, "pkg/a.py")
    os.symlink("pkg/a.py", project / "alias.py")  # sorts before pkg/
    os.symlink("pkg", project / "also")
    result = discover([".", "pkg/a.py", "./pkg/a.py"])
    # The direct path wins even though the links are met first.
    assert displays(result) == ["pkg/a.py"]
    assert result.skipped == ()


def test_path_given_twice_keeps_first_display(project: Path) -> None:
    touch(project, "pkg/a.py")
    os.symlink("pkg/a.py", project / "alias.py")
    assert displays(discover(["alias.py", "pkg/a.py"])) == ["alias.py"]
    assert displays(discover(["pkg", "pkg/a.py", "alias.py"])) == ["pkg/a.py"]


def test_broken_symlink_is_skipped(project: Path) -> None:
    touch(project, "ok.py")
    os.symlink("nowhere.py", project / "dangling.py")
    os.symlink("nowhere", project / "dangling_dir")
    result = discover([".", "dangling_dir"])
    assert displays(result) == ["ok.py"]
    assert result.skipped == (
        Skipped("dangling.py", "broken symlink"),
        Skipped("dangling_dir", "broken symlink"),
    )
    assert result.missing == ()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_is_skipped(project: Path) -> None:
    touch(project, "ok.py")
    os.mkfifo(project / "pipe.py")
    os.mkfifo(project / "other_pipe")  # not a .py name: not a candidate at all
    result = discover([".", "other_pipe"])
    assert displays(result) == ["ok.py"]
    assert result.skipped == (
        Skipped("other_pipe", "not a regular file"),
        Skipped("pipe.py", "not a regular file"),
    )


def test_missing_path_is_reported(project: Path) -> None:
    touch(project, "a.py")
    result = discover(["a.py", "nope.py", "gone/", "a.py/x.py", "nope.py"])
    assert displays(result) == ["a.py"]
    assert result.missing == ("nope.py", "gone/", "a.py/x.py")


def test_directory_without_python_files(project: Path) -> None:
    touch(project, "docs/readme.md", "docs/conf.pyi", "docs/data.json")
    assert discover(["docs"]) == Discovery(files=(), skipped=(), missing=())


def test_unreadable_directory_is_skipped(project: Path) -> None:
    touch(project, "ok.py", "locked/secret.py")
    locked = project / "locked"
    locked.chmod(0o000)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that can read a mode-000 directory")
        result = discover(["."])
    finally:
        locked.chmod(0o755)
    assert displays(result) == ["ok.py"]
    assert result.skipped == (Skipped("locked", "permission denied"),)


def test_listing_error_is_skipped_not_raised(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same as above but works as root: make listing ``locked`` fail."""
    touch(project, "ok.py", "locked/secret.py")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = discover([".", "locked"])
    assert displays(result) == ["ok.py"]
    assert result.skipped == (Skipped("locked", "permission denied"),)


def test_display_outside_cwd_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "other/lib/x.py", "work/w.py")
    monkeypatch.chdir(tmp_path / "work")
    result = discover([tmp_path / "other", "../work/w.py", "../other/lib/x.py"])
    outside = tmp_path.as_posix() + "/other/lib/x.py"
    assert outside.startswith("/")
    assert displays(result) == [outside, "w.py"]


def test_cwd_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "proj/pkg/__init__.py", "proj/pkg/m.py", "elsewhere/e.py")
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = discover(["pkg"], cwd=tmp_path / "proj")
    assert result.files == (
        SourceFile(tmp_path / "proj/pkg/__init__.py", "pkg/__init__.py", "pkg", True),
        SourceFile(tmp_path / "proj/pkg/m.py", "pkg/m.py", "pkg.m", False),
    )


def test_single_path_string_is_not_iterated(project: Path) -> None:
    touch(project, "abc.py")
    result = discover("abc.py")
    assert displays(result) == ["abc.py"] and result.missing == ()
    assert displays(discover(Path("abc.py"), exclude="abc.py")) == ["abc.py"]


def _nul_reason() -> str:
    """Python's own words for a NUL in a path: "embedded null byte" up to
    3.12, "stat: embedded null character in path" from 3.13."""
    try:
        os.stat("bad\0name.py")
    except ValueError as error:
        return str(error)
    raise AssertionError("os.stat accepted a NUL")


def test_bad_input_does_not_raise(project: Path) -> None:
    result = discover(["bad\0name.py", "", "x" * 5000])
    assert result.files == () and result.missing == ("",)
    assert _nul_reason() in ("embedded null byte", "stat: embedded null character in path")
    assert result.skipped == (
        Skipped("bad\0name.py", f"invalid path: {_nul_reason()}"),
        Skipped("x" * 5000, "file name too long"),
    )

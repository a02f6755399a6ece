"""Shared test helpers: write a small project, run flaglint or git on it,
read findings back. A helper two test files need lives here, not copied."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple, Union

import pytest
from click.testing import CliRunner, Result

from flaglint import api, parallel
from flaglint.cli import main
from flaglint.config import load_config


def _click_8_1_as_8_2() -> None:
    """click 8.2 (Python 3.10 and later) keeps a run's stdout and stderr
    apart and gives both in ``output``; click 8.1, the last for Python 3.9,
    mixes stderr into stdout unless told not to, and then ``output`` is
    stdout alone. Make 8.1 behave as 8.2 (stderr after stdout), so that one
    suite runs on every Python (docs/pythons.md)."""
    import inspect

    if "mix_stderr" not in inspect.signature(CliRunner.__init__).parameters:
        return
    init = CliRunner.__init__

    def __init__(self, *args, mix_stderr: bool = False, **kwargs) -> None:
        init(self, *args, mix_stderr=mix_stderr, **kwargs)

    def output(self) -> str:
        return self.stdout + (self.stderr if self.stderr_bytes is not None else "")

    CliRunner.__init__ = __init__  # type: ignore[method-assign]
    Result.output = property(output)  # type: ignore[assignment, method-assign]


_click_8_1_as_8_2()

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


def run_cli(*args: str, cwd: Optional[Path] = None) -> Result:
    """Invoke the CLI as ``flaglint ARGS`` (in ``cwd`` when given); an
    uncaught exception (a traceback) fails the test."""
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), prog_name="flaglint")
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"flaglint raised {result.exception!r}\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result


def git(cwd: Path, *args: str, date: Optional[str] = None) -> str:
    """``git ARGS`` in ``cwd`` with a fixed author and no user or system
    configuration; its stdout, stripped. A git error fails the test."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.invalid",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout.strip()


def count_extractions(monkeypatch) -> List[str]:
    """Record the display path of every file the extractor is asked for
    (what the facts cache did not answer)."""
    seen: List[str] = []
    real = parallel._extract

    def counting(source, data=None):
        seen.append(source.display)
        return real(source, data)

    monkeypatch.setattr(parallel, "_extract", counting)
    return seen


def memory_limit(gib: int) -> Callable[[], None]:
    """A ``preexec_fn`` for a subprocess: its address space capped at ``gib``
    GiB (where the platform has ``resource``), so a blow-up fails the test
    instead of the machine."""

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (gib << 30, gib << 30))

    return limit


def found(findings) -> List[Tuple[str, str, int, Optional[str]]]:
    """(code, path, line, flag) of each finding, sorted."""
    return sorted((f.code, f.path, f.span.line, f.flag) for f in findings)


def triples(document: dict) -> List[Tuple[str, str, int]]:
    """(code, path, line) of each finding of a ``--format json`` document."""
    return [(f["code"], f["path"], f["line"]) for f in document["findings"]]


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


@pytest.fixture(autouse=True)
def cache_secret(monkeypatch, tmp_path_factory):
    """No test reads or writes the real user cache directory: the cache's
    secret comes from the environment, and the user cache directory (where a
    secret would be created) is a temporary one."""
    monkeypatch.setenv("FLAGLINT_CACHE_SECRET", "flaglint tests")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))

"""``flaglint fix`` never changes what live code means, never leaves a
half-written tree, and never writes where it must not (issue 16).

The exact rewrites of dead branches holding ``yield``, ``global`` and
``nonlocal`` are cases under ``tests/data/fix/dead_branch_*`` (run by
test_fix.py); here the rewritten code is also run, to show it behaves as
before. Every other test builds a minimal project in ``tmp_path``.
"""

from __future__ import annotations

import inspect
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Dict

import pytest
from click.testing import CliRunner

import flaglint.fix
from flaglint.cli import main
from flaglint.fix import FileChange, FixResult, run_fix, write_changes

from conftest import run_cli, write_tree

DATA = Path(__file__).resolve().parent / "data" / "fix"
SETTINGS = "ENABLE_NEW = False\n"
APP = "from settings import ENABLE_NEW\n\n\ndef go():\n    if ENABLE_NEW:\n        new()\n    old()\n"
APP_AFTER = "def go():\n    old()\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def _listing(root: Path):
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if ".flaglint_cache" not in path.relative_to(root).parts  # fix's facts cache, as check's
    )


def _run(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "app.py", "exec"), namespace)
    return namespace


# ------------------------------------------------------- 1: meaning kept


def _fixed_case(project: Path, case: str) -> str:
    shutil.copyfile(DATA / case / "before.py", project / "app.py")
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    return (project / "app.py").read_text(encoding="utf-8")


def test_generator_stays_a_generator(project):
    fixed = _run(_fixed_case(project, "dead_branch_yield"))
    assert inspect.isgeneratorfunction(fixed["stream"]) and list(fixed["stream"]()) == []
    assert inspect.isgeneratorfunction(fixed["numbers"]) and list(fixed["numbers"](3)) == []


def test_generator_repair_is_reported(project):
    shutil.copyfile(DATA / "dead_branch_yield" / "before.py", project / "app.py")
    result = run_cli("fix", "--diff")
    assert "flaglint: app.py:4: kept stream() a generator: its only yield was in the removed code" in result.stderr
    assert "flaglint: app.py:10: kept numbers() a generator: its only yield was in the removed code" in result.stderr


def test_async_generator_stays_an_async_generator(project):
    fixed = _run(_fixed_case(project, "dead_branch_async_yield"))
    assert inspect.isasyncgenfunction(fixed["events"])


def test_global_declaration_is_kept(project):
    fixed = _run(_fixed_case(project, "dead_branch_global"))
    fixed["bump"]()
    assert fixed["COUNT"] == 5


def test_nonlocal_declaration_is_kept(project):
    fixed = _run(_fixed_case(project, "dead_branch_nonlocal"))
    assert fixed["outer"]() == 1


def test_issue_reproduction_stream_and_bump(project):
    write_tree(
        project,
        {
            "settings.py": SETTINGS,
            "g.py": (
                "from settings import ENABLE_NEW\nCOUNT = 0\ndef stream():\n    if not ENABLE_NEW:\n        return\n    yield 1\n"
                "def bump():\n    if ENABLE_NEW:\n        global COUNT\n    COUNT = 5\n"
            ),
        },
    )
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "g.py").read_text(encoding="utf-8") == (
        "COUNT = 0\ndef stream():\n    return\n    yield  # unreachable: keeps stream() a generator\n"
        "def bump():\n    global COUNT\n    COUNT = 5\n"
    )
    fixed = _run((project / "g.py").read_text(encoding="utf-8"))
    assert list(fixed["stream"]()) == []
    fixed["bump"]()
    assert fixed["COUNT"] == 5


def test_local_bound_only_in_the_dead_branch_is_refused(project):
    # before: `return x` raises UnboundLocalError; without the binding it
    # would read the module's x and return 7
    source = (
        "from settings import ENABLE_NEW\nx = 7\n\n\ndef uses():\n    if ENABLE_NEW:\n        x = 1\n    return x\n"
    )
    write_tree(project, {"settings.py": SETTINGS, "app.py": source})
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == source
    assert (project / "settings.py").read_text(encoding="utf-8") == SETTINGS
    assert (
        "flaglint: app.py: skipped: `x` in uses() (line 5) is bound only in the removed code: without that binding "
        "`x` would stop being local to uses() and would be read from an outer scope instead"
    ) in result.stderr
    assert "flaglint: 0 flags removed, 0 lines deleted, 0 files changed" in result.stderr


def test_closure_over_a_dead_binding_is_refused(project):
    source = "ENABLE_NEW = False\n\n\ndef outer():\n    if ENABLE_NEW:\n        level = 1\n    return lambda: level\n"
    write_tree(project, {"app.py": source})
    result = run_cli(
        "fix",
        "--all",
    )
    assert (project / "app.py").read_text(encoding="utf-8") == source
    assert (
        "flaglint: app.py: skipped: `level` in a lambda (line 7) would change scope (free -> global)" in result.stderr
    )


def test_generator_expression_that_would_lose_its_await_is_refused(project):
    # `ENABLE_NEW and await ok(y)` folds to False: the generator expression
    # would stop being asynchronous and `async for` over it would fail
    source = "ENABLE_NEW = False\n\n\nasync def pick(items, ok):\n    return [x async for x in (y for y in items if ENABLE_NEW and await ok(y))]\n"
    write_tree(project, {"app.py": source})
    result = run_cli(
        "fix",
        "--all",
    )
    assert (project / "app.py").read_text(encoding="utf-8") == source
    assert (
        "flaglint: app.py: skipped: a generator expression (line 5) would stop being an async generator"
        in result.stderr
    )


def test_module_level_binding_read_later_is_removed(project):
    # at module level a name bound only in dead code is unbound either way:
    # reading it raises NameError before and after, so the block goes
    write_tree(project, {"app.py": "ENABLE_NEW = False\nif ENABLE_NEW:\n    x = 1\n\n\ndef show():\n    return x\n"})
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == "def show():\n    return x\n"


# --------------------------------------------------------- 2: coding cookie


@pytest.mark.parametrize("cookie", ["ascii", "latin-1"])
def test_coding_line_moved_up_does_not_change_the_decoding(project, cookie):
    source = f'from settings import ENABLE_NEW\nif ENABLE_NEW:\n    pass\n# coding: {cookie}\nGREETING = "h\u00e9llo"\n'
    write_tree(project, {"settings.py": SETTINGS, "u.py": source})
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    data = (project / "u.py").read_bytes()
    assert data == f'# -*- coding: utf-8 -*-\n# coding: {cookie}\nGREETING = "h\u00e9llo"\n'.encode("utf-8")
    namespace: dict = {}
    exec(compile(data, "u.py", "exec"), namespace)  # decoded from bytes, as an import does
    assert namespace["GREETING"] == "h\u00e9llo"
    assert "flaglint: u.py: added `# -*- coding: utf-8 -*-` to keep how Python reads the file" in result.stderr


def test_coding_line_kept_below_a_shebang(project):
    source = b"#!/usr/bin/env python\nimport settings\n# coding: latin-1\n\nif settings.ENABLE_NEW:\n    go()\nX = '\xc3\xa9'\n"
    write_tree(project, {"settings.py": SETTINGS, "u.py": source})
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    assert (
        project / "u.py"
    ).read_bytes() == b"#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# coding: latin-1\n\nX = '\xc3\xa9'\n"


def test_file_in_a_declared_encoding_keeps_it(project):
    source = "# -*- coding: latin-1 -*-\nfrom settings import ENABLE_NEW\nif ENABLE_NEW:\n    go()\nX = '\u00e9'\n"
    write_tree(project, {"settings.py": SETTINGS, "u.py": source.encode("latin-1")})
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    assert (project / "u.py").read_bytes() == "# -*- coding: latin-1 -*-\nX = '\u00e9'\n".encode("latin-1")


# --------------------------------------------------- 3: all files or none


def _two_file_project(project: Path) -> Dict[str, bytes]:
    # other.py keeps settings.py named, so the fix rewrites it (to "")
    # rather than deleting it: these tests replace two files
    write_tree(project, {"settings.py": SETTINGS, "app.py": APP, "other.py": "import settings\n"})
    return {name: (project / name).read_bytes() for name in ("app.py", "settings.py")}


def test_failure_on_the_second_replace_rolls_back_the_first(project, monkeypatch):
    before = _two_file_project(project)
    listing = _listing(project)
    real = os.replace
    calls = []

    def second_fails(source, target):
        calls.append(Path(target).name)
        if len([call for call in calls if call.endswith(".py")]) == 2:
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert [call for call in calls if call.endswith(".py")][:2] == ["app.py", "settings.py"]  # app.py had been replaced
    assert {name: (project / name).read_bytes() for name in before} == before
    assert _listing(project) == listing  # no staged or backup file left
    assert "flaglint: settings.py: cannot write: No space left on device" in result.stderr
    assert "flaglint: nothing written: fix writes all its files or none" in result.stderr
    assert "flaglint: 0 flags removed, 0 lines deleted, 0 files changed" in result.stderr
    assert "removed definition" not in result.stderr and "baked in" not in result.stderr


def test_failure_while_staging_writes_nothing(project, monkeypatch):
    before = _two_file_project(project)
    listing = _listing(project)
    real = os.fsync
    calls = []

    def second_fails(descriptor):
        calls.append(descriptor)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        return real(descriptor)

    monkeypatch.setattr(os, "fsync", second_fails)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert {name: (project / name).read_bytes() for name in before} == before
    assert _listing(project) == listing
    assert "flaglint: settings.py: cannot write: Input/output error" in result.stderr
    assert "0 files changed" in result.stderr


def test_success_writes_every_file_and_leaves_nothing_else(project):
    _two_file_project(project)
    listing = _listing(project)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == APP_AFTER
    assert (project / "settings.py").read_text(encoding="utf-8") == ""
    assert _listing(project) == listing
    assert "1 flag removed, 6 lines deleted, 2 files changed" in result.stderr


def test_one_file_failing_its_check_stops_the_files_that_depend_on_it(project, monkeypatch):
    import flaglint.fix.engine as engine

    before = _two_file_project(project)
    real = engine.compile_error
    monkeypatch.setattr(
        engine,
        "compile_error",
        lambda text, display: "boom" if display == "app.py" and text == APP_AFTER else real(text, display),
    )
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert {name: (project / name).read_bytes() for name in before} == before
    assert "flaglint: app.py: not changed: the rewritten file would not compile (boom)" in result.stderr
    # settings.py's definition went only because app.py's import of it went
    assert "flaglint: nothing changed in settings.py either: the edits of a fix depend on each other" in result.stderr
    assert "flaglint: 0 flags removed, 0 lines deleted, 0 files changed" in result.stderr


def _deletion(project: Path) -> FileChange:
    return FileChange(project / "legacy.py", "legacy.py", "def legacy():\n    return 1\n", "", "utf-8", deleted=True)


def test_a_deleted_file_goes_in_the_same_transaction(project):
    write_tree(project, {"legacy.py": "def legacy():\n    return 1\n", "keep.py": "A = 1\n"})
    change = FileChange(project / "keep.py", "keep.py", "A = 1\n", "A = 2\n", "utf-8")
    assert write_changes(FixResult([], changes=[change, _deletion(project)])) == []
    assert _listing(project) == ["keep.py"]
    assert (project / "keep.py").read_text(encoding="utf-8") == "A = 2\n"


def test_a_deleted_file_comes_back_on_rollback(project, monkeypatch):
    write_tree(project, {"legacy.py": "def legacy():\n    return 1\n", "zlast.py": "A = 1\n"})
    real = os.replace

    def refuse_the_rewrite(source, target):
        if Path(target).name == "zlast.py":
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(os, "replace", refuse_the_rewrite)
    change = FileChange(project / "zlast.py", "zlast.py", "A = 1\n", "A = 2\n", "utf-8")
    errors = write_changes(FixResult([], changes=[_deletion(project), change]))
    assert errors == [
        "zlast.py: cannot write: No space left on device",
        "nothing written: fix writes all its files or none",
    ]
    assert _listing(project) == ["legacy.py", "zlast.py"]
    assert (project / "legacy.py").read_text(encoding="utf-8") == "def legacy():\n    return 1\n"


# --------------------------------------- 4: changed between analysis and write


def test_file_edited_after_analysis_is_refused_and_nothing_written(project):
    _two_file_project(project)
    result = run_fix(["."], cwd=project)
    assert len(result.changes) == 2
    (project / "settings.py").write_text("ENABLE_NEW = True\n", encoding="utf-8")  # switched on meanwhile
    errors = write_changes(result)
    assert errors == [
        "changed since fix read them: settings.py; run fix again",
        "nothing written: fix writes all its files or none",
    ]
    assert (project / "app.py").read_text(encoding="utf-8") == APP
    assert (project / "settings.py").read_text(encoding="utf-8") == "ENABLE_NEW = True\n"


def test_file_edited_while_the_files_are_being_replaced_is_refused(project, monkeypatch):
    """An edit after the last whole-plan check, just before its file is
    replaced, is caught by hashing what is about to be replaced: the
    edit is kept and the file already replaced is rolled back."""
    import flaglint.fix.transaction as transaction

    _two_file_project(project)
    listing = _listing(project)
    real = transaction._backup

    def edit_first(target):
        if target.name == "settings.py":
            target.write_text("ENABLE_NEW = True\n", encoding="utf-8")  # the user saves meanwhile
        return real(target)

    monkeypatch.setattr(transaction, "_backup", edit_first)
    result = run_fix(["."], cwd=project)
    errors = write_changes(result)
    assert errors == [
        "changed since fix read them: settings.py; run fix again",
        "nothing written: fix writes all its files or none",
    ]
    assert (project / "app.py").read_text(encoding="utf-8") == APP  # replaced, then put back
    assert (project / "settings.py").read_text(encoding="utf-8") == "ENABLE_NEW = True\n"
    assert _listing(project) == listing


def test_a_file_fix_only_read_is_checked_too(project):
    write_tree(project, {"settings.py": SETTINGS, "app.py": APP, "other.py": "import settings\n"})
    result = run_fix(["."], cwd=project)
    assert "other.py" not in [change.display for change in result.changes]
    (project / "other.py").write_text("import settings\nsettings.ENABLE_NEW = True\n", encoding="utf-8")
    assert write_changes(result)[0] == "changed since fix read them: other.py; run fix again"
    assert (project / "app.py").read_text(encoding="utf-8") == APP


def test_flag_switched_on_between_analysis_and_rewrite_is_refused(project, monkeypatch):
    import flaglint.fix.engine as engine

    before = _two_file_project(project)
    real = engine.plan_fix

    def then_switched_on(*args, **kwargs):
        plan = real(*args, **kwargs)
        (project / "settings.py").write_text("ENABLE_NEW = True\n", encoding="utf-8")
        return plan

    monkeypatch.setattr(engine, "plan_fix", then_switched_on)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert (project / "app.py").read_bytes() == before["app.py"]
    assert (project / "settings.py").read_text(encoding="utf-8") == "ENABLE_NEW = True\n"
    assert "flaglint: settings.py: not changed: it changed since it was analysed; run fix again" in result.stderr
    assert "flaglint: nothing changed in app.py either: the edits of a fix depend on each other" in result.stderr


def test_cli_names_the_file_edited_during_the_run(project, monkeypatch):
    _two_file_project(project)
    real = flaglint.fix.run_fix

    def then_the_user_edits(*args, **kwargs):
        result = real(*args, **kwargs)
        (project / "app.py").write_text(APP + "# edited\n", encoding="utf-8")
        return result

    monkeypatch.setattr(flaglint.fix, "run_fix", then_the_user_edits)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert "flaglint: changed since fix read them: app.py; run fix again" in result.stderr
    assert (project / "app.py").read_text(encoding="utf-8") == APP + "# edited\n"
    assert (project / "settings.py").read_text(encoding="utf-8") == SETTINGS


# ------------------------------------------------ 6: files fix must not touch


def test_symlink_out_of_the_project_is_skipped(project):
    outside = project.parent / "outside"
    outside.mkdir()
    (outside / "impl.py").write_text(APP, encoding="utf-8")
    write_tree(project, {"settings.py": SETTINGS})
    (project / "app.py").symlink_to(outside / "impl.py")
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (outside / "impl.py").read_text(encoding="utf-8") == APP
    assert (project / "settings.py").read_text(encoding="utf-8") == SETTINGS
    assert (
        f"flaglint: app.py: skipped: it leads through a symlink to {outside / 'impl.py'}, outside the project; fix never writes outside it"
        in result.stderr
    )


def test_symlinked_directory_out_of_the_project_is_skipped(project):
    outside = project.parent / "vendor"
    outside.mkdir()
    (outside / "app.py").write_text(APP, encoding="utf-8")
    write_tree(project, {"settings.py": SETTINGS})
    (project / "pkg").symlink_to(outside, target_is_directory=True)
    result = run_cli(
        "fix",
        "--all",
    )
    assert (outside / "app.py").read_text(encoding="utf-8") == APP
    assert "flaglint: pkg/app.py: skipped: it leads through a symlink to" in result.stderr


def test_symlink_inside_the_project_is_written_through(project):
    write_tree(project, {"settings.py": SETTINGS, "real/impl.py": APP})
    (project / ".git").mkdir()  # the project a named file belongs to
    (project / "app.py").symlink_to(project / "real" / "impl.py")
    assert run_cli("fix", "--all", "app.py").exit_code == 0
    assert (project / "app.py").is_symlink()
    assert (project / "real" / "impl.py").read_text(encoding="utf-8") == APP_AFTER


def test_read_only_file_is_skipped_unless_forced(project):
    _two_file_project(project)
    os.chmod(project / "app.py", 0o444)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == APP
    assert (project / "settings.py").read_text(encoding="utf-8") == SETTINGS
    assert "flaglint: app.py: skipped: it is read-only (--force edits it anyway, keeping its mode)" in result.stderr

    forced = run_cli("fix", "--all", "--force")
    assert forced.exit_code == 0, forced.output
    assert (project / "app.py").read_text(encoding="utf-8") == APP_AFTER
    assert stat.S_IMODE((project / "app.py").stat().st_mode) == 0o444


def test_hard_linked_file_is_refused(project):
    _two_file_project(project)
    os.link(project / "app.py", project / "copy.txt")
    result = run_cli(
        "fix",
        "--all",
    )
    assert (project / "app.py").read_text(encoding="utf-8") == APP
    assert (project / "copy.txt").read_text(encoding="utf-8") == APP
    assert (
        "flaglint: app.py: skipped: it has 2 hard links: replacing it would leave the other names with the old content (edit it by hand)"
        in result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_and_mode_are_kept(project):
    _two_file_project(project)
    os.chown(project / "app.py", 1234, 4321)
    os.chmod(project / "app.py", 0o640)
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    info = (project / "app.py").stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 4321, 0o640)
    assert (project / "app.py").read_text(encoding="utf-8") == APP_AFTER


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_that_cannot_be_kept_stops_the_write(project, monkeypatch):
    before = _two_file_project(project)
    os.chown(project / "settings.py", 1234, 4321)

    def not_permitted(path, uid, gid):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", not_permitted)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert "flaglint: settings.py: cannot keep its owner 1234:4321: Operation not permitted" in result.stderr
    assert {name: (project / name).read_bytes() for name in before} == before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_lock_never_writes_through_a_symlink_out_of_the_project(project):
    write_tree(
        project,
        {
            "flags.py": "POWER_PEG = 0x20\n",
            "router.py": "from flags import POWER_PEG\n\ndef route(o):\n    if o.flags & POWER_PEG:\n        peg(o)\n",
        },
    )
    assert CliRunner().invoke(main, ["lock", "."]).exit_code == 0
    outside = project.parent / "elsewhere.lock"
    shutil.move(project / "flaglint.lock", outside)
    (project / "flaglint.lock").symlink_to(outside)
    before = outside.read_bytes()
    write_tree(
        project,
        {
            "flags.py": "POWER_PEG = 0x20\nODD_LOT = 0x01\n",
            "marker.py": "from flags import ODD_LOT\n\ndef mark(o):\n    o.flags |= ODD_LOT\n",
        },
    )
    result = CliRunner().invoke(main, ["lock", "."])
    assert result.exit_code == 2
    assert outside.read_bytes() == before
    assert result.stderr == (
        f"flaglint: error: {project / 'flaglint.lock'}: cannot write: "
        "it is a symbolic link, and flaglint never writes through one (name the real file)\n"
    )


# ------------------------------------------------ 7: --diff applies with git


ODD_BREAKS = ["\f", "\r", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def _git(root: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True)


def _diff_applies(project: Path, files: Dict[str, bytes]) -> None:
    """``fix --diff`` applied with ``git apply`` gives what ``fix`` writes."""
    write_tree(project, files)
    assert _git(project, "init", "-q").returncode == 0
    result = run_cli("fix", "--diff")
    assert result.exit_code == 0, result.output
    patch = result.stdout_bytes
    assert patch
    check = _git(project, "apply", "--check", "-", stdin=patch)
    assert check.returncode == 0, check.stderr.decode() + patch.decode("utf-8", "replace")
    assert _git(project, "apply", "-", stdin=patch).returncode == 0
    applied = {name: (project / name).read_bytes() for name in files if (project / name).exists()}
    write_tree(project, files)
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    assert applied == {name: (project / name).read_bytes() for name in files if (project / name).exists()}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("odd", ODD_BREAKS, ids=[f"U+{ord(c):04X}" for c in ODD_BREAKS])
def test_diff_with_an_odd_line_break_applies(project, odd):
    # "# one{odd}# two": one comment line or two, whether the break is one
    app = f"from settings import ENABLE_NEW\n# page one{odd}# page two\n\ndef go():\n    if ENABLE_NEW:\n        new()  # a{odd}# b\n    old()  # c{odd}# d\n"
    _diff_applies(project, {"settings.py": SETTINGS.encode(), "app.py": app.encode("utf-8")})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_with_a_form_feed_between_functions_applies(project):
    app = "from settings import ENABLE_NEW\n\f\ndef go():\n    if ENABLE_NEW:\n        new()\n    old()\n\f\ndef stop():\n    pass\n"
    _diff_applies(project, {"settings.py": SETTINGS.encode(), "app.py": app.encode("utf-8")})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_with_crlf_applies(project):
    app = APP.replace("\n", "\r\n").encode("utf-8")
    _diff_applies(project, {"settings.py": SETTINGS.replace("\n", "\r\n").encode(), "app.py": app})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_without_a_final_newline_applies(project):
    _diff_applies(project, {"settings.py": b"ENABLE_NEW = False", "app.py": APP.rstrip("\n").encode("utf-8")})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_of_a_latin1_file_with_a_bom_neighbour_applies(project):
    _diff_applies(
        project,
        {
            "settings.py": b"\xef\xbb\xbfENABLE_NEW = False\n",
            "app.py": "# -*- coding: latin-1 -*-\n".encode() + APP.encode() + "X = '\u00e9'\n".encode("latin-1"),
        },
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_of_a_deleted_file_applies(project):
    write_tree(project, {"legacy.py": "def legacy():\n    return 1\n"})
    assert _git(project, "init", "-q").returncode == 0
    patch = _deletion(project).patch()
    assert patch == (
        b"diff --git a/legacy.py b/legacy.py\ndeleted file mode 100644\n--- a/legacy.py\n+++ /dev/null\n"
        b"@@ -1,2 +0,0 @@\n-def legacy():\n-    return 1\n"
    )
    assert _git(project, "apply", "-", stdin=patch).returncode == 0
    assert not (project / "legacy.py").exists()

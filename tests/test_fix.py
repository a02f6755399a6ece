"""``flaglint fix``: exact rewrites, idempotence, safety of writes, --diff.

Each directory under ``tests/data/fix/`` is one case: ``before.py`` is
copied to ``app.py`` in a fresh project, every other ``X.py`` is copied as
is; after ``flaglint fix`` (with the arguments in ``args``, if any),
``app.py`` must equal ``after.py`` byte for byte and ``X.py`` must equal
``X.after.py`` (or be unchanged when there is none).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import libcst
import pytest
from click.testing import CliRunner
from conftest import run_cli, write_tree

from flaglint import api

DATA = Path(__file__).resolve().parent / "data" / "fix"
KNIGHT = Path(__file__).resolve().parent.parent / "fixtures" / "knight_capital"
CASES = sorted(path.name for path in DATA.iterdir() if path.is_dir())
CACHE = ".flaglint_cache"


# --------------------------------------------------------------------------- helpers


def _inputs(case: str) -> Dict[str, Path]:
    """Project file name -> data file it starts from."""
    files = {}
    for path in sorted((DATA / case).glob("*.py")):
        if path.name == "before.py":
            files["app.py"] = path
        elif path.name != "after.py" and not path.name.endswith(".after.py"):
            files[path.name] = path
    return files


def _expected(case: str) -> Dict[str, bytes]:
    expected = {}
    for name, source in _inputs(case).items():
        after = DATA / case / ("after.py" if name == "app.py" else name[: -len(".py")] + ".after.py")
        expected[name] = (after if after.exists() else source).read_bytes()
    return expected


def _args(case: str) -> List[str]:
    """The case's arguments; without --flag, --all (the tests run in a pipe)."""
    path = DATA / case / "args"
    return path.read_text(encoding="utf-8").split() if path.exists() else ["--all"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _load(root: Path, case: str) -> None:
    for name, source in _inputs(case).items():
        shutil.copyfile(source, root / name)


def _tree(root: Path) -> Dict[str, tuple]:
    """Every file and directory under root: content hash, mode, mtime."""
    state = {}
    for path in sorted(root.rglob("*")):
        if CACHE in path.relative_to(root).parts:
            continue  # the facts cache fix keeps, as check does: not the user's code
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(root).as_posix()] = (digest, stat.S_IMODE(info.st_mode), info.st_mtime_ns)
    return state


def _contents(root: Path) -> Dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(root.glob("*.py"))}


# --------------------------------------------------------------------------- cases


def test_every_case_has_data():
    assert len(CASES) >= 16
    for case in CASES:
        assert (DATA / case / "before.py").is_file(), case
        assert (DATA / case / "after.py").is_file(), case
        assert _expected(case)["app.py"] != (DATA / case / "before.py").read_bytes(), f"{case}: nothing to fix?"


@pytest.mark.parametrize("case", CASES)
def test_fix_rewrites_exactly(project, case):
    _load(project, case)
    result = run_cli("fix", *_args(case))
    assert result.exit_code == 0, result.output
    assert _contents(project) == _expected(case)


@pytest.mark.parametrize("case", CASES)
def test_second_run_changes_nothing(project, case):
    _load(project, case)
    assert run_cli("fix", *_args(case)).exit_code == 0
    once = _tree(project)
    again = run_cli(
        "fix",
        "--all",
    )  # default mode: nothing left that is never set
    assert again.exit_code == 0, again.output
    assert _tree(project) == once
    assert "0 files changed" in again.stderr


@pytest.mark.parametrize("case", CASES)
def test_rewritten_files_compile(project, case):
    _load(project, case)
    assert run_cli("fix", *_args(case)).exit_code == 0
    changed = [
        path for path in sorted(project.glob("*.py")) if path.read_bytes() != _inputs(case)[path.name].read_bytes()
    ]
    assert changed, "the fix changed nothing"
    for path in changed:
        text = path.read_text(encoding="utf-8")
        if _compiles(_inputs(case)[path.name].read_text(encoding="utf-8")):
            compile(text, str(path), "exec", dont_inherit=True)
        else:  # a newer grammar than this Python's (match on 3.9): libcst's parser judges, as fix does
            libcst.parse_module(text)


def _compiles(text: str) -> bool:
    try:
        compile(text, "<input>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("case", CASES)
def test_diff_writes_nothing_and_shows_the_change(project, case):
    _load(project, case)
    (project / "sub").mkdir()
    (project / "sub" / "notes.txt").write_text("untouched\n", encoding="utf-8")
    before = _tree(project)
    result = run_cli("fix", "--diff", *_args(case))
    assert result.exit_code == 0, result.output
    assert _tree(project) == before
    expected = ""
    for name, data in _expected(case).items():
        old = (project / name).read_text(encoding="utf-8")
        new = data.decode("utf-8")
        if old != new:
            expected += "".join(
                difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}")
            )
    assert expected and result.stdout == expected
    assert "(--diff: nothing written)" in result.stderr


# --------------------------------------------------------------------------- writing


def test_atomic_write_keeps_mode_and_leaves_no_temp_files(project):
    _load(project, "definition_cascade")
    os.chmod(project / "app.py", 0o640)
    os.chmod(project / "settings.py", 0o755)
    names = sorted(name for name in os.listdir(project) if name != CACHE)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((project / "app.py").stat().st_mode) == 0o640
    assert stat.S_IMODE((project / "settings.py").stat().st_mode) == 0o755
    assert sorted(name for name in os.listdir(project) if name != CACHE) == names
    assert _contents(project) == _expected("definition_cascade")


def test_write_through_a_symlink_keeps_the_link(project):
    real = project / "real"
    real.mkdir()
    shutil.copyfile(DATA / "if_else" / "before.py", real / "impl.py")
    (project / "app.py").symlink_to(real / "impl.py")
    result = run_cli("fix", "--all", "app.py")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").is_symlink()
    assert (real / "impl.py").read_bytes() == (DATA / "if_else" / "after.py").read_bytes()


def test_failed_write_keeps_the_original_and_no_temp_file(project, monkeypatch):
    _load(project, "if_else")
    original = (project / "app.py").read_bytes()

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert "app.py: cannot write: No space left on device" in result.stderr
    assert (project / "app.py").read_bytes() == original
    assert sorted(name for name in os.listdir(project) if name != CACHE) == ["app.py"]


def test_rewrite_that_would_not_compile_is_not_written(project, monkeypatch):
    import flaglint.fix.engine as engine

    _load(project, "if_else")
    original = (project / "app.py").read_bytes()
    real = engine.compile_error
    monkeypatch.setattr(
        engine,
        "compile_error",
        lambda text, display: real(text, display) or (None if text.encode() == original else "boom"),
    )
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 1
    assert "app.py: not changed: the rewritten file would not compile (boom)" in result.stderr
    assert (project / "app.py").read_bytes() == original


def test_file_that_does_not_parse_is_skipped_and_the_rest_fixed(project):
    _load(project, "if_else")
    (project / "broken.py").write_text("def broken(:\n    ENABLE_NEW_PRICING\n", encoding="utf-8")
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert "broken.py: skipped: cannot be parsed" in result.stderr
    assert (project / "broken.py").read_text(encoding="utf-8") == "def broken(:\n    ENABLE_NEW_PRICING\n"
    # the flag's tests are gone, but an unparseable file mentions its name: keep the definition
    assert (
        (project / "app.py")
        .read_text(encoding="utf-8")
        .startswith("ENABLE_NEW_PRICING = False\n\n\ndef price(order):\n    total = legacy_engine")
    )


def test_crlf_and_bom_bytes_outside_the_change_are_kept(project):
    (project / "app.py").write_bytes(
        b"\xef\xbb\xbf# caf\xc3\xa9\r\nX = False\r\n\r\n\r\ndef f():\r\n    if X:\r\n        a()\r\n    b()  # \xc3\xa9\r\n"
    )
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (
        project / "app.py"
    ).read_bytes() == b"\xef\xbb\xbf# caf\xc3\xa9\r\n\r\n\r\ndef f():\r\n    b()  # \xc3\xa9\r\n"


# --------------------------------------------------------------------------- choosing flags


def test_value_true_keeps_the_true_branch(project):
    write_tree(
        project,
        {
            "app.py": "NEW_CHECKOUT = False\n\n\ndef pay(cart):\n    if NEW_CHECKOUT:\n        return new(cart)\n    else:\n        return old(cart)\n"
        },
    )
    result = run_cli("fix", "--flag", "app.NEW_CHECKOUT", "--value", "true")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == "def pay(cart):\n    return new(cart)\n"


def test_value_false_for_a_live_flag(project):
    source = "FAST = True\n\n\ndef go():\n    if FAST:\n        fast()\n    slow()\n"
    write_tree(project, {"app.py": source})
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    assert (project / "app.py").read_text(encoding="utf-8") == source  # live: the default leaves it
    assert run_cli("fix", "--flag", "FAST", "--value", "false").exit_code == 0
    assert (project / "app.py").read_text(encoding="utf-8") == "def go():\n    slow()\n"


def test_ambiguous_short_name_exits_2_listing_the_candidates(project):
    write_tree(project, {"a.py": "FLAG = False\nif FLAG:\n    x()\n", "b.py": "FLAG = False\nif FLAG:\n    y()\n"})
    before = _tree(project)
    result = run_cli("fix", "--flag", "FLAG", "--value", "true")
    assert result.exit_code == 2
    assert (
        result.stderr == "flaglint: error: flag name 'FLAG' is ambiguous; use the full name, one of: a.FLAG, b.FLAG\n"
    )
    assert _tree(project) == before
    assert run_cli("fix", "--flag", "b.FLAG", "--value", "true").exit_code == 0
    assert (project / "b.py").read_text(encoding="utf-8") == "y()\n"
    assert (project / "a.py").read_text(encoding="utf-8") == "FLAG = False\nif FLAG:\n    x()\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--flag", "NOPE", "--value", "true"], "no flag named 'NOPE'"),
        (["--flag", "FLAG"], "--flag and --value go together"),
        (["--value", "false"], "--flag and --value go together"),
        (["missing.py"], "path does not exist: missing.py"),
    ],
)
def test_usage_errors_exit_2(project, args, message):
    write_tree(project, {"a.py": "FLAG = False\nif FLAG:\n    x()\n"})
    before = _tree(project)
    result = run_cli("fix", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert _tree(project) == before


def test_suppressed_flag_and_block_are_left_alone(project):
    files = {
        "a.py": "QUIET = False  # flaglint: ignore[FL001]\nif QUIET:\n    x()\n",
        "b.py": "DEAD = False\nif DEAD:\n    y()  # flaglint: ignore[FL002]\nif DEAD:\n    z()\n",
    }
    write_tree(project, files)
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "a.py").read_text(encoding="utf-8") == files["a.py"]
    assert (project / "b.py").read_text(
        encoding="utf-8"
    ) == "DEAD = False\nif DEAD:\n    y()  # flaglint: ignore[FL002]\n"
    assert "the block it gates is suppressed (FL002)" in result.stderr


def test_no_cascade_only_rewrites_the_tests(project):
    _load(project, "dead_helper")
    write_tree(project, {"metrics.py": "def count(name):\n    return name\n"})
    source = (
        (project / "app.py")
        .read_text(encoding="utf-8")
        .replace("        audit(order)\n    send", "        count(order)\n    send")
    )
    (project / "app.py").write_text("from metrics import count\n" + source, encoding="utf-8")
    result = run_cli("fix", "--all", "--no-cascade")
    assert result.exit_code == 0, result.output
    text = (project / "app.py").read_text(encoding="utf-8")
    assert "if ENABLE_POWER_PEG" not in text and "count(order)" not in text
    assert text.startswith("from metrics import count\nENABLE_POWER_PEG = False\n")
    assert "def run_power_peg(order):" in text and "def _filled(order):" in text
    assert "flaglint: removed" not in result.stderr
    # a later run cannot tell what the rewrite orphaned: the flag is no longer read
    assert (
        "0 files changed"
        in run_cli(
            "fix",
            "--all",
        ).stderr
    )


def test_only_the_named_paths_are_edited(project):
    _load(project, "definition_cascade")
    (project / "flaglint.toml").write_text("", encoding="utf-8")  # the project a named file belongs to
    result = run_cli("fix", "--all", "app.py")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_bytes() == _expected("definition_cascade")["app.py"]
    assert (project / "settings.py").read_bytes() == (DATA / "definition_cascade" / "settings.py").read_bytes()
    assert (
        "settings.py:4: kept the definition of ENABLE_LEGACY_EXPORT: its file is outside the paths given"
        in result.stderr
    )


def test_attribute_of_an_unknown_object_is_left_alone(project):
    write_tree(
        project,
        {
            "settings.py": "ENABLE_X = False\n",
            "app.py": "import settings\n\n\ndef f(cfg):\n    if settings.ENABLE_X:\n        a()\n    if cfg.ENABLE_X:\n        b()\n",
        },
    )
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    # the import only served the rewritten test; ``cfg.ENABLE_X`` is not resolved to the flag
    assert (project / "app.py").read_text(encoding="utf-8") == "def f(cfg):\n    if cfg.ENABLE_X:\n        b()\n"
    # ... but ``cfg`` may be the settings module passed in: the definition stays
    assert (project / "settings.py").read_text(encoding="utf-8") == "ENABLE_X = False\n"
    assert "kept the definition of ENABLE_X: still referenced in app.py" in result.stderr


def test_side_effects_in_a_test_are_kept(project):
    write_tree(
        project,
        {"app.py": "X = False\n\n\ndef f():\n    if check() and X:\n        a()\n    if ready and X:\n        b()\n"},
    )
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == "def f():\n    if check() and False:\n        a()\n"
    assert "app.py:5:8: kept `check() and False`: `check()` may have side effects" in result.stderr


ENV_APP = (
    'import os\n\nENABLE_BETA = os.getenv("ENABLE_BETA") == "1"\n\n\n'
    'def f():\n    if ENABLE_BETA:\n        beta()\n    if os.getenv("LEGACY") == "1":\n        legacy()\n'
)


def test_flag_an_env_file_turns_on_is_left_alone(project):
    write_tree(project, {"app.py": ENV_APP, ".env": "ENABLE_BETA=1\nLEGACY=1\n"})
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == ENV_APP


def test_flag_mirroring_an_unset_env_variable_is_removed(project):
    write_tree(project, {"app.py": ENV_APP, ".env": "OTHER=1\n"})
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    # its own definition mentions its name; ``os`` stays for the keyed read
    assert (project / "app.py").read_text(encoding="utf-8") == (
        'import os\n\n\ndef f():\n    if os.getenv("LEGACY") == "1":\n        legacy()\n'
    )
    assert "env:LEGACY: not baked in: a keyed flag's reads are calls; remove them by hand" in result.stderr


def test_summary_counts(project):
    _load(project, "dead_helper")
    result = run_cli(
        "fix",
        "--all",
    )
    assert result.exit_code == 0, result.output
    assert "flaglint: removed function run_power_peg from app.py" in result.stderr
    assert result.stderr.splitlines()[-1] == "flaglint: 1 flag removed, 16 lines deleted, 1 file changed"


# --------------------------------------------------------------------------- Knight Capital


def test_knight_fixture_diff_is_what_a_maintainer_wants(project):
    shutil.copytree(KNIGHT, project / "knight")
    os.chdir(project / "knight")
    before = _tree(project)
    result = run_cli("fix", "--diff", "--no-cache")  # --no-cache: not even the cache is written
    assert result.exit_code == 0, result.output
    assert _tree(project) == before
    assert result.stdout == (DATA / "knight_capital.diff").read_text(encoding="utf-8")
    # Power Peg is not touched: its bit is live again as RLP (FL003), so it is not "never set"
    assert "power_peg" not in result.stdout


def test_knight_after_fix_only_the_reused_bit_remains(project):
    shutil.copytree(KNIGHT, project / "knight")
    os.chdir(project / "knight")
    assert (
        run_cli(
            "fix",
            "--all",
        ).exit_code
        == 0
    )
    findings = api.check(["."], cwd=Path.cwd()).findings
    assert sorted((finding.code, finding.path) for finding in findings) == [
        ("FL003", "smars/legacy/power_peg.py"),
        ("FL003", "smars/protocol.py"),
    ]
    assert (
        run_cli(
            "fix",
            "--all",
        ).stderr.splitlines()[-1]
        == "flaglint: 0 flags removed, 0 lines deleted, 0 files changed"
    )


@pytest.mark.parametrize(
    "args", [["--diff"], ["--diff", "--flag", "POWER_PEG", "--value", "false"]], ids=["default", "power-peg"]
)
def test_docs_show_the_real_knight_output(project, args):
    shutil.copytree(KNIGHT, project / "knight")
    os.chdir(project / "knight")
    result = run_cli("fix", *args)
    assert result.exit_code == 0, result.output
    docs = (Path(__file__).resolve().parent.parent / "docs" / "fix.md").read_text(encoding="utf-8")
    assert f"$ flaglint fix {' '.join(args)}\n{result.stdout}{result.stderr}```" in docs


# ------------------------------------ issue 26: fix asks before it writes


ASKED = {
    "settings.py": "ENABLE_NEW = False\nMODE = 'x'\n",
    "app.py": "import settings\n\n\ndef f():\n    if settings.ENABLE_NEW:\n        return 1\n    return 0\n",
}
LISTED = (
    "flaglint: settings.py:1: bakes in settings.ENABLE_NEW=False: every binding is false; nothing in the "
    "analysed code, its flag sources or external-flags sets it (set outside the tree? declare it in external-flags)"
)
REFUSED = (
    "flaglint: nothing written: fix would bake in the 1 flag above; stdin is not a terminal, so it cannot ask. "
    "Review them (fix --diff), then run fix --all, or fix --flag NAME --value false for one flag"
)


def test_fix_in_a_pipe_without_all_writes_nothing_lists_the_flags_and_exits_2(project):
    write_tree(project, ASKED)
    before = _tree(project)
    result = run_cli("fix")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == LISTED
    assert REFUSED in result.stderr.splitlines()
    assert "removed" not in result.stderr
    assert _tree(project) == before


def test_fix_in_a_real_pipe_exits_2_and_writes_nothing(project):
    write_tree(project, ASKED)
    done = subprocess.run(
        [sys.executable, "-m", "flaglint", "fix", "--no-cache"],
        cwd=project,
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert LISTED in done.stderr.splitlines() and REFUSED in done.stderr.splitlines()
    assert sorted(os.listdir(project)) == ["app.py", "settings.py"]
    assert (project / "app.py").read_text(encoding="utf-8") == ASKED["app.py"]


@pytest.mark.parametrize("answer, written", [("y\n", True), ("n\n", False), ("\n", False)])
def test_fix_on_a_terminal_asks_and_writes_only_on_yes(project, monkeypatch, answer, written):
    import flaglint.cli

    monkeypatch.setattr(flaglint.cli, "_interactive", lambda: True)
    write_tree(project, ASKED)
    result = CliRunner().invoke(flaglint.cli.main, ["fix"], input=answer)
    assert result.exit_code == 0, result.output
    assert LISTED in result.stderr.splitlines()
    assert "flaglint: bake in the 1 flag above and write the changes? [y/N]" in result.stderr
    app = (project / "app.py").read_text(encoding="utf-8")
    assert (app == "def f():\n    return 0\n") is written
    assert (app == ASKED["app.py"]) is not written
    assert ("flaglint: nothing written" in result.stderr) is not written


@pytest.mark.parametrize("args", [["--all"], ["--flag", "ENABLE_NEW", "--value", "false"]], ids=["all", "flag"])
def test_fix_with_all_or_flag_writes_without_asking(project, args):
    write_tree(project, ASKED)
    result = run_cli("fix", *args)
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == "def f():\n    return 0\n"
    assert "bake in the" not in result.stderr and "nothing written" not in result.stderr


def test_fix_flag_names_the_users_decision(project):
    write_tree(project, ASKED)
    result = run_cli("fix", "--diff", "--flag", "ENABLE_NEW", "--value", "false")
    assert result.stderr.splitlines()[0] == (
        "flaglint: settings.py:1: bakes in settings.ENABLE_NEW=False: your decision (--flag)"
    )


def test_fix_diff_needs_no_all_and_lists_the_flags(project):
    write_tree(project, ASKED)
    before = _tree(project)
    result = run_cli("fix", "--diff")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == LISTED
    assert "-    if settings.ENABLE_NEW:" in result.stdout
    assert _tree(project) == before


def test_fix_all_and_flag_exclude_each_other(project):
    write_tree(project, ASKED)
    result = run_cli("fix", "--all", "--flag", "ENABLE_NEW", "--value", "false")
    assert result.exit_code == 2
    assert "--all and --flag exclude each other" in result.stderr


def test_fix_with_nothing_to_bake_needs_no_all(project):
    write_tree(project, {"app.py": "ON = True\nif ON:\n    x = 1\n"})
    result = run_cli("fix")
    assert result.exit_code == 0, result.output
    assert result.stderr == "flaglint: 0 flags removed, 0 lines deleted, 0 files changed\n"


# ------------------------------------------------------ issue 26: --no-cache


def test_fix_keeps_a_facts_cache_and_no_cache_keeps_none(project):
    write_tree(project, ASKED)
    assert run_cli("fix", "--diff", "--no-cache").exit_code == 0
    assert sorted(os.listdir(project)) == ["app.py", "settings.py"]
    assert run_cli("fix", "--diff").exit_code == 0
    assert CACHE in os.listdir(project)
    result = run_cli("fix", "--all", "--no-cache")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == "def f():\n    return 0\n"


def test_fix_with_a_stale_cache_entry_still_writes_what_the_file_says(project, monkeypatch):
    """The cache only speeds up the analysis: every file to edit is read and
    extracted again before it is rewritten."""
    write_tree(project, ASKED)
    assert run_cli("fix", "--diff").exit_code == 0
    (project / "app.py").write_text(ASKED["app.py"] + "\n\ndef g():\n    return 2\n", encoding="utf-8")
    result = run_cli("fix", "--all")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == "def f():\n    return 0\n\n\ndef g():\n    return 2\n"


# ------------------------- issue 26: a file of a newer grammar (PEP 695 on 3.11)


PEP695 = (
    "ENABLE_NEW = False\n\n\ntype Pair[T] = tuple[T, T]\n\n\n"
    "def first[T](pair: Pair[T]) -> T:\n    if ENABLE_NEW:\n        return pair[1]\n    return pair[0]\n"
)
PEP695_AFTER = "type Pair[T] = tuple[T, T]\n\n\ndef first[T](pair: Pair[T]) -> T:\n    return pair[0]\n"


def test_fix_rewrites_a_pep695_file_this_python_may_not_compile(project):
    write_tree(project, {"app.py": PEP695})
    result = run_cli("fix", "--all")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == PEP695_AFTER
    assert "skipped" not in result.stderr
    libcst_checked = (
        "app.py: this Python cannot compile it (invalid syntax (line 4)), so it is checked with libcst's parser"
    )
    assert (libcst_checked in result.stderr) is (sys.version_info < (3, 12))
    assert result.stderr.count("checked with libcst's parser") == (1 if sys.version_info < (3, 12) else 0)
    assert run_cli("fix", "--all").stderr.endswith("0 files changed\n")  # idempotent


def test_fix_still_skips_a_file_no_grammar_accepts(project):
    broken = "ENABLE_NEW = False\n\nif ENABLE_NEW:\n    x(\n"
    write_tree(project, {"app.py": broken, "b.py": "from app import ENABLE_NEW\nif ENABLE_NEW:\n    y()\n"})
    result = run_cli("fix", "--all")
    assert result.exit_code == 0, result.output
    assert (project / "app.py").read_text(encoding="utf-8") == broken
    assert "flaglint: app.py: skipped: cannot be parsed" in result.stderr
    assert "checked with libcst's parser" not in result.stderr

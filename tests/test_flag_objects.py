"""Flag objects (the edx-toggles shape): ``X = WaffleFlag("ns.x", __name__)``
declares a flag whose key is given when the object is built, read with
``X.is_enabled()``. A module-level object of a flag class (a class of the
tree with an ``is_enabled`` read method, or a class of a known toggles
package) that no code references is FL005. Each case is a small project
under tests/data/flag_objects/ with its exact findings beside it."""

from __future__ import annotations

import shutil

import pytest

from cases import DATA, actual, case_names, expected
from conftest import run_cli
from flaglint import api
from flaglint.extract import extract_source
from flaglint.facts import FlagObject, Span


@pytest.mark.parametrize("case", case_names("flag_objects"))
def test_flag_object_fixture_projects(case, tmp_path, monkeypatch):
    assert actual("flag_objects", case, tmp_path, monkeypatch) == expected("flag_objects", case)


def test_the_key_is_a_literal_or_an_fstring_of_module_constants():
    facts = extract_source(
        "NS = 'ns'\n"
        "A = WaffleFlag(f'{NS}.a', __name__)\n"
        "B = WaffleSwitch(name='b', module_name=__name__)\n"
        "C = WaffleFlag(f'{other}.c', __name__)\n"
        "D = WaffleFlag(key_of('d'), __name__)\n"
        "E = WaffleFlag(*args)\n"
        "f = make_flag('f')\n"
        "def g():\n    H = WaffleFlag('h', __name__)\n",
        "app/toggles.py",
        "app.toggles",
    )
    assert facts.flag_objects == (
        FlagObject("A", "WaffleFlag", "ns.a", Span(2, 1, 2, 2)),
        FlagObject("B", "WaffleSwitch", "b", Span(3, 1, 3, 2)),
    )


def test_the_message_names_the_object_its_class_and_key(tmp_path):
    shutil.copytree(DATA / "flag_objects" / "edx", tmp_path / "p")
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path / "p")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "app/toggles.py:9:1: FL005 flag object app.toggles.OLD_PROGRESS (WaffleFlag 'courseware.old_progress') "
        "is built but never read",
        "app/toggles.py:11:1: FL005 flag object app.toggles.ENABLE_LEGACY_EXPORT (SettingToggle "
        "'ENABLE_LEGACY_EXPORT') is built but never read",
    ]


@pytest.mark.parametrize(
    "case, path, old, new, finding",
    [
        ("edx", "app/views.py", "NEW_OUTLINE.is_enabled()", "True", "FL005 app/toggles.py:8 app.toggles.NEW_OUTLINE"),
        (
            "edx",
            "app/views.py",
            '{"maintenance": MAINTENANCE}',
            "{}",
            "FL005 app/toggles.py:10 app.toggles.MAINTENANCE",
        ),
        (
            "in_tree",
            "app/main.py",
            "flags.FAST_SEARCH.is_enabled()",
            "True",
            "FL005 app/flags.py:3 app.flags.FAST_SEARCH",
        ),
        (
            "by_name",
            "app/main.py",
            "getattr(flags, name)",
            "flags.FAST_SEARCH",
            "FL005 app/flags.py:4 app.flags.DARK_MODE",
        ),
    ],
)
def test_each_must_not_reports_without_what_keeps_it_quiet(tmp_path, monkeypatch, case, path, old, new, finding):
    root = tmp_path / case
    shutil.copytree(DATA / "flag_objects" / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    target = root / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))
    monkeypatch.chdir(root)
    found = [f"{f.code} {f.path}:{f.span.line} {f.flag}" for f in api.check(["."], cwd=root).findings]
    assert finding in found
    assert finding not in expected("flag_objects", case)


def test_a_class_without_a_read_method_is_no_flag_class(lint):
    files = {
        "app/__init__.py": "",
        "app/things.py": "class Thing:\n    def __init__(self, key):\n        self.key = key\n"
        "    def enabled(self):\n        return True\n",
        "app/flags.py": "from app.things import Thing\nX = Thing('x')\n",
    }
    assert list(lint(files)) == []
    files["app/things.py"] = files["app/things.py"].replace("def enabled", "def is_enabled")
    assert [(f.code, f.path, f.span.line, f.flag) for f in lint(files)] == [("FL005", "app/flags.py", 2, "app.flags.X")]


def test_without_its_flag_classes_line_the_configured_class_is_no_flag_class(tmp_path, monkeypatch):
    root = tmp_path / "configured"
    shutil.copytree(DATA / "flag_objects" / "configured", root, ignore=shutil.ignore_patterns("expected.txt"))
    (root / "flaglint.toml").unlink()
    monkeypatch.chdir(root)
    assert list(api.check(["."], cwd=root).findings) == []


@pytest.mark.parametrize(
    "value, message",
    [
        ('["Switch"]', "flag-classes: 'Switch' is not a dotted class name (module.Class)"),
        ('["pkg.not a name"]', "flag-classes: 'pkg.not a name' is not a dotted class name (module.Class)"),
        ('"pkg.Switch"', "flag-classes"),
    ],
)
def test_a_bad_flag_classes_entry_is_exit_2_naming_the_key(tmp_path, value, message):
    (tmp_path / "flaglint.toml").write_text(f"flag-classes = {value}\n")
    (tmp_path / "app.py").write_text("X = 1\n")
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("case", case_names("flag_objects"))
def test_the_audit_lists_as_unused_exactly_what_fl005_reports(tmp_path, monkeypatch, case):
    from flaglint.audit import audit
    from flaglint.config import load_config

    root = tmp_path / case
    shutil.copytree(DATA / "flag_objects" / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(root)
    options = {"config": load_config(root / "flaglint.toml")} if (root / "flaglint.toml").exists() else {}
    flags = audit(["."], cwd=root, ages=False, **options).flags
    unused = sorted(e.name for e in flags if e.status == "unused")
    assert unused == sorted(line.split()[2] for line in expected("flag_objects", case))
    assert all(e.notes[0].startswith("flag object of ") for e in flags if e.status == "unused")

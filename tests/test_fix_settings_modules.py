"""``fix`` never deletes a module that something loads by a name written in
a string or a file: Django's settings module, named by DJANGO_SETTINGS_MODULE
in pytest.ini (or tox.ini, .env, code). Emptied by the fix, it stays."""

from __future__ import annotations

import pytest
from conftest import run_cli, write_tree

TREE = {
    "proj/__init__.py": "",
    "proj/conf/__init__.py": "",
    "proj/conf/server.py": '"""Settings."""\nENABLE_X = False\n',
    "app/__init__.py": "",
    "app/direct.py": "from proj.conf.server import ENABLE_X\n\n\ndef f():\n    if ENABLE_X:\n        return 1\n    return 0\n",
}

NAMERS = {
    "pytest.ini": {"pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = proj.conf.server\n"},
    "manage.py": {
        "manage.py": 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.conf.server")\n',
    },
}


@pytest.mark.parametrize("namer", sorted(NAMERS))
def test_an_emptied_settings_module_named_by_the_project_is_kept(tmp_path, namer):
    write_tree(tmp_path, {**TREE, **NAMERS[namer]})
    result = run_cli("fix", "--all", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "proj/conf/server.py").exists()
    assert "removed module proj.conf.server" not in result.output
    # the gate itself is baked in as before
    assert (tmp_path / "app/direct.py").read_text() == "def f():\n    return 0\n"


def test_an_emptied_module_nothing_names_is_still_removed(tmp_path):
    """The must-not: without a DJANGO_SETTINGS_MODULE naming it, the
    emptied module goes, as before."""
    tree = {**TREE, "proj/conf/server.py": '"""Flags."""\nENABLE_X = False\n'}
    tree["proj/conf/flags.py"] = tree.pop("proj/conf/server.py")
    tree["app/direct.py"] = tree["app/direct.py"].replace("proj.conf.server", "proj.conf.flags")
    write_tree(tmp_path, tree)
    result = run_cli("fix", "--all", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "proj/conf/flags.py").exists()

"""Which environment variable a settings field is bound to, in the shapes
pydantic allows beyond a plain ``model_config``: a prefix inherited from a
base class with no fields of its own, v2 class keywords, a one-line v1
``class Config``. And the shapes whose names flaglint does not model (an
``env_file`` other than ``.env``, ``settings_customise_sources``,
``env_nested_delimiter``, ``secrets_dir``), where no field is FL001."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, write_tree

VIEWS = "from app.config import settings\n\n\ndef view():\n    if settings.beta:\n        return 1\n    return 0\n"
V2 = "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"

KNOWN = {  # config.py -> the variable it binds ``beta`` to
    "inherited from a base with no fields": (
        V2 + "class AppBase(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")\n\n\n'
        "class Settings(AppBase):\n    beta: bool = False\n\n\nsettings = Settings()\n",
        "APP_BETA",
    ),
    "v2 class keywords": (
        V2 + 'class Settings(BaseSettings, env_prefix="I_"):\n    beta: bool = False\n\n\nsettings = Settings()\n',
        "I_BETA",
    ),
    "one-line v1 Config": (
        "from pydantic import BaseSettings\n\n\nclass Settings(BaseSettings):\n    beta: bool = False\n\n"
        '    class Config: env_prefix = "M_"\n\n\nsettings = Settings()\n',
        "M_BETA",
    ),
}

UNMODELLED = {
    "env_file elsewhere": 'model_config = SettingsConfigDict(env_file="deploy/app.env")',
    "nested delimiter": 'model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__")',
    "secrets dir": 'model_config = SettingsConfigDict(secrets_dir="/run/secrets")',
    "own sources": "@classmethod\n    def settings_customise_sources(cls, settings_cls, **kw):\n        return ()",
}


def _findings(tmp_path):
    result = run_cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    return [(f["code"], f["path"], f["line"], f["flag"]) for f in json.loads(result.output)["findings"]]


@pytest.mark.parametrize("shape", sorted(KNOWN))
def test_the_field_is_bound_to_its_variable(tmp_path, shape):
    config, variable = KNOWN[shape]
    write_tree(tmp_path, {"app/__init__.py": "", "app/config.py": config, "app/views.py": VIEWS, ".env": "OTHER=1\n"})
    assert _findings(tmp_path) == [("FL001", "app/views.py", 5, f"env:{variable}")]
    (tmp_path / ".env").write_text(f"{variable}=1\n")
    assert _findings(tmp_path) == []


@pytest.mark.parametrize("shape", sorted(UNMODELLED))
def test_names_flaglint_does_not_model_make_no_fl001(tmp_path, shape):
    config = (
        V2
        + f"class Settings(BaseSettings):\n    {UNMODELLED[shape]}\n    beta: bool = False\n\n\nsettings = Settings()\n"
    )
    write_tree(tmp_path, {"app/__init__.py": "", "app/config.py": config, "app/views.py": VIEWS, ".env": "OTHER=1\n"})
    assert _findings(tmp_path) == []


def test_a_direct_environment_read_of_a_fields_variable_reads_the_field(tmp_path):
    """``os.environ.get("APP_SEARCH_V2")`` reads what ``search_v2`` reads:
    not FL005; ``other_x`` (the must: nothing reads it) is."""
    config = (
        V2 + "class Settings(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_prefix="APP_")\n'
        "    search_v2: bool = False\n    other_x: bool = False\n\n\nsettings = Settings()\n"
    )
    views = 'import os\n\nSEARCH_V2 = os.environ.get("APP_SEARCH_V2", "0") == "1"\n'
    write_tree(tmp_path, {"app/__init__.py": "", "app/config.py": config, "app/views.py": views})
    assert _findings(tmp_path) == [("FL005", "app/config.py", 7, "app.config.Settings.other_x")]

"""``[tool.flaglint]`` list keys reach the Config they configure."""

from __future__ import annotations

from flaglint.config import _LIST_KEYS, Config, load_config


def test_every_list_key_is_kept(tmp_path):
    (tmp_path / "lib").mkdir()
    values = {
        "exclude": ["build/"],
        "select": ["FL001"],
        "ignore": ["FL002"],
        "external-flags": ["ENABLE_X"],
        "flag-sources": ["flags.json"],
        "include": ["src/"],
        "src": ["lib"],
        "flag-classes": ["pkg.toggles.Toggle"],
    }
    assert set(values) == set(_LIST_KEYS)
    lines = "".join(f"{key} = {items!r}\n".replace("'", '"') for key, items in values.items())
    (tmp_path / "flaglint.toml").write_text(lines, encoding="utf-8")
    config = load_config(tmp_path / "flaglint.toml")
    assert {key: list(getattr(config, _LIST_KEYS[key])) for key in values} == values


def test_absent_keys_keep_their_defaults(tmp_path):
    (tmp_path / "flaglint.toml").write_text("", encoding="utf-8")
    assert load_config(tmp_path / "flaglint.toml") == Config(path=tmp_path / "flaglint.toml")

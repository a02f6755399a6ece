import pytest

from app.flags import flag_set as original_flag_set


@pytest.fixture
def used_on_off(monkeypatch):
    def patched_flag_set(key, *args, **kwargs):
        if key == "used_on":
            return False
        return original_flag_set(key, *args, **kwargs)

    monkeypatch.setattr("app.flags.flag_set", patched_flag_set)


@pytest.fixture
def spy(monkeypatch):
    def fake_flag_set(*args, **kwargs):
        return original_flag_set(*args, **kwargs)

    monkeypatch.setattr("app.views.flag_set", fake_flag_set)

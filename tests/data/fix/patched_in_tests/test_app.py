from unittest import mock

import app


def test_bracket(monkeypatch):
    monkeypatch.setattr(app, 'add_bracket_after_function', True)
    assert app.complete('f', True) == 'f('


def test_patch_object():
    with mock.patch.object(app, "ENABLE_PATCHED_OBJECT", True):
        assert app.complete('x', False) == 'x<object>'


@mock.patch("app.ENABLE_PATCHED_PATH", True)
def test_patch_path():
    assert app.complete('x', False) == 'x<path>'


def test_monkeypatch_path(monkeypatch):
    monkeypatch.setattr("app.ENABLE_MONKEYPATCHED_PATH", True)
    assert app.complete('x', False) == 'x<monkeypatched>'


def test_patched_off(monkeypatch):
    monkeypatch.setattr(app, "PATCHED_OFF", False)
    assert app.complete('x', False) == 'x'

"""jedi 0.20.1's ``test/test_api/test_settings.py``, on the slice: the
``Completion`` is built directly instead of by ``Script('def foo(): ...')``."""

from jedi import api
from jedi.api.classes import Completion


def test_add_bracket_after_function(monkeypatch):
    settings = api.settings
    monkeypatch.setattr(settings, 'add_bracket_after_function', True)
    completion = Completion('foo', 'function', like_name_length=3)
    assert completion.complete == '('


def test_no_bracket_by_default():
    assert Completion('foo', 'function', like_name_length=2).complete == 'o'

"""The start of jedi 0.20.1's ``test/test_utils.py`` (its first tests need
only the builtins, which the slice's stand-in ``Interpreter`` completes)."""

try:
    import readline
except ImportError:
    readline = False  # type: ignore[assignment]
import unittest

from jedi import utils


@unittest.skipIf(not readline, "readline not found")
class TestSetupReadline(unittest.TestCase):
    class NameSpace(object):
        pass

    def setUp(self, *args, **kwargs):
        super().setUp(*args, **kwargs)

        self.namespace = self.NameSpace()
        utils.setup_readline(self.namespace)

    def complete(self, text):
        completer = readline.get_completer()
        i = 0
        completions = []
        while True:
            completion = completer(text, i)
            if completion is None:
                break
            completions.append(completion)
            i += 1
        return completions

    def test_simple(self):
        assert self.complete('list') == ['list']
        assert self.complete('importerror') == ['ImportError']


def test_version_info():
    assert utils.version_info() == (0, 20, 1)

"""flaglint test data: a slice of jedi 0.20.1 (MIT, see LICENSE.txt).

``settings.py`` (its first part), ``utils.py`` (whole) and
``Completion._complete`` in ``api/classes.py`` are jedi's code as released;
this file is not: jedi's ``Interpreter`` needs the whole of jedi and parso,
so a stand-in completes names from the namespaces and the builtins, enough
for ``utils.setup_readline``'s completer and its test to run.
"""

import builtins
import re

__version__ = '0.20.1'


class _Completion:
    def __init__(self, like_name_length, name):
        self._like_name_length = like_name_length
        self.name_with_symbols = name


class Interpreter:
    def __init__(self, code, namespaces):
        self._prefix = re.split(r'\W', code)[-1]
        self._namespaces = [*namespaces, vars(builtins)]

    def complete(self, fuzzy=False):
        prefix = self._prefix.lower()
        names = sorted({name for namespace in self._namespaces for name in namespace if name.lower().startswith(prefix)})
        return [_Completion(len(prefix), name) for name in names]

"""flaglint test data: ``Completion._complete`` and ``complete`` from jedi
0.20.1's ``jedi/api/classes.py`` as released; the constructor is cut down
(jedi's takes an inference state and a tree name)."""

from jedi import settings


class Completion:
    def __init__(self, name, type, like_name_length):
        self._public_name = name
        self.type = type
        self._like_name_length = like_name_length
        self._is_fuzzy = False

    def _complete(self, like_name):
        append = ''
        if settings.add_bracket_after_function \
                and self.type == 'function':
            append = '('

        name = self._public_name
        if like_name:
            name = name[self._like_name_length:]
        return name + append

    @property
    def complete(self):
        """
        Only works with non-fuzzy completions. Returns None if fuzzy
        completions are used.
        """
        if self._is_fuzzy:
            return None
        return self._complete(True)

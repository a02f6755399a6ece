"""Switches a project's own tests turn on with monkeypatch or mock.

The first is jedi 0.20.1's: its tests set it with monkeypatch.setattr and
nothing else does, so fix must leave the code it gates alone.
"""

add_bracket_after_function = False
ENABLE_PATCHED_OBJECT = False
ENABLE_PATCHED_PATH = False
ENABLE_MONKEYPATCHED_PATH = False
PATCHED_OFF = False  # the tests patch it, but only to False


def complete(name, is_function):
    append = ''
    if add_bracket_after_function and is_function:
        append = '('
    if ENABLE_PATCHED_OBJECT:
        append += '<object>'
    if ENABLE_PATCHED_PATH:
        append += '<path>'
    if ENABLE_MONKEYPATCHED_PATH:
        append += '<monkeypatched>'
    return name + append

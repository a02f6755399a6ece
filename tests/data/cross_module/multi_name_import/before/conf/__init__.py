from . import _values, names


def pick(x):
    if _values.ENABLE_FAST:
        return x
    return names.NAME

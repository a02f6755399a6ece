"""A shim whose names are not a literal set: any name of its target may be fetched."""

_MOVED = ("parse",)


def __getattr__(name):
    if name in _MOVED:
        from pkg.processing import parsing as _mod

        return getattr(_mod, name)
    raise AttributeError(name)

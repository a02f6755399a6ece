"""Moved to pkg.processing.dagbag."""


def __getattr__(name):
    if name in {"DagBag", "FileLoadStat"}:
        from pkg.processing import dagbag as _mod

        return getattr(_mod, name)
    raise AttributeError(name)

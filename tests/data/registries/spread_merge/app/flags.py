BASE = {"alpha": False, "beta": True}
LOCAL = {"gamma": False}
ALL_FLAGS = {**BASE, **LOCAL}
MORE = BASE | {"delta": True}


def flag(key, default=False):
    return ALL_FLAGS.get(key, default)


def more(key):
    return MORE[key]

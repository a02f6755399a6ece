_TOGGLES = {}


def define(name, on=False):
    _TOGGLES[name] = on


def enabled(name):
    return _TOGGLES.get(name, False)


define("checkout-v2")

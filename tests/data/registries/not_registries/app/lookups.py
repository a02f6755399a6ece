LIMITS = {"uploads": 10, "exports": 2}
TRUTHS = {"yes": True, "no": False, "on": True, "off": False}
FLAGS = {"audit-log": False}
EMPTY: dict = {}


def limit(name):
    return LIMITS[name]  # not bools: a table of settings, not flags


def pick(table, key):
    return table[key]  # a dict passed in: not one flaglint can see


def member(key):
    return key in {"audit-log"}  # a set


def logged(key):
    print(FLAGS[key])  # looked up, but what it returns is something else
    return True


def empty(key):
    return EMPTY.get(key, False)  # nothing in it to check against


def to_bool(text):
    return TRUTHS.get(text, False)  # a parser's table of truth words, not flags

from . import keys


def run(x):
    return keys.KEY

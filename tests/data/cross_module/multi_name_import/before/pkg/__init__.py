from . import _settings, keys


def run(x):
    if _settings.ENABLE_TURBO:
        return x
    return keys.KEY

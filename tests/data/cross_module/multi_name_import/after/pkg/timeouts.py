from pkg import _settings


def timeout():
    return _settings.TIMEOUT

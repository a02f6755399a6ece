import os

EXTRA = {"ENABLE_CACHE": "1"}


def boot(name):
    EXTRA[name] = "1"
    os.environ.update(EXTRA)
    os.environ[name.upper()] = "1"

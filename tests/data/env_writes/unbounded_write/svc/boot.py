import os


def boot(extra):
    os.environ.update(extra)

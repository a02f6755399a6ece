from . import settings


def run(event):
    return settings.LEVEL

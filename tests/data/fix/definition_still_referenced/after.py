import settings


def sync(store):
    return store


def describe():
    return {"flag": getattr(settings, "ENABLE_SYNC")}

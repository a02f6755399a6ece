import settings


def sync(store):
    if settings.ENABLE_SYNC:
        store.sync()
    return store


def describe():
    return {"flag": getattr(settings, "ENABLE_SYNC")}

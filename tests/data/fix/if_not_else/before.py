USE_CACHE = False


def load(key):
    if not USE_CACHE:
        value = db_get(key)
        hits = 0
    else:
        value = cache_get(key)
        hits = 1
    return value, hits

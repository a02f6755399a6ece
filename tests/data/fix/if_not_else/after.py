def load(key):
    value = db_get(key)
    hits = 0
    return value, hits

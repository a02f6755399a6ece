import ldclient

client = ldclient.get()


def flag_set(key, user=None):
    return client.variation(key, {"key": user or "anonymous"}, False)

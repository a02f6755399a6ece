import os

import ldclient

client = ldclient.get()


def is_on(key, *, user="anonymous"):
    forced = os.getenv(key.upper())
    if forced is not None:
        return forced == "1"
    return client.variation(key, {"key": user}, False)

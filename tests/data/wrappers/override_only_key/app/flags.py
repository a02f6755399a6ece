import ldclient

from app.stale import STALE_FLAGS

client = ldclient.get()


def flag_set(feature_flag, user=None):
    if feature_flag in STALE_FLAGS:
        return STALE_FLAGS[feature_flag]
    return client.variation(feature_flag, {"key": user or "anonymous"}, False)

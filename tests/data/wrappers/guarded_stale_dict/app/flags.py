import ldclient

from app import settings
from app.params import get_bool_env
from app.stale import STALE_FLAGS

if settings.FLAGS_FROM_FILE:
    client = ldclient.get()
elif settings.FLAGS_OFFLINE:
    client = ldclient.get()
else:
    client = ldclient.get()


def flag_set(feature_flag, user=None, override_system_default=None):
    if feature_flag in STALE_FLAGS:
        return STALE_FLAGS[feature_flag]
    env_value = get_bool_env(feature_flag, default=None)
    if env_value is not None:
        return env_value
    if override_system_default is not None:
        system_default = override_system_default
    else:
        system_default = settings.DEFAULT_VALUE
    return client.variation(feature_flag, {"key": user or "anonymous"}, system_default)

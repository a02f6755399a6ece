from openfeature import api

from app import settings

if settings.REMOTE:
    client = api.get_client("remote")
else:
    client = api.get_client()

OVERRIDES = {
    "forced-off": False,
    "forced-on": True,
}


def enabled(*, flag_key, default=False):
    value = OVERRIDES.get(flag_key)
    if value is not None:
        return value
    return client.get_boolean_value(flag_key, default)

import ldclient
from UnleashClient import UnleashClient

from app.testing import TESTING

# two SDKs, one per branch: neither is the receiver for sure
if TESTING:
    client = UnleashClient("http://unleash", "app")
else:
    client = ldclient.get()


def other_flag(key):
    return client.variation(key, None, False)

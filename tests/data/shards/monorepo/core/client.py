import ldclient


def is_on(key, user=None):
    return ldclient.get().variation(key, user, False)

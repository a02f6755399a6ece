import ldclient


def flag_set(feature_flag, user=None):
    return ldclient.get().variation(feature_flag, user, False)

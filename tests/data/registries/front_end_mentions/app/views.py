from app.flags import is_enabled


def view():
    if is_enabled("new-ui"):  # off by default, but a deployment may turn it on
        return 1
    if is_enabled("old-nav"):  # on by default, but a deployment may turn it off
        return 2
    if is_enabled("new-iu"):  # not in the registry: a typo
        return 3
    return 0

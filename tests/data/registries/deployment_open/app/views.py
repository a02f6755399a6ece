from app.flags import flags


def view():
    if flags.enabled("NEW_UI"):  # decided only where the deployment sources agree
        return 1
    if flags.enabled("OLD_NAV"):
        return 2
    if flags.enabled("BETA"):  # the deployment does not name it: a deployment elsewhere may
        return 3
    return 0

from app.flags import flags


def view():
    if flags.enabled("NEW_UI"):  # on by default, off in the deployment: never on
        return 1
    if flags.enabled("OLD_NAV"):  # on in the deployment: always on
        return 2
    if flags.enabled("BETA"):  # the deployment does not name it: a deployment elsewhere may
        return 3
    return 0

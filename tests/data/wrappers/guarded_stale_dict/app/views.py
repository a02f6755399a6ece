from app.flags import flag_set


def stale_off():
    if flag_set("ff_stale_off"):
        return "new"
    return "old"


def stale_on():
    if flag_set("ff_stale_on"):
        return "new"
    return "old"


def plain_off():
    if flag_set("ff_plain_off"):
        return "new"
    return "old"


def plain_on():
    if flag_set("ff_plain_on"):
        return "new"
    return "old"

from app.flags import flag_set


def view():
    if flag_set("ff_read"):
        return "new"
    return "old"

from app.flags import flags


def view():
    if flags.enabled("new-billing"):
        return "new"
    if flags.enabled("fast-search"):
        return "fast"
    return "old"

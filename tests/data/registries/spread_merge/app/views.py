from app.flags import flag, more


def view():
    if flag("alpha"):
        return 1
    if flag("gamma"):
        return 2
    if more("delta"):
        return 3
    return 0

from app.flags import flag_set


def view():
    return "new" if flag_set("used_on") else "old"

from app.flags import is_on


def view():
    if is_on("new_ui"):  # off in the file, but .env sets NEW_UI: live
        return "new"
    if is_on("old_nav"):  # on in the file, but .env sets OLD_NAV: may be off
        return "nav"
    if is_on("beta"):  # off in the file, and no source sets BETA
        return "beta"
    return "old"

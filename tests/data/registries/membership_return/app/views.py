from app.flags import is_listed, is_on


def view():
    if is_listed("present-off"):
        return "listed"
    if is_on("guarded-off"):
        return "off"
    if is_on("guarded-on"):
        return "on"
    return None

from app.flags import feature_on


def view():
    if feature_on("SEARCH_V2"):
        return 1
    if feature_on("EXPORT_CSV"):
        return 2
    if feature_on("DARK_MOD"):
        return 3
    return 0

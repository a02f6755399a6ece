from app.flags import manager


def view():
    if manager.is_feature_enabled("org:dark-mode"):
        return "dark"
    return manager.is_feature_enabled("org:exports")

from flask import current_app

from app.flags import manager


def enabled_features(names):
    # keys built at run time: any registry key may be one of them
    return [name for name in names if current_app.config["FEATURE_FLAGS"].get(name)]


def view():
    return manager.is_feature_enabled("EXPORTS")

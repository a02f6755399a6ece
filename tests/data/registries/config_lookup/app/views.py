from flask import current_app

from app import settings
from app.flags import manager

LIMITS = {"NEVER_READ": True}


def reset():
    # the deployment's dict looked up directly, not through the manager
    if not current_app.config.get("FEATURE_FLAGS", {}).get("FACTORY_RESET"):
        return None
    return "reset"


def ui(app):
    if app.config["FEATURE_FLAGS"]["NEW_UI"]:
        return "new"
    if "DARK_MODE" in settings.FEATURE_FLAGS:
        return "dark"
    if app.config["FEATURE_FLAGS"].get("NEW_IU"):  # not in the registry: a typo
        return "typo"
    if deployed("AUDIT_LOG"):
        return "audited"
    return manager.is_feature_enabled("EXPORTS")


def deployed(name):
    # a helper of its own over the deployment's dict: its callers' keys are read
    return current_app.config["FEATURE_FLAGS"].get(name, False)


def not_reads(app, table):
    if LIMITS.get("NEVER_READ"):  # another dict: no read of the registry key
        return 1
    if app.config["OTHER_SETTINGS"].get("NEVER_READ"):  # a mapping no registry merges
        return 2
    if table["FEATURE_FLAGS"].get("NEVER_READ"):  # not a configuration mapping
        return 3
    return 0

DEFAULT_FEATURE_FLAGS: dict[str, bool] = {
    "FACTORY_RESET": False,
    "NEW_UI": False,
    "DARK_MODE": True,
    "EXPORTS": False,
    "AUDIT_LOG": False,
    "NEVER_READ": False,
}

# a deployment's own configuration replaces this
FEATURE_FLAGS: dict[str, bool] = {}

DEBUG = False

# this deployment's feature flags (but app/default_settings.py binds the name too)
FEATURE_FLAGS = {
    "NEW_UI": False,
    "OLD_NAV": True,
    "RETIRED": False,
}

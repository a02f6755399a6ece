DEBUG = False

# this deployment's feature flags (but app/flags.py merges more after them)
FEATURE_FLAGS = {
    "NEW_UI": False,
    "OLD_NAV": True,
    "RETIRED": False,
}

DEBUG = False

# this deployment's feature flags (the only one: it decides the keys it names)
FEATURE_FLAGS = {
    "NEW_UI": False,
    "OLD_NAV": True,
    "RETIRED": False,
}

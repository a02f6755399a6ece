DEBUG = False

# this deployment's feature flags (but local_settings may replace them)
FEATURE_FLAGS = {
    "NEW_UI": False,
    "OLD_NAV": True,
    "RETIRED": False,
}

try:  # a deployment's own settings, outside the tree, may replace any of these
    from local_settings import *  # noqa: F403
except ImportError:
    pass

import json
import os

DEBUG = False

# this deployment's feature flags (but the environment may add any)
FEATURE_FLAGS = {
    "NEW_UI": False,
    "OLD_NAV": True,
    "RETIRED": False,
}

# and any flag from the environment, as JSON
FEATURE_FLAGS.update(json.loads(os.environ.get("APP_FEATURE_FLAGS", "{}")))

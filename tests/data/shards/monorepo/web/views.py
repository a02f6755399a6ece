import os

from core.client import is_on


def home(user):
    if is_on("dead-banner", user):
        return "new"
    if is_on("live-banner", user):
        return "live"
    if os.environ.get("FEATURE_EXPORT") == "1":
        return "export"
    if os.environ.get("FEATURE_BETA") == "1":
        return "beta"
    return "old"

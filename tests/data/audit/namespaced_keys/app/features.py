from app.conf import FEATURES


def has(name, organization=None):
    return FEATURES.get(name, False)


def register(manager):
    manager.add("organizations:sso")

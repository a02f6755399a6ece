from app import features

EXPOSABLE = ["organizations:old-thing"]


def exposed(organization, extra):
    return [name for name in EXPOSABLE + extra if features.has(name, organization)]

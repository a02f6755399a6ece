from app import features

EXPOSABLE = ["organizations:old-thing"]


def exposed(organization):
    return [name for name in EXPOSABLE if features.has(name, organization)]

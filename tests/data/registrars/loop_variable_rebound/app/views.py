from app import features


def view(org, other):
    if features.has("organizations:new-ui", org):
        return 2
    for feature in ["organizations:typo-key"]:
        feature = other.name
        if features.has(feature, org):
            return 1
    return 0

from app import features


def view(org, feature):
    if features.has("organizations:new-ui", org):
        return 1
    return features.has(feature, org)

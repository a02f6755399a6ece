from app import features


def view(org, name):
    if features.has("organizations:new-ui", org):
        return 1
    return features.has("projects:" + name, org) or features.has(f"projects:{name}-v2", org)

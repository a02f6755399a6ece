from app import features


def view(org, interface):
    if features.has("organizations:new-ui", org):
        return 1
    if features.has("projects:alerts", org):
        return 1
    return features.has(f"{interface.kind}.disallow-new-enrollment", org)

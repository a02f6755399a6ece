from app import features


def view(org):
    if features.has("organizations:new-ui", org):
        return 1
    if features.has("projects:alerts", org):
        return 2
    if features.has("organizations:new-iu", org):
        return 3
    return 0

from app import features
from app.features import default_manager


def view(org):
    if features.has("organizations:new-ui", org):
        return 1
    if default_manager.has("projects:alerts", org):
        return 2
    return features.has("organizations:old-export", org)

from app import features


def view(organization, scope):
    if features.has("organizations:api-keys", organization):
        return "keys"
    if features.has(f"organizations:{scope}", organization):
        return "scoped"
    return "plain"

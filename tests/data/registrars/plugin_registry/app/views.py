from app.plugins import registry


def view():
    return registry.get("github"), registry.get("gitlba")

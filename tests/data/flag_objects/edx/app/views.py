from app.toggles import BULK_EMAIL, MAINTENANCE, NEW_OUTLINE


def outline():
    if NEW_OUTLINE.is_enabled():
        return "new"
    return "old"


def status():
    return {"maintenance": MAINTENANCE}


def send(toggle=BULK_EMAIL):
    return toggle

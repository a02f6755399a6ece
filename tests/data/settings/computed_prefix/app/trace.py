from app.base import Settings


def trace(settings: Settings):
    if settings.api.tracing:
        return True
    return False

from app import settings


def run():
    if settings.ENABLE_TURBO:
        return 1
    if settings.ENABLE_AUDIT:
        return 2
    if settings.ENABLE_LOGS:
        return 3
    return 0

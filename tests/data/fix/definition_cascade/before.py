import settings
from settings import ENABLE_LEGACY_EXPORT


def export(rows):
    if settings.ENABLE_FAST_PATH:
        rows = sorted(rows)
    if ENABLE_LEGACY_EXPORT:
        return legacy(rows)
    return write(rows, settings.EXPORT_FORMAT)


def label():
    return "legacy" if settings.ENABLE_LEGACY_EXPORT else "current"

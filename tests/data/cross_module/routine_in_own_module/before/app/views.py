from app import settings
from app.legacy import current_export, legacy_export


def export(rows):
    if settings.ENABLE_LEGACY_EXPORT:
        return legacy_export(rows)
    return current_export(rows)

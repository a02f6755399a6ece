from app import settings
from app.legacy import legacy_export


def export(rows):
    if settings.ENABLE_LEGACY_EXPORT:
        return legacy_export(rows)
    return rows

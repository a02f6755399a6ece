from app import exporters, settings


def export(rows):
    if settings.ENABLE_LEGACY_EXPORT:
        exporter = exporters.LegacyExporter(rows)
        return exporter.render()
    return exporters.JsonExporter(rows).render()

from app import exporters


def export(rows):
    return exporters.JsonExporter(rows).render()

from app.legacy import current_export


def export(rows):
    return current_export(rows)

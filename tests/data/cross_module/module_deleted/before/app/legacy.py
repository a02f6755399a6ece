"""The old CSV export, switched off in 2019."""

import csv
import io


def legacy_export(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_quote(cell) for cell in row])
    return out.getvalue()


def _quote(cell):
    return '"%s"' % cell

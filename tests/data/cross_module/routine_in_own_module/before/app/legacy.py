"""Exports: the old CSV one and the current one."""

import csv
import io
import json


def legacy_export(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_quote(cell) for cell in row])
    return out.getvalue()


def _quote(cell):
    return '"%s"' % _escape(cell)


def _escape(cell):
    return str(cell).replace('"', '""')


def current_export(rows):
    buffer = io.StringIO()
    json.dump(rows, buffer)
    return buffer.getvalue()

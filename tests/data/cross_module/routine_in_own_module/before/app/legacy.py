"""Exports: the old CSV one and the current one."""

import csv
import io
import json

QUOTE = '"'  # only the old export quotes
INDENT = None


def legacy_export(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_quote(cell) for cell in row])
    return out.getvalue()


def _quote(cell):
    return QUOTE + _escape(cell) + QUOTE


def _escape(cell):
    return str(cell).replace(QUOTE, QUOTE * 2)


def current_export(rows):
    buffer = io.StringIO()
    json.dump(rows, buffer, indent=INDENT)
    return buffer.getvalue()

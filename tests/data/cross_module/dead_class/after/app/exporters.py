"""Exporters."""

import json


class JsonExporter:
    def __init__(self, rows):
        self.rows = rows

    def render(self):
        return json.dumps(self.rows)

"""Exporters."""

import json
from dataclasses import dataclass

from app.formats import legacy_row


@dataclass
class LegacyExporter:
    rows: list

    def render(self):
        return "\n".join(legacy_row(row) for row in self.rows)

    def __len__(self):
        return len(self.rows)


class JsonExporter:
    def __init__(self, rows):
        self.rows = rows

    def render(self):
        return json.dumps(self.rows)

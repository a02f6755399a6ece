"""``flaglint audit --format json``: one object, ``{"version", "flags", "families", "summary"}``."""

from __future__ import annotations

import json

from .inventory import Inventory


def render(inventory: Inventory) -> str:
    return json.dumps(inventory.to_dict(), indent=2) + "\n"

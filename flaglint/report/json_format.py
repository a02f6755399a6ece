"""One JSON object: ``{"version", "findings", "summary"}`` (see docs/usage.md)."""

from __future__ import annotations

import json
from typing import Sequence

from .. import __version__
from ..findings import Finding


def render(findings: Sequence[Finding], summary: dict) -> str:
    document = {
        "version": __version__,
        "findings": [finding.to_dict() for finding in findings],
        "summary": summary,
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"

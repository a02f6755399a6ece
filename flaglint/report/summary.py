"""The summary both formats share."""

from __future__ import annotations

from collections import Counter


def summarise(result) -> dict:
    return {
        "files": result.files,
        "findings": len(result.findings),
        "by_code": dict(sorted(Counter(finding.code for finding in result.findings).items())),
        "skipped": [{"path": item.display, "reason": item.reason} for item in result.skipped],
    }

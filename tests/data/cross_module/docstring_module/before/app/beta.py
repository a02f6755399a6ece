"""Switches for the beta programme (2019)."""
# Owned by the checkout team.
from __future__ import annotations

ENABLE_BETA = False

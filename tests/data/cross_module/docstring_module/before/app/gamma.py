"""Switches for gamma; still imported by app.report."""
from __future__ import annotations

ENABLE_GAMMA = False

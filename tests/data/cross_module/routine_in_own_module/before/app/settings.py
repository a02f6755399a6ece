"""Deployment switches."""

ENABLE_LEGACY_EXPORT = False
ENABLE_GZIP = True

"""Deployment switches."""

ENABLE_GZIP = True

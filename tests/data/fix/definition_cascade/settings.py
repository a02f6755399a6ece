"""Feature switches."""

ENABLE_FAST_PATH = True
ENABLE_LEGACY_EXPORT = False  # retired in 2020
EXPORT_FORMAT = "csv"

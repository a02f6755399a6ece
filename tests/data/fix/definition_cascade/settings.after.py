"""Feature switches."""

ENABLE_FAST_PATH = True
EXPORT_FORMAT = "csv"

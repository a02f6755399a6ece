import os

DEFAULTS = {"ENABLE_CACHE": "1", "ENABLE_METRICS": "1"}


def boot():
    os.environ.update(DEFAULTS)
    os.environ.update({"ENABLE_AUDIT": "1"})
    os.environ.update(ENABLE_TRACING="1")
    local = {"ENABLE_EXPORT": "1"}
    local["ENABLE_IMPORT"] = "1"
    os.environ.update(local)

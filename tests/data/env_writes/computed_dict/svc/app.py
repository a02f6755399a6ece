import os

ENABLE_MIRROR = os.environ.get("ENABLE_MIRROR", "false").lower() in ("1", "true")


def serve():
    if os.getenv("ENABLE_CACHE", "0") == "1":
        cache()
    if ENABLE_MIRROR:
        mirror()

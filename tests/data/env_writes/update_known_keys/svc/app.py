import os


def serve():
    if os.getenv("ENABLE_CACHE", "0") == "1":
        cache()
    if os.getenv("ENABLE_METRICS", "0") == "1":
        metrics()
    if os.getenv("ENABLE_AUDIT", "0") == "1":
        audit()
    if os.getenv("ENABLE_TRACING", "0") == "1":
        trace()
    if os.getenv("ENABLE_EXPORT", "0") == "1":
        export()
    if os.getenv("ENABLE_IMPORT", "0") == "1":
        load()
    if os.getenv("ENABLE_BETA", "0") == "1":
        beta()

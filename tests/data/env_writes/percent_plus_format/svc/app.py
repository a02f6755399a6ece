import os


def serve():
    if os.getenv("ENABLE_SEARCH", "0") == "1":
        search()
    if os.getenv("USE_CACHE", "false") == "true":
        cache()
    if os.getenv("DEBUG_SQL", "0") == "1":
        log_sql()
    if os.getenv("SKIP_CHECKS", "0") == "1":
        return
    if os.getenv("LEGACY_EXPORT", "0") == "1":
        export()

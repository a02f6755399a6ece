from app import options


def view():
    if options.get("auth.allow-registration"):
        return 1
    if options.get("sentry:install-id") is None:
        options.set("sentry:install-id", "x")
    limits = options.get("auth.ip-rate-limit"), options.get("system.url-prefix"), options.get("system.secret-key")
    return limits, options.get("beacon.anonymus")

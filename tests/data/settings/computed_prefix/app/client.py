from app.legacy import APP_API_ENABLE_HTTP2


def connect(settings):
    if APP_API_ENABLE_HTTP2:
        return "h2"
    return "h1"

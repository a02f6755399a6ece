from app.config import Settings, get_settings, settings


def search(s: Settings):
    if s.beta_search:
        return 1


def metrics():
    if get_settings().server.metrics_enabled:
        return 2
    conf = get_settings()
    return conf.dark_mode


def other():
    return settings.name


class Report:
    def __init__(self, settings: Settings):
        self.settings = settings

    def render(self, server: "ServerSettings"):
        return server.legacy_ui_label


from app.config import ServerSettings  # noqa: E402

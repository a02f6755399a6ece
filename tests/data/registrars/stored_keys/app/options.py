class OptionsManager:
    def __init__(self):
        self.registry = {}

    def register(self, key, default=None):
        self.registry[key] = default

    def get(self, key):
        return self.registry.get(key)

    def set(self, key, value):
        self.registry[key] = value


default_manager = OptionsManager()
register = default_manager.register
get = default_manager.get
set = default_manager.set

register("auth.allow-registration", default=False)
register("auth.ip-rate-limit", default=0)
register("system.url-prefix", default="")
register("system.secret-key", default="x")
register("system.admin-email")
register("beacon.anonymous", default=True)

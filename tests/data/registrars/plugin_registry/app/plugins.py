class Registry:
    def __init__(self):
        self._plugins = {}

    def register(self, name, cls):
        self._plugins[name] = cls

    def get(self, name):
        return self._plugins[name]


registry = Registry()
registry.register("github", object)
registry.register("gitlab", object)
registry.register("bitbucket", object)

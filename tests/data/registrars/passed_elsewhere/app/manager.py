class FeatureManager:
    def __init__(self):
        self._registry = {}

    def add(self, name, cls=None, strategy=None):
        self._registry[name] = cls

    def has(self, name, *args):
        return self._registry.get(name) is not None

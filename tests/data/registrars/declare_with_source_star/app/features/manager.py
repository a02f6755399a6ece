__all__ = ["FeatureManager"]


class FeatureManager:
    def __init__(self):
        self._registry = {}

    def add(self, name, cls=None):
        self._registry[name] = cls

    def has(self, name, *args):
        return self._registry.get(name) is not None

    def batch_has(self, names, *args):
        return {name: self.has(name, *args) for name in names}

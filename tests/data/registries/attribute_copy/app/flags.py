DEFAULTS = {
    "new-billing": False,
    "fast-search": True,
}


class Flags:
    def __init__(self, overrides=None):
        self._flags = dict(DEFAULTS)

    def enabled(self, key):
        return self._flags.get(key, False)


flags = Flags()

class Toggle:
    """A project's own flag class: built with its key, read with is_enabled()."""

    def __init__(self, key, default=False):
        self.key = key
        self.default = default

    def is_enabled(self):
        return self.default


class BetaToggle(Toggle):
    pass


class Label:
    """Built with a string, but no read method: not a flag."""

    def __init__(self, text):
        self.text = text

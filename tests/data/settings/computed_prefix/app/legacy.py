"""Old names, made on demand by a module __getattr__ from the settings."""


def __getattr__(name):
    raise AttributeError(name)

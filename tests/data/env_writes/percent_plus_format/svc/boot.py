import os

PREFIX = "USE_"


def configure(name, plugin, mode):
    os.environ["ENABLE_%s" % name] = "1"
    os.environ[PREFIX + plugin] = "true"
    os.environ.setdefault("DEBUG_{}".format(mode), "1")
    os.environ[f"skip_{name}".upper()] = "1"

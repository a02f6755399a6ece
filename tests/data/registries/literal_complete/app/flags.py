FLAGS = {
    "new-ui": False,
    "old-nav": True,
    "never-read": False,
}


def is_enabled(name):
    return FLAGS.get(name, False)

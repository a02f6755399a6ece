FLAGS = {
    "new-ui": False,
    "old-nav": True,
    "never-read": False,
    "front-end-only": True,
    "front-end-longer": False,
}


def is_enabled(name):
    return FLAGS.get(name, False)

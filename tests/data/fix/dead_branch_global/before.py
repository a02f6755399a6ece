ENABLE_NEW = False
COUNT = 0


def bump():
    """Sets the module's COUNT."""
    if ENABLE_NEW:
        global COUNT
    COUNT = 5

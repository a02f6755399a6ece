COUNT = 0


def bump():
    """Sets the module's COUNT."""
    global COUNT
    COUNT = 5

ENABLE_NEW = False


def outer():
    total = 0

    def inner():
        if ENABLE_NEW:
            nonlocal total
        total = 1

    inner()
    return total

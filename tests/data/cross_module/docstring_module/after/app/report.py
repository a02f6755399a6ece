from app import gamma


def report():
    return gamma.__doc__

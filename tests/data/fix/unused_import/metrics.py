def count(name):
    return name


def gauge(name, value):
    return name, value


def timer(name):
    return name

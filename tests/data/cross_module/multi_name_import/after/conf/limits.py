import conf


def limit():
    return conf._values.LIMIT

def registered(order):
    return order


def handler(name):
    return globals()[name]

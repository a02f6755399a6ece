def pick(order):
    if order.size > 1000:
        venue = "block"
    elif order.size > 100:
        venue = "lit"
    else:
        venue = "dark"
    return venue

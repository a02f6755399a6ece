def fetched(order):
    return order

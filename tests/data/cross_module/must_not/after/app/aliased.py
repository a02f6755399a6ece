def aliased_fn(order):
    return order

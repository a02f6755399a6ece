def legacy(order):
    return order

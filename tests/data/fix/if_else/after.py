def price(order):
    total = legacy_engine(order)
    total = round(total, 2)
    return total

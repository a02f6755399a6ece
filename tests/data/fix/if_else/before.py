ENABLE_NEW_PRICING = False


def price(order):
    if ENABLE_NEW_PRICING:
        total = new_engine(order)
    else:
        total = legacy_engine(order)
        total = round(total, 2)
    return total

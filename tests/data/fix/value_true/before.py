NEW_CHECKOUT = False


def checkout(cart):
    if NEW_CHECKOUT:
        # The new flow, ready to ship.
        total = new_total(cart)
    else:
        total = old_total(cart)
    if not NEW_CHECKOUT:
        warn_legacy()
    step = "review" if NEW_CHECKOUT else "confirm"
    return total, step


def old_total(cart):
    return sum(item.price for item in cart)

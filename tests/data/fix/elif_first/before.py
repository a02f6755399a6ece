ENABLE_ROUTER_V2 = False


def pick(order):
    if ENABLE_ROUTER_V2:
        venue = route_v2(order)
    elif order.size > 1000:
        venue = "block"
    elif order.size > 100:
        venue = "lit"
    else:
        venue = "dark"
    return venue

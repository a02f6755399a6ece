RLP = 1 << 5


def mark_retail(order):
    order.flags |= RLP

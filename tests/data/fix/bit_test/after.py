"""Order flags."""

ODD_LOT = 0x01


def mark(order):
    if order.quantity % 100:
        order.flags |= ODD_LOT


def route(order, session):
    if order.flags & ODD_LOT:
        session.queue_odd_lot(order)
    session.check(order)
    peg = "off"
    session.send(order, peg)

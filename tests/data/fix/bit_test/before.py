"""Order flags."""

ODD_LOT = 0x01
POWER_PEG = 0x20  # retired in 2005


def mark(order):
    if order.quantity % 100:
        order.flags |= ODD_LOT


def route(order, session):
    if order.flags & ODD_LOT:
        session.queue_odd_lot(order)
    if order.flags & POWER_PEG:
        session.power_peg(order)
    if (order.flags & POWER_PEG) == POWER_PEG:
        session.power_peg(order)
    if order.flags & POWER_PEG == 0:
        session.check(order)
    peg = "on" if order.flags & POWER_PEG else "off"
    session.send(order, peg)

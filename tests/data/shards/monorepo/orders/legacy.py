POWER_PEG = 0x20


def route(order):
    if order.flags & POWER_PEG:
        order.peg()

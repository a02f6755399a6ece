from core.flags import ENABLE_INVOICES


def send(order):
    if ENABLE_INVOICES:
        render(order)


def render(order):
    return str(order)

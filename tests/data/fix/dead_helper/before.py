ENABLE_POWER_PEG = False


def route(order):
    if ENABLE_POWER_PEG:
        run_power_peg(order)
        audit(order)
    send(order)
    audit(order)


def run_power_peg(order):
    # Loops until the parent order is filled.
    while not _filled(order):
        order.send_child()


def _filled(order):
    return order.filled >= order.quantity


def audit(order):
    log(order)


@register
def on_fill(order):
    audit(order)

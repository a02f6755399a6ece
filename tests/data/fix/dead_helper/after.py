def route(order):
    send(order)
    audit(order)


def audit(order):
    log(order)


@register
def on_fill(order):
    audit(order)

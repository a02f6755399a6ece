DRY_RUN = False


def execute(orders):
    if DRY_RUN:
        return []
    return [place(order) for order in orders]


def preview(orders):
    DRY_RUN = True  # a local of the same name: not the flag
    if DRY_RUN:
        return list(orders)
    return []

def loaded_by_path(order):
    return order

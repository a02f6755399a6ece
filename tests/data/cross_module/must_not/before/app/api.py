__all__ = ["public_api"]


def public_api(order):
    return order

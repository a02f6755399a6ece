import functools


@functools.lru_cache(maxsize=None)
def scheduled(order):
    return order

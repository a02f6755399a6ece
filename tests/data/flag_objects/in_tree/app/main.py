from app import flags


def search():
    if flags.FAST_SEARCH.is_enabled():
        return "fast"
    return "slow"

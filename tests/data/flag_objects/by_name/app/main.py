from app import flags


def search():
    if flags.FAST_SEARCH.is_enabled():
        return "fast"
    return "slow"


def toggle(name):
    return getattr(flags, name).is_enabled()  # any object of app.flags may be read

from django.conf import settings

from mysite.conf import unnamed


def chat():
    if settings.ENABLE_LIVE_CHAT:  # the named module
        return "chat"
    return None


def search():
    if getattr(settings, "ENABLE_BETA_SEARCH", False):  # star-imported by the named module
        return "beta"
    return "classic"


def export():
    if settings.ENABLE_GAMMA_EXPORT:  # star-imported by a star-imported module
        return "gamma"
    if settings.enable_lower_case:  # Django takes only upper-case names
        return "lower"
    return "csv"


def unnamed_read():
    if settings.ENABLE_UNNAMED:  # a module nothing names
        return "never"
    if unnamed.ENABLE_UNNAMED:  # a plain module: nothing can set it
        return "dead"
    return "alive"

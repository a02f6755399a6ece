from django.conf import settings

from app import conf


def integration():
    if not getattr(settings, "ENABLE_INTEGRATION", False):
        return None
    return "integrated"


def export():
    if settings.ENABLE_LEGACY_EXPORT:  # the deployment's settings may turn it on
        return "legacy"
    return "new"


def search():
    return {"fast": settings.ENABLE_FAST_SEARCH}


def by_name(name):
    return getattr(settings, name, False)  # computed: no setting guessed


def reports():
    if conf.ENABLE_OLD_REPORTS:  # a plain module: nothing can set it
        return "old"
    if settings.ENABLE_NOT_A_SETTING:  # defined only outside the settings modules
        return "never"
    return "new"

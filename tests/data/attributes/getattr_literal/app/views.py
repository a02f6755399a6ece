from app import conf


def export():
    if getattr(conf, "ENABLE_OLD_EXPORT", False):
        return "old"
    return "new"


def search():
    if not getattr(conf, "ENABLE_NEW_SEARCH", False):
        return "legacy"
    return "fast"


def by_name(name):
    if getattr(conf, name, False):  # a computed name: any constant, none guessed
        return "on"
    return "off"


def misspelt():
    if getattr(conf, "ENABLE MISSPELT", False):  # not an identifier: no attribute read
        return "on"
    return "off"


def options():
    return {"audit": getattr(conf, "ENABLE_AUDIT_LOG", False)}

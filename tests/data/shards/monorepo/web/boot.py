from core import flags


def configure(settings):
    flags.NEW_TAX = settings.get("new_tax", False)

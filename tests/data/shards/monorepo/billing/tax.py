from core import flags


def tax(amount):
    if flags.NEW_TAX:
        return amount * 0.2
    return amount * 0.1

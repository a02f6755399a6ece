ENABLE_CRYPTO = False


def fee(kind, amount):
    if kind == "equity":
        rate = 0.001
    elif ENABLE_CRYPTO:
        rate = 0.01
    else:
        rate = 0.002
    return amount * rate

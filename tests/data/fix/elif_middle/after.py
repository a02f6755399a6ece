def fee(kind, amount):
    if kind == "equity":
        rate = 0.001
    else:
        rate = 0.002
    return amount * rate

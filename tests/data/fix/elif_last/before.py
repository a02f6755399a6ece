ENABLE_OPTIONS = False


def instrument(symbol):
    if symbol.endswith(".F"):
        return "future"
    elif symbol.endswith(".B"):
        return "bond"
    elif ENABLE_OPTIONS:
        return option_kind(symbol)
    return "equity"

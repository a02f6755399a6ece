def instrument(symbol):
    if symbol.endswith(".F"):
        return "future"
    elif symbol.endswith(".B"):
        return "bond"
    return "equity"

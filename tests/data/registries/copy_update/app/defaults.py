DEFAULT_FLAGS = {
    "SEARCH_V2": False,
    "DARK_MODE": True,
}

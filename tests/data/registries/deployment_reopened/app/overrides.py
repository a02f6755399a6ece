def load_overrides():
    return {}

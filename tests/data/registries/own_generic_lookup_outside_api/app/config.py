DEFAULT_FEATURE_FLAGS: dict[str, bool] = {
    "org:exports": False,
    "org:dark-mode": True,
    "org:never-read": False,
}

# a deployment's own configuration replaces this
FEATURE_FLAGS: dict[str, bool] = {}

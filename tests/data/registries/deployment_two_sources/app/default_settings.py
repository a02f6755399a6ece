# the defaults a deployment without settings of its own runs with
FEATURE_FLAGS: dict = {}

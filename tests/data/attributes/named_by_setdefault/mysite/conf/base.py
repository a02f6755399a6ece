from .defaults import *  # noqa: F403

ENABLE_BETA_SEARCH = False

from .base import *  # noqa: F403

ENABLE_LIVE_CHAT = False

from .base import *  # noqa: F403

ENABLE_LIVE_CHAT = False
ENABLE_SKIP_INTERNAL = False
RATE_LIMITS_ON = False

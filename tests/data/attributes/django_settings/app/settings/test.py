from app.settings.common import *  # noqa: F403

ENABLE_INTEGRATION = True

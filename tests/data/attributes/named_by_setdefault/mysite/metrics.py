from django.conf import settings

skip_internal = settings.ENABLE_SKIP_INTERNAL  # a copy made at import reads the setting


class Endpoint:
    enforce_rate_limit: bool = settings.RATE_LIMITS_ON

from app.flags import flag_set


def remote_flag_set(key, *args, **kwargs):
    """Called by another service with any key: every flag may be read."""
    return flag_set(key, *args, **kwargs)

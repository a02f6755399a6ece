from core.flags import flag_set


def page():
    if flag_set('dead-banner'):
        return 'new'
    if flag_set('live-banner'):
        return 'live'
    return 'old'

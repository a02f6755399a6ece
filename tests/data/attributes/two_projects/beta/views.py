from django.conf import settings


def view():
    if settings.ENABLE_BETA_FEATURE:
        return "beta"
    return ""

from django.conf import settings


def view():
    if settings.ENABLE_ALPHA_FEATURE:
        return "alpha"
    return ""

from django.conf import settings


def view():
    if settings.ENABLE_GAMMA_FEATURE:  # gamma's conf.main is named by no one
        return "gamma"
    return ""

from django.conf import settings


def hooks():
    if settings.ENABLE_TEST_HOOKS:  # named by pytest.ini
        return "hooks"
    return None


def billing():
    if settings.ENABLE_NEW_BILLING:  # named by manage.py, below its own directory
        return "new"
    return "old"


def banner():
    if settings.ENABLE_STAGING_BANNER:  # named nowhere
        return "staging"
    return ""

from django.conf import settings


def view():
    if settings.ENABLE_PROD_ONLY:  # the name is computed: no module guessed
        return "prod"
    if settings.ENABLE_BY_FILE_NAME:  # settings.py: found by its name, as before
        return "named"
    return ""

from django.conf import settings

from app.flags import flag_enabled


def view():
    if flag_enabled("NEW_UI"):
        return 1
    if flag_enabled("SEARCH_V2"):
        return 2
    if flag_enabled("NEW_IU"):  # not in the settings: a typo
        return 3
    if settings.FEATURE_FLAGS.get("NEW_UI"):  # looked up straight: a read too, never "always on"
        return 4
    return 0

from django.conf import settings


def flag_enabled(name):
    return settings.FEATURE_FLAGS.get(name, False)

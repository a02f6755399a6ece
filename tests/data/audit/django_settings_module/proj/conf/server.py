import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.conf.server")

DEMO_MODE = False
SENTRY_BEACON = True
CELERY_IGNORE_RESULT = True
USE_I18N = True
APPEND_SLASH = True

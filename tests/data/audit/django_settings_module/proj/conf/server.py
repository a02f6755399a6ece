import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.conf.server")

DEMO_MODE = False
SENTRY_BEACON = True
NEVER_READ_SETTING = False

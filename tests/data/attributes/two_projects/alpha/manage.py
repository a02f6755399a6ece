import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.main")

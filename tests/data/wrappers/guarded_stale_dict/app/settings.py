import os

FLAGS_FROM_FILE = os.environ.get("FLAGS_FROM_FILE") == "1"
FLAGS_OFFLINE = os.environ.get("FLAGS_OFFLINE") == "1"
DEFAULT_VALUE = False

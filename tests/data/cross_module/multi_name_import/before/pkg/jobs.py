import os, re
from . import (
    _settings,
    keys,
)
from .keys import KEY, KEY as ALIAS


def job(x):
    if _settings.ENABLE_TURBO:
        return re.escape(x), ALIAS
    return keys.KEY, os.sep, KEY

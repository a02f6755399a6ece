import os
from . import (
    keys,
)
from .keys import KEY


def job(x):
    return keys.KEY, os.sep, KEY

import os
import sys
from collections import OrderedDict

from metrics import (
    timer,
)


def handle(request):
    with timer("handle"):
        return os.path.basename(request.path)

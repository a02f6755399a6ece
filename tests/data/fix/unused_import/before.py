import json
import os
import sys
from collections import OrderedDict

from metrics import (
    count,
    timer,
    gauge,
)

ENABLE_METRICS = False


def handle(request):
    if ENABLE_METRICS:
        count("requests")
        gauge("size", len(json.dumps(request)))
    with timer("handle"):
        return os.path.basename(request.path)

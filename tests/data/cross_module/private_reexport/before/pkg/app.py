from . import settings
from ._trace import _only_dead_public_caller, _trace_store, record


def run(event):
    if settings.ENABLE_TRACE:
        _trace_store(event)
        record(event)
        _only_dead_public_caller(event)
    return settings.LEVEL

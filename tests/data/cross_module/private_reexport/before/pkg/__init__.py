"""A package: record() is its API; the private names are not."""
from ._trace import _trace_store, _used_here, record

__all__ = ["record"]

_used_here()

"""The one libcst pass that collects a file's flag facts.

:class:`FactCollector` is one visitor made of handler mixins, one module per
concern, each reading and writing the shared state in ``core.py``:

- ``scopes.py``: classes, functions, lambdas, loops, imports;
- ``definitions.py``: assignments and the names they bind;
- ``reads.py``: reads and gates (tests and what they guard), and uses;
- ``stores.py``: sets and stores (attributes, fields, the environment, flag dicts);
- ``calls.py``: calls, subscripts and comparisons;
- ``wrappers.py``: functions that read a flag for their callers;
- ``references.py``: facts for the dead-code search that are not about flags;
- ``joined_facts.py``: keys of a collection joined by a missing comma.

Reads and uses inside functions are kept pending and resolved when the module
is left (``resolve.py``).
"""

from __future__ import annotations

from .calls import Calls
from .joined_facts import JoinedKeys
from .resolve import resolve_pending
from .scopes import Scopes

__all__ = ["FactCollector", "resolve_pending"]


class FactCollector(Scopes, Calls, JoinedKeys):
    """Collects one file's facts in a single walk (see :mod:`flaglint.extract.walk`)."""

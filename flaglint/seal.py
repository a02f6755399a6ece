"""Authenticate what flaglint stores between runs: ``seal`` and ``unseal``.

STUB of the speed branch. The cache branch replaces this module with the
real one (HMAC-SHA256 under a secret kept outside the analysed tree); only
these two functions, with these signatures, are relied on. Until then the
key is ``FLAGLINT_CACHE_SECRET`` from the environment, or a fixed
development key: enough to detect damage, not a planted file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Optional

_TAG = 32  # bytes of an HMAC-SHA256
_DEV_KEY = b"flaglint development key: the cache branch replaces seal.py"


def _key() -> bytes:
    secret = os.environ.get("FLAGLINT_CACHE_SECRET")
    return secret.encode("utf-8", "surrogateescape") if secret else _DEV_KEY


def seal(data: bytes) -> bytes:
    """``data`` with its authentication tag in front."""
    return hmac.new(_key(), data, hashlib.sha256).digest() + data


def unseal(blob: bytes) -> Optional[bytes]:
    """The data ``seal`` wrapped, or None if ``blob`` is damaged or forged."""
    if len(blob) < _TAG:
        return None
    tag, data = blob[:_TAG], blob[_TAG:]
    return data if hmac.compare_digest(tag, hmac.new(_key(), data, hashlib.sha256).digest()) else None

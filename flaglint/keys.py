"""How a keyed flag is named: the one place its key string is built and split.

A flag read by key rather than by symbol is named ``env:X`` (environment
variable ``X``) or ``sdk:<provider>:<key>`` (``key`` as a flag SDK, or an
in-house registry, serves it; the key may itself contain ``:``). Extraction
writes such names into facts (``Read.ref``), the graph keys flags by them,
and configuration (``external-flags``) spells them the same way. Nothing
else spells the prefixes: ``tests/test_keys.py`` fails on a ``"sdk:`` or
``"env:`` literal anywhere else in flaglint/.

This module imports nothing from flaglint, so any module may use it (the
source formats included).
"""

from __future__ import annotations

import re
from typing import Tuple

#: what a flag key looks like: no spaces, no format placeholders
KEY_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_.:/-]{0,127}")

#: the provider name of environment variables (``sources-complete = ["env"]``)
ENV = "env"
_SDK = "sdk"


def sdk_key(provider: str, key: str) -> str:
    """``sdk:<provider>:<key>``; with ``key`` "" the prefix a key written as
    another module's constant is completed from (:func:`with_key`)."""
    return f"{_SDK}:{provider}:{key}"


def env_key(name: str) -> str:
    """``env:<name>``: environment variable ``name`` as a flag."""
    return f"{ENV}:{name}"


def is_sdk_key(ref: str) -> bool:
    return ref.startswith(_SDK + ":")


def is_env_key(ref: str) -> bool:
    return ref.startswith(ENV + ":")


def is_keyed(ref: str) -> bool:
    """``env:X`` and ``sdk:provider:key`` refs name flags by key, not by symbol."""
    return is_sdk_key(ref) or is_env_key(ref)


def key_parts(ref: str) -> Tuple[str, str]:
    """``sdk:openfeature:new-ui`` -> (``openfeature``, ``new-ui``); ``env:X`` -> (``env``, ``X``)."""
    kind, _, rest = ref.partition(":")
    provider, _, name = rest.partition(":")
    return (provider, name) if kind == _SDK else (ENV, rest)


def with_key(ref: str, key: str) -> str:
    """``ref``'s provider with ``key``: ``sdk:p:`` (a key not known at
    extraction) completed to ``sdk:p:<key>``."""
    provider, _ = key_parts(ref)
    return env_key(key) if provider == ENV else sdk_key(provider, key)


def key_family(ref: str) -> str:
    """``env`` for an environment variable, ``sdk:<provider>`` for an SDK key."""
    provider, _ = key_parts(ref)
    return ENV if provider == ENV else f"{_SDK}:{provider}"


#: the end of a recorded environment write whose name is only known to start
#: with the text before it (``os.environ[f"RUN_{port}"]`` -> ``RUN_*``)
ENV_PREFIX_MARK = "*"


def env_write_pattern(bound: Tuple[bool, str]) -> str:
    """A computed environment write's bound as a fact records it: the name,
    or, for ``(True, prefix)``, the prefix and :data:`ENV_PREFIX_MARK`."""
    prefix, text = bound
    return text + ENV_PREFIX_MARK if prefix else text


def env_write_matches(recorded: str, name: str) -> bool:
    """Whether a recorded write (:func:`env_write_pattern`) can set variable
    ``name``; also whether a flag read by a key bounded the same way
    (``projects:*``, or ``*.disallow-new-enrollment``: a key known only by its
    literal end) can read key ``name``."""
    if recorded.endswith(ENV_PREFIX_MARK):
        return name.startswith(recorded[: -len(ENV_PREFIX_MARK)])
    if recorded.startswith(ENV_PREFIX_MARK):
        return name.endswith(recorded[len(ENV_PREFIX_MARK) :])
    return recorded == name

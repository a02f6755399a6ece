"""Why a flag can be on: a code, the words a report prints, and where.

The analysis decides the reasons (``FlagAnalysis.set_by``); reports print them as they
are. Code that must know *which* reason it is (the audit looks up the line
of an attribute or global assignment) asks the code, never the English text,
so rewording a message cannot silently change a result.
"""

from __future__ import annotations

import enum
from typing import Optional, Tuple


class SetBy(enum.Enum):
    DEFINITION = "definition"  # a definition that is true or computed
    EXTERNAL = "external"  # named in ``external-flags``
    TYPE_CHECKER = "type-checker"  # TYPE_CHECKING and friends
    DYNAMIC_CLASS = "dynamic-class"  # its class sets attributes by name at run time
    ATTRIBUTE_ASSIGNMENT = "attribute-assignment"  # ``obj.X = True``, ``setattr``, ``f(X=...)``
    GLOBAL_ASSIGNMENT = "global-assignment"  # ``global X; X = True``
    IMPORT = "import"  # an import rebinds the name
    DJANGO_SETTINGS = "django-settings"  # read through Django's settings: the deployment's may bind it
    FLAG_SERVICE = "flag-service"  # an SDK key no local source defines
    CODE_DEFAULT = "code-default"  # the code's default applies, and it is on
    SOURCE = "source"  # a flag source serves it on, or its state depends on the request
    PLATFORM = "platform"  # an environment variable the platform sets
    ENV_SOURCE = "env-source"  # set in an environment file (.env, compose, Kubernetes...)
    ENV_CODE = "env-code"  # the code sets os.environ
    HARD_WIRED = "hard-wired"  # a wrapper's hard-wired dict fixes it on
    UNKNOWN = "unknown"  # its state cannot be known from the project


class Reason(str):
    """A reason that reads as its text (so reports, JSON and existing callers
    treat it as the string they always had) and carries its :class:`SetBy`
    code and, when there is one, the (path, line) that gives it."""

    code: SetBy
    location: Optional[Tuple[str, int]]

    def __new__(cls, code: SetBy, text: str, location: Optional[Tuple[str, int]] = None) -> "Reason":
        reason = super().__new__(cls, text)
        reason.code = code
        reason.location = location
        return reason

    def __reduce__(self):
        return (Reason, (self.code, str(self), self.location))


def has_code(reasons, code: SetBy) -> bool:
    """Whether any of ``reasons`` is ``code`` (plain strings are none)."""
    return any(getattr(reason, "code", None) is code for reason in reasons)

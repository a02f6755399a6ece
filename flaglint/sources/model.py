"""What the flag sources say, as plain data: the one module every source
format, the loader and the graph share.

:class:`EnvAssignment` is ``X=value`` in an environment source;
:class:`FlagDefinition` is what a flag definition file (or django-flags
settings) says about one flag; :class:`Sources` holds everything found.
The format modules build these; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

#: what a definition says
ON = "on"  # on for everyone
OFF = "off"  # served, and off for everyone
LIVE = "live"  # targeting or rules can turn it on
FALLBACK = "fallback"  # not served: the code's default applies

FORMAT_FLAGD = "flagd"
FORMAT_LAUNCHDARKLY = "launchdarkly"
FORMAT_UNLEASH = "unleash"
FORMAT_DJANGO_FLAGS = "django-flags"

#: which SDK providers read the flags of each format
PROVIDERS_OF = {
    FORMAT_FLAGD: ("openfeature",),
    FORMAT_LAUNCHDARKLY: ("launchdarkly",),
    FORMAT_UNLEASH: ("unleash",),
    FORMAT_DJANGO_FLAGS: ("django-flags",),
}

#: a problem with a source file: (display path, what is wrong, line)
Problem = Tuple[str, str, int]


@dataclass(frozen=True)
class EnvAssignment:
    """``X=value`` in an environment source."""

    name: str
    value: Optional[str]
    path: str  # display path (POSIX, relative to the working directory)
    line: int


@dataclass(frozen=True)
class FlagDefinition:
    key: str
    state: str  # ON / OFF / LIVE / FALLBACK
    why: str  # for messages: "state is DISABLED", "default variant 'off' is false"
    format: str
    path: str
    line: int

    @property
    def providers(self) -> Tuple[str, ...]:
        return PROVIDERS_OF[self.format]


class SourceError(Exception):
    """A flag source with the wrong shape."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Sources:
    """Everything the flag sources say: environment files found, and the
    variables they set."""

    env_files: List[str] = field(default_factory=list)
    env: Dict[str, List[EnvAssignment]] = field(default_factory=dict)
    problems: List[Problem] = field(default_factory=list)  # (path, what is wrong, line)
    #: why any variable may be set: an environment file that cannot be read,
    #: an ``envFrom`` of a ConfigMap not in the tree, a Helm template that
    #: inserts text... Any one makes every environment variable unknown.
    env_open: List[str] = field(default_factory=list)
    #: Dockerfiles, CI pipelines, example .env files (``.env.example``) and
    #: development containers' compose files: the variables they set count, but they do
    #: not tell what a deployment sets, so they alone never make ``has_env``
    #: true
    build_files: List[str] = field(default_factory=list)
    #: flag definition files (``flag-sources``): key -> FlagDefinition list
    flag_files: List[str] = field(default_factory=list)
    flags: Dict[str, List[FlagDefinition]] = field(default_factory=dict)
    #: flags read outside Python (Django templates): ``sdk:<provider>:<key>`` -> [(path, line)]
    outside_reads: Dict[str, List[Tuple[str, int]]] = field(default_factory=dict)
    #: flag-source keys mentioned in non-Python text files (front end,
    #: bundles, templates; see :mod:`.references`): key -> [(path, line)]
    references: Dict[str, List[Tuple[str, int]]] = field(default_factory=dict)
    #: Django settings modules that test and tox configuration names
    #: (``DJANGO_SETTINGS_MODULE``): (module, display path, line)
    settings_names: List[Tuple[str, str, int]] = field(default_factory=list)
    #: identifiers the packaging metadata names as entry points (see entry_points.py)
    entry_points: Set[str] = field(default_factory=set)

    def add_env(self, assignments: Iterable[EnvAssignment]) -> None:
        for assignment in assignments:
            self.env.setdefault(assignment.name, []).append(assignment)

    def definitions(self, provider: str, key: str) -> List[FlagDefinition]:
        """What the flag files say about ``key`` as read through ``provider``."""
        return [definition for definition in self.flags.get(key, ()) if provider in definition.providers]

    @property
    def has_env(self) -> bool:
        return bool(self.env_files)

    @property
    def env_unreadable(self) -> bool:
        """Some environment source may set any variable."""
        return bool(self.env_open)

"""Feature-flag SDKs flaglint understands, as data.

:data:`PROVIDERS` is the table of flag APIs (in the spirit of Piranha's
properties file): for each provider, the modules that identify its client,
the methods that read a flag and which argument is the key. Extraction reads
the table; nothing else knows about any SDK. ``docs/sdks.md`` documents it.
"""

from .table import DECORATORS, DISTINCTIVE_METHODS, FUNCTIONS, PROVIDERS, Api, Provider

__all__ = ["Api", "Provider", "PROVIDERS", "FUNCTIONS", "DECORATORS", "DISTINCTIVE_METHODS"]

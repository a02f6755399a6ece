"""Flag sources outside the code: files that give flags their values.

What they say is plain data (:mod:`.model`); :mod:`.load` finds the files
and loads them all, each format through its own module, YAML through
:mod:`.bounded_yaml` and every file through :mod:`.reading`.

Environment sources (:mod:`.env`: ``.env`` and compose files;
:mod:`.kubernetes`: manifests, through :mod:`.helm` for templates;
:mod:`.dockerfile`: ``ENV``) tell which environment variables are set. A
project "has environment sources" when it has a ``.env``, compose or
Kubernetes file; only then can an environment flag be proved never set
(a Dockerfile's variables count as set, but an image's defaults do not
tell what its deployment sets).

Flag definition sources (:mod:`.flagfiles`: flagd, LaunchDarkly,
:mod:`.unleash`; :mod:`.django`: django-flags ``FLAGS``) tell whether an SDK
flag can ever be on. docs/sdks.md has the table.
"""

from .model import EnvAssignment, FlagDefinition, Sources

# Only the plain data here: the configuration and the graph import the model,
# and importing it must not import every format and the walk with it.
__all__ = ["EnvAssignment", "FlagDefinition", "Sources"]

"""Flag sources outside the code: files that give flags their values.

Stage one reads environment files (``.env``, ``.env.*``) with python-dotenv.
A project "has environment sources" when at least one such file is found;
only then can an environment flag be proved never set.
"""

from .env import EnvAssignment, Sources, find_sources, load_sources

__all__ = ["EnvAssignment", "Sources", "find_sources", "load_sources"]

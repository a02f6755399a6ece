"""flaglint test data: jedi 0.20.1's ``jedi.api`` exposes ``settings``; the rest is left out."""

from jedi import settings  # noqa: F401

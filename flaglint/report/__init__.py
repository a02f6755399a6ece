"""Output formats: each one a small module with a ``render`` function."""

from . import github, json_format, sarif, text

FORMATS = {"text": text.render, "json": json_format.render, "sarif": sarif.render, "github": github.render}

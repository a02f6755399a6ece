"""Output formats: each one a small module with a ``render`` function."""

from . import json_format, text

FORMATS = {"text": text.render, "json": json_format.render}

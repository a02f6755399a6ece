"""Extraction: one file in, plain facts out (no knowledge of other files)."""

from .extract import extract_file, extract_source

__all__ = ["extract_file", "extract_source"]

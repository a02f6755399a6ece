"""flaglint: find dormant feature flags, dead flag-gated code and reused flag bits."""

__version__ = "0.1.0"

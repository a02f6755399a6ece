"""Exit statuses of the CLI, named."""

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE_ERROR = 2
    #: a bug in flaglint (an unexpected exception): neither "findings" nor "bad input"
    INTERNAL_ERROR = 3

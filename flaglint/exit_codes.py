"""Exit statuses of the CLI, named."""

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE_ERROR = 2

"""The rule registry, keyed by code. Codes are stable once released."""

from __future__ import annotations

from typing import Dict

from .base import Example, Rule
from .fl000_parse_error import ParseError
from .fl001_flag_never_set import FlagNeverSet
from .fl002_dead_gated_code import DeadGatedCode
from .fl003_flag_reused import FlagReused
from .fl005_unused_flag import UnusedFlag

RULES: Dict[str, Rule] = {
    rule.code: rule for rule in (ParseError(), FlagNeverSet(), DeadGatedCode(), FlagReused(), UnusedFlag())
}

__all__ = ["RULES", "Rule", "Example"]

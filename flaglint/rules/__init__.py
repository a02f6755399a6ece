"""The rule registry, keyed by code. Codes are stable once released."""

from __future__ import annotations

from typing import Dict

from .base import Example, Rule
from .fl000_parse_error import ParseError
from .fl001_flag_never_set import FlagNeverSet
from .fl002_dead_gated_code import DeadGatedCode
from .fl003_flag_reused import FlagReused
from .fl004_undeclared_flag import UndeclaredFlag
from .fl005_unused_flag import UnusedFlag
from .fl006_flag_always_on import FlagAlwaysOn
from .fl007_fleet_conflict import FleetConflict
from .fl008_joined_keys import JoinedKeys

RULES: Dict[str, Rule] = {
    rule.code: rule
    for rule in (
        ParseError(),
        FlagNeverSet(),
        DeadGatedCode(),
        FlagReused(),
        UndeclaredFlag(),
        UnusedFlag(),
        FlagAlwaysOn(),
        FleetConflict(),
        JoinedKeys(),
    )
}

__all__ = ["RULES", "Rule", "Example"]

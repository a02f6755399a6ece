"""The rule codes, stable once released: what configuration and the command
line check a code or prefix against.

Data, so that the configuration (which the graph and therefore every rule
depends on) need not import the rules. Each names one rule of
:data:`flaglint.rules.RULES`, in the same order; tests/test_rule_examples.py
checks that the two agree.
"""

from __future__ import annotations

CODES = ("FL000", "FL001", "FL002", "FL003", "FL004", "FL005", "FL006", "FL007", "FL008")

"""``flaglint fix``: remove code gated by flags that are never on.

Library use::

    from flaglint.fix import run_fix, write_changes
    result = run_fix(["src"])            # nothing is written yet
    print("".join(change.diff() for change in result.changes))
    write_changes(result)                # all files or none

Modules: :mod:`.plan` decides which flags and values to bake in and which
reads that touches; :mod:`.transform` is the libcst codemod (baking in, and
removing what the cascade found unused); :mod:`.references` says who still
names what; :mod:`.meaning` keeps what removed code meant to the code
around it (generators, ``global``, scoping); :mod:`.encoding` checks the
bytes as Python will decode them; :mod:`.safety` says which files must not
be touched; :mod:`.leftovers` words what the cascade keeps and why; :mod:`.engine` runs it all; :mod:`.transaction` writes every
file or none; :mod:`.write` compiles and renders patches. docs/fix.md is
the user guide.
"""

from .engine import FileChange, FixResult, Removed, run_fix, write_changes
from .plan import Decision, FixUsageError, Plan, plan_fix, resolve_flag

__all__ = [
    "Decision",
    "FileChange",
    "FixResult",
    "FixUsageError",
    "Plan",
    "Removed",
    "plan_fix",
    "resolve_flag",
    "run_fix",
    "write_changes",
]

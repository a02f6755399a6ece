"""What the cascade leaves behind, and why: a person reads this list.

The cascade removes only what it can prove has no effect when removed. Some
dead code it must keep: a constant bound to a call (``_PREFIX =
re.compile(...)`` runs at import, and the call may matter), a module that
nothing imports any more but that still runs or defines something at
import. Keeping them silently would leave the user believing the cleanup
is finished, so each is named with its location and its reason
(``FixResult.kept``, printed on stderr in ``--diff`` mode too).

Also here: which module counts as empty once the fix is done with it.
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Tuple

import libcst as cst

#: the first line of a module-level binding of a name: ``NAME = ...``,
#: ``NAME: T = ...`` at column 0
_BINDING = r"^{}[ \t]*(?::[^=\n]*)?=(?!=)"


def only_docstring(module: cst.Module) -> bool:
    """Nothing but a docstring (or other bare strings), comments, ``pass``
    and ``from __future__`` imports: the module does nothing when imported."""
    return _only_bare(module, lambda small: isinstance(small, cst.ImportFrom) and _is_future(small))


def only_imports(module: cst.Module) -> bool:
    """Nothing but a docstring (or other bare strings), imports and ``pass``."""
    return _only_bare(module, lambda small: isinstance(small, (cst.Import, cst.ImportFrom)))


def _only_bare(module: cst.Module, also: Callable[[cst.BaseSmallStatement], bool]) -> bool:
    """Every statement of ``module`` is a bare string, ``pass``, or ``also``."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
                continue
            if isinstance(small, cst.Pass) or also(small):
                continue
            return False
    return True


def _is_future(node: cst.ImportFrom) -> bool:
    return node.relative == () and isinstance(node.module, cst.Name) and node.module.value == "__future__"


def binding_line(text: str, name: str) -> Optional[Tuple[int, str]]:
    """(line, text of that line) of the first module-level ``name = ...``."""
    match = re.search(_BINDING.format(re.escape(name)), text, re.MULTILINE)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return line, text.splitlines()[line - 1].strip()


def kept_constant(display: str, name: str, text: str, simple: bool) -> str:
    """The stderr line for a module-level name only removed code used."""
    found = binding_line(text, name)
    where = f"{display}:{found[0]}" if found else display
    if not simple:
        reason = "it is bound more than once, or not by one plain assignment"
    else:
        reason = "its value may have side effects when the module is imported; remove it by hand if it has none"
    shown = f" (`{_short(found[1])}`)" if found else ""
    return f"{where}: kept {name}{shown}: only removed code used it, but {reason}"


def kept_module(display: str, module: str) -> str:
    return (
        f"{display}:1: kept module {module}: nothing imports it any more, but it still defines or runs code "
        "at import; delete it by hand if nothing loads it by path"
    )


def _short(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 3] + "..."

"""What a rule is: a code, a name, its documentation, its examples, a check.

The module docstring of each rule is its documentation (what it finds, why it
matters, an example, how to fix, how to suppress): ``flaglint explain`` prints
it and docs/rules/FLxxx.md is generated from it, so the three never drift.
The examples are small projects with the exact findings they must produce;
one shared test runs every rule's examples.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Dict, Iterator, Mapping, Tuple, Union

from ..findings import Finding


@dataclass(frozen=True)
class Example:
    """A small project (path -> source) and the findings it must give.

    ``expected`` lists (code, path, line) for every finding of this rule; an
    empty tuple is a must-not-report example. A rule that compares builds
    (FL007) gives ``builds`` instead of ``files``: one project per build,
    analysed as builds v1, v2, ... and compared by ``flaglint drift``.
    """

    files: Mapping[str, Union[str, bytes]]  # bytes: a file in a declared encoding
    expected: Tuple[Tuple[str, str, int], ...] = ()
    title: str = ""
    builds: Tuple[Dict[str, str], ...] = ()


class Rule:
    code: str = ""
    name: str = ""
    summary: str = ""
    examples: Tuple[Example, ...] = ()

    def check(self, graph, analysis) -> Iterator[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        module = inspect.getmodule(cls)
        return inspect.cleandoc(module.__doc__ or "")

    def finding(self, message: str, path: str, span, **extra) -> Finding:
        return Finding(self.code, self.name, message, path, span, **extra)

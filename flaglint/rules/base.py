"""What a rule is: a code, a name, its documentation, its examples, a check.

The module docstring of each rule is its documentation (what it finds, why it
matters, an example, how to fix, how to suppress): ``flaglint explain`` prints
it and docs/rules/FLxxx.md is generated from it, so the three never drift.
The examples are small projects with the exact findings (and messages) they
must produce; one shared test runs every rule's examples, and the
documentation's ``## Example`` shows the first one, rendered here, so the
example a reader sees is one the tests run.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Dict, Iterator, Mapping, Tuple, Union

from ..findings import Finding

_EXAMPLE = "## Example\n"
_FENCES = {".py": "python", ".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True)
class Example:
    """A small project (path -> source) and the findings it must give.

    ``expected`` lists (code, path, line, message) for every finding of this
    rule (Fixit's ``expected_message``: a reworded message is a visible
    change); an empty tuple is a must-not-report example. The first example
    is the one the rule's documentation shows (:meth:`Rule.documentation`). A rule that compares builds
    (FL007) gives ``builds`` instead of ``files``: one project per build,
    analysed as builds v1, v2, ... and compared by ``flaglint drift``.
    """

    files: Mapping[str, Union[str, bytes]]  # bytes: a file in a declared encoding
    expected: Tuple[Tuple[str, str, int, str], ...] = ()
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
        """The module docstring, with the first example rendered at the top
        of its ``## Example`` section."""
        module = inspect.getmodule(cls)
        text = inspect.cleandoc(module.__doc__ or "")
        if cls.examples and _EXAMPLE in text:
            text = text.replace(_EXAMPLE, f"{_EXAMPLE}{render_example(cls.examples[0])}\n\n", 1)
        return text

    def finding(self, message: str, path: str, span, **extra) -> Finding:
        return Finding(self.code, self.name, message, path, span, **extra)


def render_example(example: Example) -> str:
    """Markdown for an example: each file under its name in a fenced block
    (each build in turn, for a drift example), then the findings with their
    messages, as ``flaglint check`` (or ``drift``) reports them."""
    parts = []
    builds = example.builds or (example.files,)
    for number, files in enumerate(builds, start=1):
        if example.builds:
            parts.append(f"Build v{number}:")
        for path, text in files.items():
            shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
            fence = _FENCES.get(path[path.rfind(".") :], "text") if "." in path else "text"
            parts.append(f"`{path}`:\n```{fence}\n{shown.rstrip()}\n```")
    command = "flaglint drift v1 v2" if example.builds else "flaglint check"
    found = "\n".join(f"{path}:{line}: {code} {message}" for code, path, line, message in example.expected)
    parts.append(f"`{command}` reports:\n```text\n{found}\n```" if found else f"`{command}` reports nothing.")
    return "\n\n".join(parts)

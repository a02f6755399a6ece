"""# FL000 parse-error

## What it does
Reports a file flaglint could not analyse: it cannot be read, it is binary,
it cannot be decoded with its declared encoding, or it is not valid Python.
The message gives the reason and, when known, the line.

## Flag sources
Flag sources are checked too: a file named in `[tool.flaglint]`
`flag-sources` that does not exist, is not valid JSON or YAML, or does not
have the shape of a flag file (flagd or LaunchDarkly file data), and an
environment file that cannot be read. The rest of the analysis goes on.

## Why is this bad?
A file flaglint cannot read is a file whose flags it cannot see. A flag set
only in that file would look never set; a bit reused there would go
unnoticed. Every other file is still analysed, but the picture has a hole.

## Example
## How to fix
Fix the syntax or encoding (declare it with a `# -*- coding: latin-1 -*-`
cookie), or exclude generated and vendored files in `[tool.flaglint]`
`exclude`.

## How to suppress
FL000 cannot be suppressed with a comment in a file that does not parse;
exclude the file, or `--ignore FL000`.
"""

from __future__ import annotations

from typing import Iterator

from ..facts import Span
from ..findings import Finding
from .base import Example, Rule


class ParseError(Rule):
    code = "FL000"
    name = "parse-error"
    summary = "File cannot be read, decoded or parsed as Python"
    examples = (
        Example(
            # worded and placed alike by every supported Python (3.9's parser
            # names no unclosed bracket)
            {"bad.py": "def route(order):\n    return = order\n"},
            (("FL000", "bad.py", 2, "syntax error: invalid syntax"),),
            "syntax error",
        ),
        Example(
            {"nul.py": "x = 1\n\0\n"},
            (("FL000", "nul.py", 2, "file contains a NUL byte: binary or not Python source"),),
            "binary content",
        ),
        Example({"ok.py": b"# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n"}, (), "declared encoding"),
        Example({"empty.py": ""}, (), "empty file"),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        for facts in graph.files.values():
            problem = facts.problem
            if problem is not None:
                line = problem.line or 1
                column = problem.column or 1
                yield self.finding(problem.message, facts.path, Span(line, column, line, column), context="file")
        for path, message, line in graph.sources.problems:  # flag sources: .env files, flag-sources
            yield self.finding(message, path, Span(line, 1, line, 1), context="flag source")

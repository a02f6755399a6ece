"""# FL004 undeclared-flag

## What it does
Reports a flag key the code reads that no flag source defines, for a
provider whose sources the configuration declares complete
(`[tool.flaglint] sources-complete = true`, or a list such as
`["openfeature", "env"]`). When a defined key is close to it, the message
says which ("did you mean 'new-checkout'?"). Keys are read through a
feature-flag SDK (docs/sdks.md), a project's own wrapper around one, or the
environment (`env`: a variable no `.env`, compose, Kubernetes or Dockerfile
source sets). An in-house registry (a dict of flag names to defaults that a
function decides keys by, see docs/sdks.md) lists its keys with no
configuration: a key read through it that it does not define is reported.
Reported at the first read; `related` lists the other reads and the close
key's definition.

## Why is this bad?
A typo in a flag key is a dormant flag in disguise: the SDK finds no such
flag, serves the code's default (usually off) and the feature silently
never ships, or never stops. When the sources are the complete list of
flags (a flagd file that *is* the flag service, a checked-in export), a key
outside it is a mistake or a flag someone forgot to create.

## Example
Use instead: fix the key, or add the flag to the source.

## Known problems
Without `sources-complete`, a key no local source defines lives in the flag
service and is never reported. Keys built at run time
(`get_boolean_value(f"beta-{team}", False)`) are never guessed. When the
code's default is off, the gated block is also reported as dead (FL002);
FL001 is not reported for such a key, since this finding says why.

## How to suppress
`# flaglint: ignore[FL004]` on the read, `external-flags = ["sdk:openfeature:KEY"]`
(or `"env:NAME"`) for a key defined elsewhere, or narrow `sources-complete`
to the providers whose sources really are complete.
"""

from __future__ import annotations

import difflib
from typing import Iterator, Optional

from ..findings import Finding, Location
from ..keys import key_parts
from .base import Example, Rule
from .keys import describe, source_locations

_FLAGD = (
    '{"flags": {\n'
    '  "new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}\n'
    "}}\n"
)
_CONFIG = 'flag-sources = ["flags.json"]\nsources-complete = ["openfeature"]\n'
_APP = "from openfeature import api\nclient = api.get_client()\n\ndef view():\n    if client.get_boolean_value({key!r}, False):\n        return 'new'\n    return 'old'\n"
_REGISTRY = "FLAGS = {'NEW_CHECKOUT': False}\n\n\ndef on(name):\n    return FLAGS.get(name, False)\n"
_MAX_RELATED = 10


class UndeclaredFlag(Rule):
    code = "FL004"
    name = "undeclared-flag"
    summary = "A flag key is read that no complete flag source defines"
    examples = (
        Example(
            {"flaglint.toml": _CONFIG, "flags.json": _FLAGD, "app.py": _APP.format(key="new-chekout")},
            (
                (
                    "FL004",
                    "app.py",
                    5,
                    "flag 'new-chekout' (openfeature) is read but no flag source defines it, and the sources are declared complete; did you mean 'new-checkout'?",
                ),
            ),
            "a typo in a key the complete flagd file does not define",
        ),
        Example(
            {"flaglint.toml": _CONFIG, "flags.json": _FLAGD, "app.py": _APP.format(key="new-checkout")},
            (),
            "a key the source defines",
        ),
        Example(
            {
                "flaglint.toml": 'flag-sources = ["flags.json"]\n',
                "flags.json": _FLAGD,
                "app.py": _APP.format(key="new-chekout"),
            },
            (),
            "sources not declared complete: the key may live in the flag service",
        ),
        Example(
            {
                "flaglint.toml": _CONFIG,
                "flags.json": _FLAGD,
                "app.py": "from openfeature import api\nclient = api.get_client()\n\n"
                "def view(team):\n    if client.get_boolean_value(f'{team}-checkout', False):\n        return 'new'\n",
            },
            (),
            "a key built at run time is never guessed",
        ),
        Example(
            {
                "flaglint.toml": 'sources-complete = ["env"]\n',
                ".env": "ENABLE_BETA=1\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('ENABLE_BEAT') == '1':\n        beta()\n",
            },
            (
                (
                    "FL004",
                    "app.py",
                    4,
                    "environment variable ENABLE_BEAT is read but no environment source defines it, and the sources are declared complete; did you mean 'ENABLE_BETA'?",
                ),
            ),
            "an environment variable no complete environment source sets",
        ),
        Example(
            {"flags.py": _REGISTRY, "app.py": "from flags import on\n\nif on('NEW_CHEKOUT'):\n    go()\n"},
            (
                (
                    "FL004",
                    "app.py",
                    3,
                    "flag 'NEW_CHEKOUT' (flags.FLAGS) is read but the in-house registry flags.FLAGS does not define it; did you mean 'NEW_CHECKOUT'?",
                ),
            ),
            "a key an in-house registry does not define (no configuration needed)",
        ),
        Example(
            {"flags.py": _REGISTRY, "app.py": "from flags import on\n\nif on('NEW_CHECKOUT'):\n    go()\n"},
            (),
            "a key the registry defines",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        for flag in graph.iter_keyed():
            if not analysis.undeclared(flag):
                continue
            provider, name = key_parts(flag.key)
            reads = sorted(flag.reads, key=lambda site: (site.path, site.span.line, site.span.column))
            first = reads[0]
            related = [Location(site.path, site.span, "read here") for site in reads[1:_MAX_RELATED]]
            suggestion = _closest(name, graph.declared_keys(provider))
            hint = ""
            if suggestion is not None:
                hint = f"; did you mean {suggestion!r}?"
                related += source_locations(graph, provider, suggestion, limit=1)
            source = "environment" if provider == "env" else "flag"
            why = f"no {source} source defines it, and the sources are declared complete"
            registry = graph.wrappers.registries.get(provider)
            if registry is not None and registry.declared:  # a registrar declares its keys
                why = f"no call declares it in the registry {provider} ({registry.path})"
            elif registry is not None:  # a registry lists its keys: the code reads through it
                why = f"the in-house registry {provider} does not define it"
            yield self.finding(
                f"{describe(flag)} is read but {why}{hint}",
                first.path,
                first.span,
                flag=flag.name,
                related=tuple(related),
                context="first read",
            )


def _closest(name: str, candidates) -> Optional[str]:
    """The declared key a typo most likely meant (difflib's ratio >= 0.8)."""
    matches = difflib.get_close_matches(name, [c for c in candidates if c != name], n=1, cutoff=0.8)
    return matches[0] if matches else None

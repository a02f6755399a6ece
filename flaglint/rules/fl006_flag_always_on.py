"""# FL006 flag-always-on

## What it does
Reports a flag that is on for everyone, in every source: a feature-flag SDK
key whose every definition serves a true value to everyone (a flagd flag
that is `ENABLED` with a true default variant and no `targeting`; a
LaunchDarkly flag that is on, with no targets or rules, falling through to
a true variation; an Unleash feature enabled for everyone; a django-flags
flag whose only condition is `boolean: True`), or one that is not served
(`DISABLED`) while every read passes a true default; and an environment
variable that nothing sets (no environment source, not the code, not
`external-flags`) whose default makes every test on it true. A key a
wrapper's hard-wired dict fixes is not reported (fixed `False` is FL001;
fixed `True` is a decision the project already wrote down in code), nor is
a key read through a wrapper's environment back door (any deployment can
switch it off through that variable). An in-house
registry's `True` entry is always on only when `sources-complete` names the
registry, or when the deployment configuration in the tree sets the key
`True` in every binding. Reported at the first read that gates code; `related` lists the
other reads and the source definitions.

## Why is this bad?
A flag that is always on has finished its job: its `else` side is dead code
that still has to be read, tested and kept compiling, and the flag itself
is a switch someone may flip by mistake, waking code that has not run in
months. Rolled-out flags are the most common dormant flags.

## Example
Use instead: `flaglint fix --flag ... --value true` for a constant, or
delete the test and the `else` side by hand, then remove the flag from its
source.

## Known problems
Only flags with at least one read that gates code are reported. A flag
with targeting or rules, or defined in any source that can serve it off,
is not always on. Environment variables given a value by a source are not
judged (the value is not compared with the test). Constants (`X = True`)
are not reported: a library's `True` default is usually a setting its
users change.

## How to suppress
`# flaglint: ignore[FL006]` on the read, or list the key in
`external-flags` (`"sdk:openfeature:new-checkout"`, `"env:USE_CACHE"`) when
something outside the sources can turn it off.
"""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Location
from ..keys import key_parts
from .base import Example, Rule
from .keys import describe, source_locations

_ON = '"new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}'
_TARGETED = (
    '"new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on",\n'
    '   "targeting": {"if": [{"in": ["@acme.com", {"var": "email"}]}, "off", "on"]}}'
)
_CONFIG = 'flag-sources = ["flags.json"]\n'
_APP = (
    "from openfeature import api\nclient = api.get_client()\n\n"
    "def view():\n    if client.get_boolean_value('new-checkout', False):\n        return 'new'\n    return 'old'\n"
)
_MAX_RELATED = 10


class FlagAlwaysOn(Rule):
    code = "FL006"
    name = "flag-always-on"
    summary = "A flag is on for everyone in every source: its else side is dead"
    examples = (
        Example(
            {"flaglint.toml": _CONFIG, "flags.json": '{"flags": {' + _ON + "}}\n", "app.py": _APP},
            (
                (
                    "FL006",
                    "app.py",
                    5,
                    "flag 'new-checkout' (openfeature) is always on: its default variant 'on' is on and it has no targeting (flags.json:1); the code for when it is off is dead, and the flag can go",
                ),
            ),
            "a flagd flag served on to everyone",
        ),
        Example(
            {"flaglint.toml": _CONFIG, "flags.json": '{"flags": {' + _TARGETED + "}}\n", "app.py": _APP},
            (),
            "targeting can serve it off",
        ),
        Example(
            {"app.py": _APP},
            (),
            "no source defines it: its state lives in the flag service",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('USE_CACHE', '1') == '1':\n        cache()\n",
            },
            (
                (
                    "FL006",
                    "app.py",
                    4,
                    "environment variable USE_CACHE is always on: nothing sets it and its default is on at every read; the code for when it is off is dead, and the flag can go",
                ),
            ),
            "an environment variable nothing sets, whose default is on",
        ),
        Example(
            {
                ".env": "USE_CACHE=0\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('USE_CACHE', '1') == '1':\n        cache()\n",
            },
            (),
            "an environment source sets it",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        for flag in graph.iter_keyed():
            gating = sorted(
                (site for site in flag.reads if site.fact.gate is not None),
                key=lambda site: (site.path, site.span.line, site.span.column),
            )
            if not gating:
                continue
            reasons = analysis.always_on(flag)
            if not reasons:
                continue
            related = [Location(site.path, site.span, "read here") for site in gating[1:_MAX_RELATED]]
            provider, name = key_parts(flag.key)
            if provider != "env":
                related += source_locations(graph, provider, name)
            yield self.finding(
                f"{describe(flag)} is always on: {'; '.join(reasons)}; the code for when it is off is dead, and the flag can go",
                gating[0].path,
                gating[0].span,
                flag=flag.name,
                related=tuple(related),
                context="first read",
            )

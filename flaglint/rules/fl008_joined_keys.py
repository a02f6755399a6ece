"""# FL008 joined-keys

## What it does
Reports a string in a list, tuple, set or dict of keys that Python built by
joining two adjacent string literals, where each part alone looks like a key
of that collection: two keys joined by a missing comma. A part looks like a
key when it starts with a head (`organizations:`, `app.`) that at least two
other keys of the collection start with, when every key and part shares one
prefix ending in a separator (`FEATURE_`), or, in a dict of `True`/`False`
values, when every key and part is an UPPER_SNAKE name. Reported at the
joined string.

## Why is this bad?
`"a:x" "a:y"` is the one key `"a:xa:y"`. Both real keys drop out of the
collection, and nothing fails: a dict of flag defaults no longer holds
either flag, so each falls back to whatever a missing key means, and a
list of enabled features enables neither. Sentry 23.7.1 shipped such a
pair in its `SENTRY_FEATURES`.

## Example
Use instead: put the missing comma between the two keys.

## Known problems
A string split over lines on purpose is not reported when a part starts or
ends with a separator (`"organizations:performance-" "issues"`), contains a
space, or does not look like the other keys of its collection. A collection
needs two plain strings beside the joined one to show what its keys look
like.

## How to suppress
`# flaglint: ignore[FL008]` on the joined string's first line, or
`--ignore FL008`.
"""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding
from .base import Example, Rule

_SETTINGS = (
    "FEATURES = {\n"
    '    "organizations:discover": True,\n'
    '    "organizations:integrations-discord": False,\n'
    '    "organizations:integrations-discord-notifications"\n'
    '    "organizations:integrations-opsgenie": False,\n'
    '    "projects:alert-filters": True,\n'
    "}\n"
)


class JoinedKeys(Rule):
    code = "FL008"
    name = "joined-keys"
    summary = "Two keys of a collection joined by a missing comma"
    examples = (
        Example(
            {"settings.py": _SETTINGS},
            (
                (
                    "FL008",
                    "settings.py",
                    4,
                    "'organizations:integrations-discord-notifications' 'organizations:integrations-opsgenie' "
                    "is one key, 'organizations:integrations-discord-notificationsorganizations:integrations-opsgenie':"
                    " two keys joined by a missing comma?",
                ),
            ),
            "a comma missing between two keys",
        ),
        Example(
            {"settings.py": _SETTINGS.replace('notifications"\n', 'notifications",\n')},
            (),
            "the comma in place",
        ),
        Example(
            {
                "settings.py": (
                    "FEATURES = [\n"
                    '    "organizations:discover",\n'
                    '    "organizations:performance-issues-"\n'
                    '    "http-overhead-detector",\n'
                    '    "organizations:alerts",\n'
                    "]\n"
                )
            },
            (),
            "one long key split on purpose",
        ),
        Example(
            {
                "messages.py": (
                    'MESSAGES = (\n    "disabled",\n    "This feature is "\n    "not available",\n    "enabled",\n)\n'
                )
            },
            (),
            "a message, not a key",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        for facts in graph.files.values():
            for joined in facts.joined_keys:
                shown = " ".join(repr(part) for part in joined.parts)
                message = f"{shown} is one key, {''.join(joined.parts)!r}: two keys joined by a missing comma?"
                yield self.finding(message, facts.path, joined.span, flag="".join(joined.parts))

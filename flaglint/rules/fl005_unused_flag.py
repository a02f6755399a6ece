"""# FL005 unused-flag

## What it does
Reports a flag defined in a flag source (a file listed in
`[tool.flaglint]` `flag-sources`: flagd flag definitions, LaunchDarkly file
data, an Unleash export, django-flags `FLAGS`) that no code reads through
that provider. A flagd flag is read by an OpenFeature call
(`client.get_boolean_value("new-checkout", False)`), a LaunchDarkly flag by
a LaunchDarkly call or a project's wrapper around one; see docs/sdks.md for
every call flaglint understands. The entries of an in-house registry (a
dict of flag names to defaults that a function decides keys by, see
docs/sdks.md) are flag definitions too, and so are the keys a registrar
declares (`default_manager.add("organizations:x", ...)`,
`_create_option("global.x", default_val=False)`, read through a sibling
such as `features.has`; docs/sdks.md, "Registrars"). A key mentioned as a whole token in
the tree's front-end code, bundles, their source maps or templates (`.js`,
`.tsx`, `.vue`, `.js.map`, `.html`, Jinja, Django templates; see
docs/audit.md) is read by that code and not reported. Nor is a key a flag
wrapper's hard-wired override dict names (docs/sdks.md): the wrapper answers
it from there for everyone, so the code holds a decision for it, and the
audit lists it as `live`, set by that dict. Reported at the flag's key in
the source file.

Two declarations in the code are flags too (docs/sdks.md): a bool field
with a literal default of a settings class (a pydantic `BaseSettings`, a
dataclass or attrs class of settings) that no code reads, reported at the
field; and a flag object (`OLD = WaffleFlag("ns.old", __name__)`, an object
of a flag class built with its key) that no code references, reported at
the object.

## Why is this bad?
A definition nothing reads is a switch wired to nothing. Someone will
flip it expecting an effect, or give its key a new meaning while an old
build still reads it: the Knight Capital failure started with a flag whose
old meaning was never cleaned up.

## Example
Use instead: delete the definition (and archive the flag in the flag
service).

## Known problems
Constants (`ENABLE_OLD_EXPORT = False` that nothing reads) are not
reported: on real Django projects most such names (`USE_TZ`, `USE_I18N`,
`SOCIAL_AUTH_JSONFIELD_ENABLED`) are settings a framework or library reads
outside the analysed code; `flaglint audit` lists them as `unused`. When
the code reads flags of the same provider with a key built at run
time (`client.get_boolean_value(f"beta-{team}", False)`) or through a
constant flaglint cannot resolve, any defined flag may be the one read, so
no flag of that provider is reported; a key built with a literal start or
end (`"projects:" + name`) or a loop over a literal list of keys only
reaches the keys it matches. For a registry a registrar declares, an
unbounded read does not hide its unread keys: the finding names it
("unless features.has(feature) at app/views.py:7 reads it"). A flag read only by code that is not
analysed (another service sharing the file, a front end in another
repository) is reported; exclude such shared files from `flag-sources`.
A front-end mention that is not a read (a key in a comment or a changelog
page) keeps the flag from being reported. A settings field whose name is
read as an attribute of an object flaglint cannot name (an untyped
parameter), or whose class is dumped (`model_dump()`), read by a computed
`getattr` or handed to code outside the tree, is not reported: any field may
be the one read. A settings field or flag object read only by another
package (a library's toggles read by the application) is reported.

## How to suppress
Remove the file from `flag-sources`, or `--ignore FL005`, or
`per-file-ignores` for the source file.
"""

from __future__ import annotations

from typing import Iterator

from ..facts import Span
from ..findings import Finding
from ..graph.symbols import display_name
from ..keys import sdk_key
from .base import Example, Rule

_FLAGD = (
    '{\n  "flags": {\n    "new-checkout": {\n      "state": "ENABLED",\n      "variants": {"on": true, "off": false},\n'
    '      "defaultVariant": "on"\n    },\n    "old-pricing": {\n      "state": "ENABLED",\n'
    '      "variants": {"on": true, "off": false},\n      "defaultVariant": "on"\n    }\n  }\n}\n'
)
_APP = (
    "from openfeature import api\n\nclient = api.get_client()\n\n"
    "def view():\n    if client.get_boolean_value('new-checkout', False):\n        return 'new'\n    return 'old'\n"
)
_CONFIG = '[tool.flaglint]\nflag-sources = ["flags.json"]\n'
_MANAGER = (
    "class FeatureManager:\n    def __init__(self):\n        self._registry = {}\n\n"
    "    def add(self, name, cls=None):\n        self._registry[name] = cls\n\n"
    "    def has(self, name, *args):\n        return name in self._registry\n"
)
_FEATURES = (
    "from app.manager import FeatureManager\n\ndefault_manager = FeatureManager()\n"
    "default_manager.add('organizations:new-ui', object)\ndefault_manager.add('organizations:old-export', object)\n\n"
    "has = default_manager.has\n"
)
_SETTINGS = (
    "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
    "class Settings(BaseSettings):\n"
    '    model_config = SettingsConfigDict(env_prefix="APP_")\n\n'
    "    new_search: bool = False\n"
    "    old_export: bool = False\n\n\n"
    "settings = Settings()\n"
)
_SEARCH = "from app.config import settings\n\n\ndef search():\n    return 'new' if settings.new_search else 'old'\n"


class UnusedFlag(Rule):
    code = "FL005"
    name = "unused-flag"
    summary = "A flag defined in a flag source is never read"
    examples = (
        Example(
            {"pyproject.toml": _CONFIG, "flags.json": _FLAGD, "app.py": _APP},
            (
                (
                    "FL005",
                    "flags.json",
                    8,
                    "flag 'old-pricing' is defined in flags.json (flagd) but no code reads it through openfeature",
                ),
            ),
            "a flagd flag nothing reads",
        ),
        Example(
            {
                "pyproject.toml": _CONFIG,
                "flags.json": _FLAGD,
                "app.py": _APP + "\ndef price():\n    return client.get_boolean_value('old-pricing', False)\n",
            },
            (),
            "every flag read (a read need not gate code)",
        ),
        Example(
            {
                "pyproject.toml": _CONFIG,
                "flags.json": _FLAGD,
                "app.py": _APP + "\ndef team(name):\n    return client.get_boolean_value(f'{name}-pricing', False)\n",
            },
            (),
            "a key built at run time may read any flag",
        ),
        Example(
            {
                "pyproject.toml": _CONFIG,
                "flags.json": _FLAGD,
                "app.py": _APP.replace("get_boolean_value('new-checkout'", "get_boolean_value('old-pricing'").replace(
                    "from openfeature", "import ldclient\nfrom openfeature"
                )
                + "\ndef ld(ctx):\n    return ldclient.get().variation('new-checkout', ctx, False)\n",
            },
            (
                (
                    "FL005",
                    "flags.json",
                    3,
                    "flag 'new-checkout' is defined in flags.json (flagd) but no code reads it through openfeature",
                ),
            ),
            "a flagd flag read only through another SDK is unused",
        ),
        Example(
            {
                "pyproject.toml": _CONFIG,
                "flags.json": _FLAGD,
                "app.py": _APP,
                "web/src/Pricing.tsx": "export const Pricing = () => (useFlag('old-pricing') ? <Old /> : <New />);\n",
            },
            (),
            "a flag the front end reads (a whole-token mention in a .tsx file)",
        ),
        Example(
            {
                "pyproject.toml": _CONFIG,
                "flags.json": _FLAGD,
                "app.py": _APP,
                "web/src/Pricing.tsx": "export const Pricing = () => (useFlag('old-pricing-v2') ? <Old /> : <New />);\n",
            },
            (
                (
                    "FL005",
                    "flags.json",
                    8,
                    "flag 'old-pricing' is defined in flags.json (flagd) but no code reads it through openfeature",
                ),
            ),
            "a longer key that merely starts with it is no mention",
        ),
        Example(
            {
                "app/__init__.py": "",
                "app/manager.py": _MANAGER,
                "app/features.py": _FEATURES,
                "app/views.py": "from app import features\n\n\ndef view(org, name):\n"
                "    if features.has('organizations:new-ui', org):\n        return 1\n"
                "    return features.has(name, org)\n",
            },
            (
                (
                    "FL005",
                    "app/features.py",
                    5,
                    "flag 'organizations:old-export' is defined in app/features.py (registry) but no code reads it "
                    "through app.manager.FeatureManager, unless app.views.view(...) called from outside the "
                    "analysed code at app/views.py:4 reads it",
                ),
            ),
            "a key a registrar declares that nothing reads by name (a read by a key built at run time is named)",
        ),
        Example(
            {"app/__init__.py": "", "app/config.py": _SETTINGS, "app/search.py": _SEARCH},
            (
                (
                    "FL005",
                    "app/config.py",
                    8,
                    "flag 'old_export' is declared in settings class app.config.Settings, never read",
                ),
            ),
            "a settings field nothing reads",
        ),
        Example(
            {
                "app/__init__.py": "",
                "app/config.py": _SETTINGS,
                "app/search.py": _SEARCH + "\n\ndef export(conf):\n    return conf.old_export\n",
            },
            (),
            "an attribute of its name read on an object flaglint cannot name (conf may be the settings)",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        for key, definition in analysis.unused_definitions:  # the audit's ``unused`` asks the same
            providers = definition.providers
            line = definition.line
            unless = [
                site for provider in providers for site in analysis.unbounded_reads(graph.keyed[sdk_key(provider, key)])
            ]
            yield self.finding(
                f"flag {key!r} is defined in {definition.path} ({definition.format}) but no code reads it "
                f"through {' or '.join(providers)}{_unless(unless)}",
                definition.path,
                Span(line, 1, line, 1),
                flag=sdk_key(providers[0], key),
                context="flag source",
            )
        for site in analysis.unread_flag_objects:
            name = display_name(site.symbol)
            yield self.finding(
                f"flag object {name} ({site.cls.rsplit('.', 1)[-1]} {site.fact.key!r}) is built but never read",
                site.path,
                site.fact.span,
                flag=name,
                context="flag object",
            )
        for setting in analysis.unused_settings:
            owner = display_name(setting.owner)
            yield self.finding(
                f"flag {setting.field.name!r} is declared in settings class {owner}, never read",
                setting.path,
                setting.field.span,
                flag=f"{owner}.{setting.field.name}",
                context="settings class",
            )


_MAX_NAMED = 2


def _unless(sites) -> str:
    """``, unless features.has(feature) at app/views.py:12 reads it``: the
    reads by a key flaglint cannot bound that may be the one reading it."""
    if not sites:
        return ""
    named = " or ".join(sites[:_MAX_NAMED])
    more = len(sites) - _MAX_NAMED
    return f", unless {named}{f' (or {more} more such reads)' if more > 0 else ''} reads it"

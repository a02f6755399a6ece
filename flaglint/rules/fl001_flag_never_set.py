"""# FL001 flag-never-set

## What it does
Reports a flag that code reads but that nothing can turn on: every binding
is a false literal (`ENABLE_X = False`, `DEBUG = 0`), nothing assigns it a
value that can be true (`settings.ENABLE_X = True`, `global X; X = 1`,
`setattr(obj, "ENABLE_X", ...)`, a test double such as
`monkeypatch.setattr(settings, "ENABLE_X", True)` or
`mock.patch("pkg.settings.ENABLE_X", True)`, a computed value such as an
environment read), and it is not declared externally set. For bit constants and
`Flag`/`IntFlag` members: a bit that is tested but never stored anywhere,
on a field the code itself fills.

Reported once per flag, at its definition; `related` lists the reads.

## Why is this bad?
The code behind the flag cannot run, but it still has to be read, kept
compiling and kept in mind. Knight Capital's Power Peg was switched off by a
flag in 2005 and left in place; in 2012 it woke up and lost $440M in 45
minutes. A flag nothing turns on is a routine waiting for its bit to be
reused.

## Example
Use instead: delete the flag and the code it gates (FL002 shows it), or
turn the flag on where it is meant to be turned on.

Environment variables are flags too, when a read of one gates code:
`os.environ.get("X")`, `os.getenv("X", "0")`, `os.environ["X"]`,
`"X" in os.environ`, with the usual idioms around them (`== "1"`,
`.lower() in ("1", "true")`, `bool(int(...))`, `strtobool(...)`), directly
in a test or through a constant (`ENABLE_X = os.getenv("X") == "1"`, then
`if ENABLE_X:`). A test of whether a variable is set at all
(`if os.getenv("REDIS_URL"):`, `"X" in os.environ`, `is not None`) is a
flag only when the name has a switch word (`ENABLE`, `DISABLE`, `USE`,
`FEATURE`, `FLAG`, `DEBUG`, `BETA`, `LEGACY`, `SKIP`, ...): otherwise it is
optional configuration (`AWS_STORAGE_BUCKET_NAME`) that deployments set.
Such a flag (named `env:X`) is never set when its literal
default is off (no default counts as off), the project has at least one
environment source (a `.env` or `.env.*` file; a docker-compose file, with
its `environment:` entries and the files its `env_file:` names) and none of
them sets it, the
code does not set it (`os.environ["X"] = ...`, `os.environ.setdefault`,
`monkeypatch.setenv`, `os.environ.update({"X": ...})`; a computed name
such as `f"X_{n}"` sets only names with its literal start) and it is not
listed in `external-flags`. A write whose name has no literal start
(`os.environ.update(extra)`, `os.environ[name] = v`) may set any variable:
the flag is still reported, naming that write ("unless
os.environ.update(extra) at boot.py:5 sets it"), but FL002 and `fix` keep
the code it gates. A project
with no environment source says nothing about its environment: its
environment flags are unknown and never reported. Reported at the first read
(or at the constant's definition).

A flag read through a feature-flag SDK (`sdk:<provider>:<key>`, see
docs/sdks.md) has its state in the flag service: it is reported only when a
flag file listed in `[tool.flaglint]` `flag-sources` (flagd, LaunchDarkly
file data) defines it and serves it off to everyone (a flagd flag with no
targeting and a false default variant, a LaunchDarkly flag that is off or
falls through to a false variation with no targets or rules), or does not
serve it at all (`DISABLED`) while every read passes a false default. It is
reported at its first read. A project's own wrapper
(`def is_on(key): return ld_client.variation(key, ctx, False)`) is found
automatically, and its calls (`if is_on("new-ui"):`) are reads of the key.
When `sources-complete` says a provider's sources list every flag, a key
no source defines is reported as FL004 instead (its gated code is still
FL002 when the code's default is off). A wrapper's hard-wired dict decides
first: a key it fixes to `False` (`if key in STALE: return STALE[key]`) is
never on, whatever the flag file serves; an environment variable the
wrapper reads by the key's name counts only when an environment source sets
it (docs/sdks.md). An in-house registry's `False` entry is never on only
when `sources-complete` names the registry, or when the deployment
configuration in the tree (a module-level `FEATURE_FLAGS = {...}` merged
over the defaults) sets the key `False` in every binding.

## Known problems
Flags set from outside the analysed code (a settings module that is not
analysed, a test fixture, a debugger) look never set. Declare them in
`[tool.flaglint] external-flags = ["pkg.settings.ENABLE_X"]` (an environment
variable set by the deployment: `"env:ENABLE_X"`). A constant read through
Django's settings object (`from django.conf import settings`, then
`settings.ENABLE_X` or `getattr(settings, "ENABLE_X", False)`) is never
reported: the module `DJANGO_SETTINGS_MODULE` names may be the deployment's
own (see docs/usage.md). Any value given to a
variable in a `.env` file, even `0`, counts as setting it. A flag
computed from anything that is not a literal (`os.environ.get(...)`, a call)
is always treated as possibly set.

Not reported, by design: names type checkers treat as true (`TYPE_CHECKING`,
`MYPY`) wherever they are defined; attributes of a class whose methods (or
whose base class's methods) call `setattr(cls, name, ...)` with a computed
name, or of a class passed as an argument anywhere when some `setattr`
with a computed name writes to an object it was handed (`Parser(Options)`
whose parser calls `setattr(self.options, key, value)`); a class attribute
read through `self` or `cls` (`if self.allow_reuse_port:`) is a hook any
subclass can override, possibly outside the analysed code; a bit tested on a field that is also filled from
data (`order.flags = raw[0]`, a parameter, tuple unpacking) may arrive with
any bit set.

## How to suppress
`# flaglint: ignore[FL001]` (or `# noqa: FL001`) on the definition line.
"""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Location
from ..keys import is_env_key, is_sdk_key, key_parts
from .base import Example, Rule

_MAX_RELATED = 10


class FlagNeverSet(Rule):
    code = "FL001"
    name = "flag-never-set"
    summary = "A flag is read but nothing ever sets it"
    examples = (
        Example(
            {
                "app.py": "ENABLE_POWER_PEG = False\n\ndef route(order):\n    if ENABLE_POWER_PEG:\n        run_power_peg(order)\n"
            },
            (("FL001", "app.py", 1, "flag ENABLE_POWER_PEG is read in 1 place but never set: every binding is false"),),
            "constant read, never set",
        ),
        Example(
            {
                "settings.py": "ENABLE_X = False\n",
                "app.py": "import settings\n\ndef f():\n    return 1 if settings.ENABLE_X else 0\n",
            },
            (("FL001", "settings.py", 1, "flag ENABLE_X is read in 1 place but never set: every binding is false"),),
            "read through a module import",
        ),
        Example(
            {
                "settings.py": "ENABLE_X = False\n",
                "app.py": "import settings\n\ndef f():\n    if settings.ENABLE_X:\n        g()\n",
                "boot.py": "import settings\n\ndef boot():\n    settings.ENABLE_X = True\n",
            },
            (),
            "set by an attribute assignment in another module",
        ),
        Example(
            {"app.py": "import os\nENABLE_X = os.environ.get('X')\nif ENABLE_X:\n    g()\n"},
            (),
            "computed value: set from outside",
        ),
        Example(
            {"app.py": "DEBUG = 0\n\ndef on():\n    global DEBUG\n    DEBUG = 1\n\nif DEBUG:\n    g()\n"},
            (),
            "set through global",
        ),
        Example(
            {"app.py": "X = False\nsetattr(cfg, 'X', True)\nif X:\n    g()\n"},
            (),
            "set by setattr",
        ),
        Example(
            {"app.py": "def f(ENABLE_X):\n    if ENABLE_X:\n        g()\nENABLE_X = False\n"},
            (),
            "a parameter with the same name is not the flag",
        ),
        Example(
            {
                "app.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n",
                "typing.py": "TYPE_CHECKING = False\n",
            },
            (),
            "TYPE_CHECKING is set by type checkers",
        ),
        Example(
            {
                "_version.py": "TYPE_CHECKING = False\nMYPY = False\nif TYPE_CHECKING or MYPY:\n    from typing import Tuple\n"
            },
            (),
            "a local TYPE_CHECKING or MYPY is true for type checkers too",
        ),
        Example(
            {
                "diag.py": (
                    "class Flags:\n    @classmethod\n    def enable(cls, name):\n        setattr(cls, name, True)\n\n"
                    "class Diag(Flags):\n    warn_alias = False\n\n"
                    "def f():\n    if Diag.warn_alias:\n        warn()\n"
                )
            },
            (),
            "a class (or its base) that sets attributes by name at run time",
        ),
        Example(
            {
                "opts.py": (
                    "class Parser:\n    def __init__(self, options):\n        self.options = options\n\n"
                    "    def parse(self, pairs):\n        for key, value in pairs:\n"
                    "            setattr(self.options, key, value)\n\n"
                    "class Options:\n    simplemath = False\n\n"
                    "def main(pairs):\n    Parser(Options).parse(pairs)\n\n"
                    "def f():\n    if Options.simplemath:\n        g()\n"
                )
            },
            (),
            "a class passed to code that sets attributes of what it was given by name",
        ),
        Example(
            {
                "opts.py": (
                    "def apply(target, pairs):\n    for key, value in pairs:\n        setattr(target, key, value)\n\n"
                    "class Options:\n    simplemath = False\n\n"
                    "def f():\n    if Options.simplemath:\n        g()\n"
                )
            },
            (
                (
                    "FL001",
                    "opts.py",
                    6,
                    "flag Options.simplemath is read in 1 place but never set: every binding is false",
                ),
            ),
            "a class never handed to the code that sets attributes by name",
        ),
        Example(
            {
                "log.py": (
                    "NONE = 0\n_LOG = NONE\n\ndef set_logger(flags):\n    global _LOG\n    _LOG = flags\n\n"
                    "def f():\n    if _LOG:\n        log()\n"
                )
            },
            (),
            "a name first bound to another constant, then rebound, is a variable",
        ),
        Example(
            {"app.py": "ENABLED = True\nif ENABLED:\n    g()\n"},
            (),
            "a live flag",
        ),
        Example(
            {
                "server.py": "class Server:\n    allow_reuse_port = False\n\n    def bind(self):\n        if self.allow_reuse_port:\n            self.reuse()\n"
            },
            (),
            "a class attribute read through self is a hook subclasses override",
        ),
        Example(
            {
                "proto.py": (
                    "SEEN = 0x1\nPATCHED = 0x2\n\n"
                    "def mark(order):\n    order.flags |= SEEN\n\n"
                    "def load(order, raw):\n    order.flags = raw[0]\n\n"
                    "def route(order):\n    if order.flags & PATCHED:\n        patch(order)\n"
                )
            },
            (),
            "a bit tested on a field also filled from data",
        ),
        Example(
            {
                "proto.py": (
                    "SEEN = 0x1\nPATCHED = 0x2\n\n"
                    "def mark(order):\n    order.flags |= SEEN\n\n"
                    "def route(order):\n    if order.flags & PATCHED:\n        patch(order)\n"
                )
            },
            (
                (
                    "FL001",
                    "proto.py",
                    2,
                    "bit PATCHED (0x2) is tested in 1 place but never set anywhere in the analysed code",
                ),
            ),
            "a bit nobody sets, on a field only the code fills",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA', '0') == '1':\n        beta()\n",
            },
            (
                (
                    "FL001",
                    "app.py",
                    4,
                    "environment variable ENABLE_BETA gates code in 1 place but is never set: its default is off and no environment source sets it",
                ),
            ),
            "an environment flag, default off, that no .env file sets",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "settings.py": "import os\nENABLE_BETA = os.environ.get('ENABLE_BETA', 'false').lower() in ('1', 'true')\n",
                "app.py": "from settings import ENABLE_BETA\n\ndef f():\n    if ENABLE_BETA:\n        beta()\n",
            },
            (
                (
                    "FL001",
                    "settings.py",
                    2,
                    "flag ENABLE_BETA is read in 1 place but never set: it mirrors environment variable ENABLE_BETA, whose default is off and which no environment source sets",
                ),
            ),
            "a constant that mirrors an environment flag nothing sets",
        ),
        Example(
            {
                ".env": "ENABLE_BETA=1\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA') == '1':\n        beta()\n",
            },
            (),
            "an environment flag set in .env",
        ),
        Example(
            {"app.py": "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA') == '1':\n        beta()\n"},
            (),
            "no environment sources at all: unknown, not reported",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('USE_CACHE', 'true').lower() == 'true':\n        cache()\n",
            },
            (),
            "an environment flag whose default is on",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "boot.py": "import os\nos.environ.setdefault('ENABLE_BETA', '1')\n",
                "app.py": "import os\n\ndef f():\n    if 'ENABLE_BETA' in os.environ:\n        beta()\n",
            },
            (),
            "an environment variable the code sets itself",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "boot.py": "import os\n\ndef boot(name):\n    os.environ[f'ENABLE_{name}'] = '1'\n",
                "app.py": "import os\n\ndef f():\n    if 'ENABLE_BETA' in os.environ:\n        beta()\n",
            },
            (),
            "a computed name sets the names with its literal start",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "boot.py": "import os\n\ndef boot(extra):\n    os.environ.update(extra)\n",
                "app.py": "import os\n\ndef f():\n    if os.getenv('ENABLE_BETA', '0') == '1':\n        beta()\n",
            },
            (
                (
                    "FL001",
                    "app.py",
                    4,
                    "environment variable ENABLE_BETA gates code in 1 place but is never set: its default is off "
                    "and no environment source sets it, unless os.environ.update(extra) at boot.py:4 sets it",
                ),
            ),
            "a write flaglint cannot bound is named; FL002 keeps the code",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "app.py": (
                    "import ldclient\nclient = ldclient.get()\n\n"
                    "def f(ctx):\n    if client.variation('new-ui', ctx, False):\n        new_ui()\n"
                ),
            },
            (),
            "an SDK flag with no local source: its state is unknown",
        ),
        Example(
            {
                "flaglint.toml": 'flag-sources = ["flags.flagd.json"]\n',
                "flags.flagd.json": (
                    '{"flags": {\n'
                    '  "new-ui": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},\n'
                    '  "beta": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",\n'
                    '           "targeting": {"if": [{"in": ["@acme.com", {"var": "email"}]}, "on", "off"]}}\n'
                    "}}\n"
                ),
                "app.py": (
                    "from openfeature import api\nclient = api.get_client()\n\n"
                    "def f():\n    if client.get_boolean_value('new-ui', False):\n        new_ui()\n"
                    "    if client.get_boolean_value('beta', False):\n        beta()\n"
                ),
            },
            (
                (
                    "FL001",
                    "app.py",
                    5,
                    "flag 'new-ui' (openfeature) is read in 1 place but is never on: its default variant 'off' is false and it has no targeting (flags.flagd.json:2)",
                ),
            ),
            "an SDK flag its flag source serves off to everyone (one with targeting is live)",
        ),
        Example(
            {
                "flaglint.toml": 'flag-sources = ["flags.json"]\n',
                "flags.json": '{"flagValues": {"new-ui": true}}\n',
                "app.py": (
                    "import ldclient\nclient = ldclient.get()\nSTALE = {'new-ui': False}\n\n"
                    "def flag_set(key):\n    if key in STALE:\n        return STALE[key]\n"
                    "    return client.variation(key, None, False)\n\n"
                    "if flag_set('new-ui'):\n    new_ui()\n"
                ),
            },
            (
                (
                    "FL001",
                    "app.py",
                    10,
                    "flag 'new-ui' (launchdarkly) is read in 1 place but is never on: the hard-wired app.STALE (app.py:3) fixes it off for everyone",
                ),
            ),
            "a key the wrapper's hard-wired dict fixes off, whatever the flag file serves",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        for flag in analysis.never_set:
            if analysis.undeclared(flag):
                continue  # FL004 says why: the key is in no source at all
            reads = sorted(
                flag.truth_reads or flag.bit_reads, key=lambda site: (site.path, site.span.line, site.span.column)
            )
            definition = flag.definitions[0] if flag.definitions else reads[0]
            yield self.finding(
                self._message(flag, len(reads), graph, analysis),
                definition.path,
                definition.span,
                flag=flag.name,
                related=tuple(Location(site.path, site.span, "read here") for site in reads[:_MAX_RELATED]),
                context="definition" if flag.definitions else "first read",
            )

    @classmethod
    def _message(cls, flag, read_count: int, graph=None, analysis=None) -> str:
        message = cls._plain_message(flag, read_count, graph, analysis)
        unless = analysis.open_env_writes(flag) if analysis is not None else []
        if unless:
            shown = ", ".join(unless[:3]) + (f" or {len(unless) - 3} more" if len(unless) > 3 else "")
            message += f", unless {shown} sets it"
        return message

    @staticmethod
    def _plain_message(flag, read_count: int, graph=None, analysis=None) -> str:
        short = flag.symbol[1]
        if flag.key and is_sdk_key(flag.key):
            provider, key = key_parts(flag.key)
            plain = any(site.fact.override is None for site in flag.reads)  # else a hard-wired dict decides every read
            why = "; ".join(
                [
                    f"{definition.why} ({definition.path}:{definition.line})"
                    for definition in (graph.sources.definitions(provider, key) if graph is not None and plain else ())
                ]
                + (analysis.override_notes(flag) if analysis is not None else [])
            )
            return f"flag {key!r} ({provider}) is read in {_count(read_count)} but is never on: {why}"
        if flag.key and is_env_key(flag.key):
            return (
                f"environment variable {key_parts(flag.key)[1]} gates code in {_count(read_count)} but is never set: "
                f"its default is off and no environment source sets it"
            )
        if flag.from_key:
            keys = sorted({site.fact.key[4:] for site in flag.definitions})
            return (
                f"flag {short} is read in {_count(read_count)} but never set: it mirrors environment variable "
                f"{', '.join(keys)}, whose default is off and which no environment source sets"
            )
        if flag.bit is not None:
            return (
                f"bit {short} ({flag.bit:#x}) is tested in {_count(read_count)} "
                f"but never set anywhere in the analysed code"
            )
        return f"flag {short} is read in {_count(read_count)} but never set: every binding is false"


def _count(number: int) -> str:
    return "1 place" if number == 1 else f"{number} places"

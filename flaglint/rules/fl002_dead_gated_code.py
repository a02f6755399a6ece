"""# FL002 dead-gated-code

## What it does
Reports code that can only run when a never-set flag (FL001) is on: the
body of `if FLAG:` or `elif FLAG:`, the `else` of `if not FLAG:`, the true
arm of `a if FLAG else b`, the right side of `FLAG and f()`, the body of
`if order.flags & DEAD_BIT:`, the body of `case P if FLAG:`, and everything
after a guard clause (`if not FLAG: return`) in the same block. The span is
the dead block.

It also follows references, across modules: a function or class that at
least one reference resolves to, and whose every reference is inside dead
code, is dead too, and so are the helpers only it uses, in whatever module
they live. A reference is what Python would bind: a name through the
module's scopes and imports, an attribute of a module or class it resolves
to (`legacy.export()`, `self.send()` in a class that defines `send`),
`getattr(legacy, "export")`. A method call on another object is not a
reference to a same-named function: `msg.send()` in dead code never makes
a module-level `send` dead, nor does a parameter, a local, an import from
elsewhere (`from json import loads`) or an attribute of an outside module
(`email.message.Message`). A function nothing refers to is not reported. Such a definition is reported once, in its own
module, naming the flag that killed it, with the dead code that used it
and the imports of it (an import line alone is not a use) as related
locations.

## Why is this bad?
Dead code behind a flag is not harmless: it is reviewed, refactored and
shipped, and it comes back to life the day someone sets the flag or reuses
its bit. That is exactly how Knight Capital's Power Peg, gated off since
2005, ran again in 2012.

## Example
Use instead: delete the block and the functions only it calls, then the
flag.

The same holds for an environment variable that gates code and that
nothing sets (see FL001): `if os.getenv("LEGACY", "0") == "1":`.

## Known problems
What flaglint cannot resolve outside dead code keeps every definition of
that name alive (a miss, never a false report): an attribute of an object
it cannot name (`conn.send()`, `self.send()` of an inherited method), a
string holding a dotted path such as a `mock.patch` target or a Django
setting, `__all__`. Never
reported as dead: decorated functions and classes (registered handlers,
routes, tasks; `@dataclass` aside), dunder methods, methods (a dead class
takes its methods with it), entry points named in `pyproject.toml` or
`setup.cfg`, names a package's `__init__.py` imports (not a private
`_name`: that is no API), and every function of
a module read by a computed name (`globals()[name]`, `getattr(module,
name)`; a module `__getattr__` that only fetches a literal set of names
uses only those). docs/fix.md lists the rules in full.

## How to suppress
`# flaglint: ignore[FL002]` (or `# noqa: FL002`) on the first line of the
reported block or on the `def` line. Suppressing FL001 for the flag does not
hide its dead code; declare the flag in `external-flags` if it is set
outside the code.
"""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Location
from ..keys import is_env_key
from .base import Example, Rule
from .keys import describe


class DeadGatedCode(Rule):
    code = "FL002"
    name = "dead-gated-code"
    summary = "Code that only runs when a never-set flag is on"
    examples = (
        Example(
            {
                "app.py": "ENABLE_POWER_PEG = False\n\n\ndef route(order):\n    if ENABLE_POWER_PEG:\n        run_power_peg(order)  # never runs\n\n\ndef run_power_peg(order):  # only called from dead code\n    order.peg()\n"
            },
            (
                (
                    "FL002",
                    "app.py",
                    6,
                    "this code only runs when ENABLE_POWER_PEG is on, and nothing ever sets ENABLE_POWER_PEG",
                ),
                (
                    "FL002",
                    "app.py",
                    9,
                    "run_power_peg() is only referenced from code gated by never-set flag ENABLE_POWER_PEG",
                ),
            ),
            "Power Peg: the block and the function only it calls",
        ),
        Example(
            {"app.py": "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n        h()\n    return 1\n"},
            (("FL002", "app.py", 5, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "if body",
        ),
        Example(
            {
                "app.py": "ENABLE_X = False\n\ndef f():\n    if not ENABLE_X:\n        return 0\n    else:\n        return 1\n"
            },
            (("FL002", "app.py", 7, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "else of a negated test",
        ),
        Example(
            {"app.py": "ENABLE_X = False\n\ndef f(a):\n    if a:\n        pass\n    elif ENABLE_X:\n        g()\n"},
            (("FL002", "app.py", 7, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "elif body",
        ),
        Example(
            {"app.py": "ENABLE_X = False\n\ndef f():\n    return new() if ENABLE_X else old()\n"},
            (("FL002", "app.py", 4, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "conditional expression",
        ),
        Example(
            {
                "app.py": (
                    "ENABLE_X = False\n\n"
                    "def f():\n    if ENABLE_X:\n        peg()\n\n"
                    "def peg():\n    _helper()\n\n"
                    "def _helper():\n    pass\n"
                )
            },
            (
                ("FL002", "app.py", 5, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),
                ("FL002", "app.py", 7, "peg() is only referenced from code gated by never-set flag ENABLE_X"),
                ("FL002", "app.py", 10, "_helper() is only referenced from code gated by never-set flag ENABLE_X"),
            ),
            "functions only called from dead code, transitively",
        ),
        Example(
            {
                "app.py": (
                    "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        peg()\n    peg()\n\ndef peg():\n    pass\n"
                )
            },
            (("FL002", "app.py", 5, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "a function also called from live code is live",
        ),
        Example(
            {
                "settings.py": "ENABLE_X = False\n",
                "app.py": "import settings\nfrom legacy import peg\n\ndef f():\n    if settings.ENABLE_X:\n        peg()\n",
                "legacy.py": "import os\n\nclass Peg:\n    pass\n\ndef peg():\n    return Peg()\n",
            },
            (
                ("FL002", "app.py", 6, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),
                ("FL002", "legacy.py", 3, "class Peg is only referenced from code gated by never-set flag ENABLE_X"),
                ("FL002", "legacy.py", 6, "peg() is only referenced from code gated by never-set flag ENABLE_X"),
            ),
            "a function and a class in another module, used only by dead code",
        ),
        Example(
            {
                "settings.py": "ENABLE_X = False\n",
                "app.py": "import settings\nfrom legacy import peg\n\ndef f():\n    if settings.ENABLE_X:\n        peg()\n",
                "legacy.py": "import tasks\n\n@tasks.register\ndef peg():\n    pass\n",
            },
            (("FL002", "app.py", 6, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "a decorated function may be called by its framework",
        ),
        Example(
            {
                "app.py": (
                    "ENABLE_V2 = False\n\ndef send(msg):\n    if ENABLE_V2:\n        return _send_v2(msg)\n"
                    "    return msg.send()\n\ndef _send_v2(msg):\n    return msg.send(v=2)\n"
                )
            },
            (
                ("FL002", "app.py", 5, "this code only runs when ENABLE_V2 is on, and nothing ever sets ENABLE_V2"),
                ("FL002", "app.py", 8, "_send_v2() is only referenced from code gated by never-set flag ENABLE_V2"),
            ),
            "a method call on another object is not a reference to a same-named function",
        ),
        Example(
            {
                "app.py": (
                    "ENABLE_TURBO = False\n\ndef run(args):\n    match args:\n"
                    "        case [x, *_] if ENABLE_TURBO:\n            return _turbo(x)\n"
                    "        case _:\n            return None\n\ndef _turbo(x):\n    return x * 2\n"
                )
            },
            (
                (
                    "FL002",
                    "app.py",
                    6,
                    "this code only runs when ENABLE_TURBO is on, and nothing ever sets ENABLE_TURBO",
                ),
                (
                    "FL002",
                    "app.py",
                    10,
                    "_turbo() is only referenced from code gated by never-set flag ENABLE_TURBO",
                ),
            ),
            "a match guard gates its case",
        ),
        Example(
            {"app.py": "ENABLE_X = False\n\ndef f(a):\n    if ENABLE_X or a:\n        g()\n"},
            (),
            "an or-test does not gate on the flag alone",
        ),
        Example(
            {"app.py": "ENABLE_X = False\n\ndef f():\n    if not ENABLE_X:\n        return\n    g()\n    h()\n"},
            (("FL002", "app.py", 6, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "everything after a guard clause",
        ),
        Example(
            {"app.py": "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        return\n    g()\n"},
            (("FL002", "app.py", 5, "this code only runs when ENABLE_X is on, and nothing ever sets ENABLE_X"),),
            "code after `if FLAG: return` runs while the flag is off",
        ),
        Example(
            {
                ".env": "DATABASE_URL=postgres://db\n",
                "app.py": (
                    "import os\n\ndef f():\n    if not bool(int(os.getenv('LEGACY_EXPORT', '0'))):\n"
                    "        return new()\n    return legacy()\n"
                ),
            },
            (
                (
                    "FL002",
                    "app.py",
                    6,
                    "this code only runs when environment variable LEGACY_EXPORT is on, and nothing ever sets LEGACY_EXPORT",
                ),
            ),
            "code after a guard clause on a never-set environment flag",
        ),
        Example(
            {
                ".env": "LEGACY_EXPORT=1\n",
                "app.py": "import os\n\ndef f():\n    if os.environ.get('LEGACY_EXPORT'):\n        legacy()\n",
            },
            (),
            "an environment flag set in .env gates live code",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        definitions: dict = {}  # one lookup per flag, not per block (a keyed flag's first read is a scan)
        for region in analysis.dead_regions:
            read = region.site.fact
            short = region.flag.symbol[1]
            yield self.finding(
                f"this code only runs when {describe(region.flag)} is on, and nothing ever sets {_bare(region.flag)}",
                region.site.path,
                read.gate,
                flag=region.flag.name,
                related=(
                    _cached(definitions, region.flag, self._definition),
                    Location(region.site.path, read.span, "gating test"),
                ),
                context=f"block in {read.scope or '<module>'}",
            )
        for dead in analysis.dead_functions:
            short = describe(dead.flag)
            short = short if short.startswith(("environment", "flag ")) else f"flag {short}"
            callers = tuple(Location(path, span, "only reference, in dead code") for path, span in dead.callers if span)
            imports = tuple(
                Location(path, span, f"import of {dead.function.name}, only for dead code")
                for path, span in dead.imports
            )
            what = f"class {dead.function.qualname}" if dead.kind == "class" else f"{dead.function.qualname}()"
            yield self.finding(
                f"{what} is only referenced from code gated by never-set {short}",
                dead.path,
                dead.function.span,
                flag=dead.flag.name,
                related=(_cached(definitions, dead.flag, self._definition), *callers, *imports),
                context=f"{dead.kind} {dead.function.qualname}",
            )

    @staticmethod
    def _definition(flag) -> Location:
        if not flag.definitions:  # a keyed flag: an environment variable
            site = min(flag.reads, key=lambda site: (site.path, site.span.line, site.span.column))
            return Location(site.path, site.span, f"{flag.symbol[1]} first read here")
        site = flag.definitions[0]
        return Location(site.path, site.span, f"{flag.symbol[1]} defined here")


def _bare(flag) -> str:
    if flag.key and is_env_key(flag.key):
        return flag.key[4:]
    return "it" if flag.key else flag.symbol[1]


def _cached(cache: dict, flag, compute):
    if flag.name not in cache:
        cache[flag.name] = compute(flag)
    return cache[flag.name]

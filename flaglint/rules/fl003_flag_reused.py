"""# FL003 flag-reused

## What it does
Reports one bit carrying two meanings in one family of flags:

- two constants with the same single bit, where one name is set somewhere
  (`order.flags |= RLP`) and the other is only ever read
  (`if order.flags & POWER_PEG:`): every order marked with the new meaning
  wakes the code written for the old one. Reported at each read of the old
  name (the span is the block it gates) and at the new definition.
- a `Flag`/`IntFlag` member given the same value as an earlier member:
  Python silently makes it an alias, so the two meanings collide. Reported at
  the second definition.

Two constants are one family when they are members of one `Flag`/`IntFlag`
class, or when they are tested or stored on the same attribute (`.flags`),
wherever they are defined: that is how a legacy module's `POWER_PEG` and a
protocol module's `RLP` meet. Constants that merely share a module are not
tied: modules such as `stat` hold several unrelated families.

Not reuse: plain aliases (`RLP = POWER_PEG`, `SLOW = READ`, a member
given as `OTHER.value`, `A = ASCII = 0x80`), composite masks (`A | B`, `0x0F`), the same number
in two modules or classes that are never used on the same field, and
constants never used in a bit test.

Across time (with `--against REV` or a committed `flaglint.lock` ledger):
a bit that had one name before and a different name now, reported at the new
definition and at every remaining read of the old name, even when nothing
reads the old name any more: retired bits stay reserved. A class or module
moved to another module keeps its history when its name is unambiguous.

## Why is this bad?
This is the Knight Capital failure. In 2012 the bit that once switched on
Power Peg was reused to mark orders for the new Retail Liquidity Program.
One server still ran the old code, and every RLP order woke Power Peg:
$440M lost in 45 minutes.

## Example
Use instead: give the new meaning a bit no code has ever read, and delete
the old reader. If the two names really are one meaning, say so with an
alias: `RLP = POWER_PEG`.

If a bit really was renamed, declare it: `flaglint lock --rename OLD=NEW`.

## How to suppress
`# flaglint: ignore[FL003]` (or `# noqa: FL003`) on the reported line:
the first line of the gated block, or the definition.
"""

from __future__ import annotations

from typing import Dict, Iterator, List

from ..findings import Finding, Location
from .base import Example, Rule

_MAX_RELATED = 5

_KNIGHT = {
    "legacy.py": ("POWER_PEG = 0x20\n\ndef route(order):\n    if order.flags & POWER_PEG:\n        order.peg()\n"),
    "protocol.py": ("RLP = 1 << 5\n\ndef mark(order):\n    order.flags |= RLP\n"),
}


class FlagReused(Rule):
    code = "FL003"
    name = "flag-reused"
    summary = "One bit carries two meanings: a new name is set, an old one is still read"
    examples = (
        Example(
            _KNIGHT,
            (
                (
                    "FL003",
                    "legacy.py",
                    5,
                    "POWER_PEG (0x20) is never set, but RLP reuses bit 0x20 and is set at protocol.py:4: this code also runs whenever RLP is set",
                ),
                ("FL003", "protocol.py", 1, "RLP reuses bit 0x20 of POWER_PEG, still read at legacy.py:4"),
            ),
            "Knight: tied by the field",
        ),
        Example(
            {
                **_KNIGHT,
                "protocol.py": "from legacy import POWER_PEG\nRLP = POWER_PEG\n\ndef mark(order):\n    order.flags |= RLP\n",
            },
            (),
            "a declared alias",
        ),
        Example(
            {**_KNIGHT, "protocol.py": "RLP = 0x20\n\ndef mark(order):\n    order.options |= RLP\n"},
            (),
            "same number on an unrelated field",
        ),
        Example(
            {
                "flags.py": "A = 0x1\nB = 0x2\nAB = A | B\nMASK = 0x3\n\ndef f(x):\n    x.flags |= AB\n    return x.flags & MASK\n"
            },
            (),
            "composite masks",
        ),
        Example(
            {
                "perm.py": "import enum\n\nclass Perm(enum.IntFlag):\n    R = enum.auto()\n    W = enum.auto()\n    X = 4\n    EXEC = 4\n"
            },
            (
                (
                    "FL003",
                    "perm.py",
                    7,
                    "Perm.EXEC has the same value (0x4) as Perm.X: Python silently makes EXEC an alias of X, so the two meanings collide; write `EXEC = X` if that is meant",
                ),
            ),
            "IntFlag silent alias",
        ),
        Example(
            {
                "perm.py": "import enum\n\nclass Perm(enum.Flag):\n    R = 1\n    READ = R\n    W = 2\n    WRITE = W.value\n"
            },
            (),
            "explicit enum aliases",
        ),
        Example(
            {
                "flags.py": "import enum\n\nclass RegexFlag(enum.IntFlag):\n    A = ASCII = 0x80\n    I = IGNORECASE = 0x2\n"
            },
            (),
            "chained assignment declares an alias",
        ),
        Example(
            {
                "limits.py": "POWER_PEG = 32\nMAX_RETRIES = 32\n\ndef f(order):\n    if order.flags & POWER_PEG:\n        pass\n    return range(MAX_RETRIES)\n"
            },
            (),
            "a constant never used as a bit",
        ),
        Example(
            {
                "stat.py": (
                    "S_ISGID = 0o2000\nS_ENFMT = S_ISGID\nFILE_ATTRIBUTE_REPARSE_POINT = 1024\n"
                    "TABLE = ((S_ISGID | 1, 's'),)\n"
                ),
                "shutil.py": (
                    "import stat\n\ndef is_junction(st):\n"
                    "    if st.st_file_attributes & stat.FILE_ATTRIBUTE_REPARSE_POINT:\n        return True\n"
                ),
            },
            (),
            "one module, two families that never meet on a field",
        ),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        by_new: Dict[object, List] = {}
        for collision in analysis.collisions:
            yield from self._old_reads(collision)
            by_new.setdefault(collision.new.symbol, []).append(collision)
        reported = set()
        for collisions in by_new.values():
            finding = self._new_definition(collisions)
            reported.add((finding.path, finding.span))
            yield finding
        for first, second in analysis.silent_aliases:
            site = second.definitions[0]
            if (site.path, site.span) not in reported:
                yield self._silent_alias(first, second)
                reported.add((site.path, site.span))
        read_in_tree = {collision.old.symbol for collision in analysis.collisions}
        for reuse in analysis.historic_reuses:
            site = reuse.new.definitions[0]
            if (site.path, site.span) not in reported:
                yield self._historic_definition(reuse)
            for old in reuse.old_flags:
                if old.symbol not in read_in_tree:
                    yield from self._historic_reads(reuse, old)

    def _historic_definition(self, reuse) -> Finding:
        site = reuse.new.definitions[0]
        olds = ", ".join(reuse.olds)
        return self.finding(
            f"{reuse.new.symbol[1]} gives bit {reuse.bit:#x} of {reuse.family} a new meaning: in {reuse.origin} "
            f"it was {olds}. Retired bits stay reserved: old code may still run somewhere. If this is a "
            f"rename, declare it: flaglint lock --rename {reuse.olds[0]}={reuse.new.symbol[1].rsplit('.', 1)[-1]}",
            site.path,
            site.span,
            flag=reuse.new.name,
            related=tuple(
                Location(read.path, read.span, f"{read.fact.ref} still read here")
                for old in reuse.old_flags
                for read in old.bit_reads[:_MAX_RELATED]
            ),
            context=f"history reuse of {olds} in {reuse.family}",
        )

    def _historic_reads(self, reuse, old) -> Iterator[Finding]:
        new = reuse.new
        for site in old.bit_reads:
            read = site.fact
            yield self.finding(
                f"{old.symbol[1]} ({reuse.bit:#x}) meant bit {reuse.bit:#x} of {reuse.family} in {reuse.origin}, "
                f"but {new.symbol[1]} now uses that bit: this code also runs whenever {new.symbol[1]} is set",
                site.path,
                read.gate or read.span,
                flag=old.name,
                related=(Location(new.definitions[0].path, new.definitions[0].span, f"{new.symbol[1]} defined here"),),
                context=f"history read of {old.name} in {read.scope or '<module>'} reused by {new.name}",
            )

    def _old_reads(self, collision) -> Iterator[Finding]:
        old, new = collision.old, collision.new
        setter = new.uses[0]
        related = (
            Location(new.definitions[0].path, new.definitions[0].span, f"{new.symbol[1]} defined with the same bit"),
            *(Location(site.path, site.span, f"{new.symbol[1]} set here") for site in new.uses[:_MAX_RELATED]),
            Location(old.definitions[0].path, old.definitions[0].span, f"{old.symbol[1]} defined here"),
        )
        for site in old.bit_reads:
            read = site.fact
            yield self.finding(
                f"{old.symbol[1]} ({collision.value:#x}) is never set, but {new.symbol[1]} reuses bit "
                f"{collision.value:#x} and is set at {setter.path}:{setter.span.line}: this code also runs "
                f"whenever {new.symbol[1]} is set",
                site.path,
                read.gate or read.span,
                flag=old.name,
                related=related,
                context=f"read of {old.name} in {read.scope or '<module>'} reused by {new.name}",
            )

    def _new_definition(self, collisions) -> Finding:
        new = collisions[0].new
        definition = new.definitions[0]
        olds = [collision.old for collision in collisions]
        reads = [site for old in olds for site in old.bit_reads]
        first = reads[0]
        names = ", ".join(sorted({old.symbol[1] for old in olds}))
        return self.finding(
            f"{new.symbol[1]} reuses bit {collisions[0].value:#x} of {names}, still read at "
            f"{first.path}:{first.span.line}" + (f" and {len(reads) - 1} more" if len(reads) > 1 else ""),
            definition.path,
            definition.span,
            flag=new.name,
            related=tuple(
                [
                    Location(old.definitions[0].path, old.definitions[0].span, f"{old.symbol[1]} defined here")
                    for old in olds
                ]
                + [Location(site.path, site.span, "old meaning read here") for site in reads[:_MAX_RELATED]]
            ),
            context=f"definition reusing {names}",
        )

    def _silent_alias(self, first, second) -> Finding:
        site = second.definitions[0]
        a, b = first.symbol[1].split(".")[-1], second.symbol[1].split(".")[-1]
        return self.finding(
            f"{second.symbol[1]} has the same value ({second.bit:#x}) as {first.symbol[1]}: Python silently "
            f"makes {b} an alias of {a}, so the two meanings collide; write `{b} = {a}` if that is meant",
            site.path,
            site.span,
            flag=second.name,
            related=(Location(first.definitions[0].path, first.definitions[0].span, f"{a} defined here"),),
            context="enum alias",
        )

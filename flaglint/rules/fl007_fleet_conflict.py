"""# FL007 fleet-conflict

## What it does
Reports what two builds that run side by side (during a rollout, a canary,
or on a server that was not redeployed) disagree about. Only
`flaglint drift BUILD BUILD [BUILD...]` reports it; each BUILD is a git
revision or a `flaglint.lock` ledger kept from a build artifact.

- **Bit conflict**: on the same field (or in the same `Flag`/`IntFlag`
  class), one build sets a bit under one name while another build reads
  that bit under a different name. The old build runs its code for the
  old meaning whenever the new build sets the bit. Reported at the
  setter, naming both builds, both names and the reader's gated code.
- **Key default conflict**: an environment variable or SDK flag key whose
  in-code default differs between builds: where the key is not set, one
  build takes it as on and the other as off. Reported at the first read.
- **Key gone**: a build reads a key that its own flag source defines, but
  another build has that same flag source (its `.env`, compose or flag
  file) and no longer defines the key in any of its sources. Reported at
  the read.

Not a conflict: a bit or key both builds use the same way; a bit only one
build uses; a name given the same bit in both builds (a conflict inside
one build is FL003's); a declared rename (`flaglint lock --rename OLD=NEW`)
whose old name no build still reads. While a build still reads the old
name, its old code runs there, so the rename does not excuse it.

## Why is this bad?
Knight Capital's new code went to seven of eight servers. The eighth still
ran the old build, in which the repurposed bit meant Power Peg. The new
build's orders set that bit, and the old build ran a routine dead since
2005: $440M lost in 45 minutes. `check --against` follows one line of
history; a rollout is a fleet, and every pair of builds in it must agree.

## Example
Build v1 is still deployed on one server; build v2, being rolled out,
retires Power Peg and gives its bit to the retail programme.

Use instead: give the new meaning a bit no deployed build reads, and roll
out the build that deletes the old reader first. For keys, keep the
default the same across builds, and keep a key in the flag source until
no deployed build reads it.

## Known problems
A field is known by its attribute name, as in FL003 and the ledger: two
unrelated classes that both have a `.flags` field share its bits, so a bit
one build sets on an order and another reads on a file entry is reported.
A field reached by a dict key (`order["flags"]`) is not followed. Key gone
compares source files by path: a key whose source file another
build does not have at all (moved, deleted, or not there yet) is not
reported. A revision is analysed with today's configuration (as
`check --against` does). A build from a ledger is only as current as the
last `flaglint lock` run on it.

## How to suppress
Drift compares builds, not files, so there is no comment to add: choose
what it reports with `--select`/`--ignore`, or declare a real rename with
`flaglint lock --rename OLD=NEW` once no build reads the old name.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from ..findings import Finding, Location
from ..history.drift import BitConflict, Conflict, KeyDefaultConflict, KeyGoneConflict
from .base import Example, Rule

_SHOWN = 3

_V1 = {
    "legacy.py": ("POWER_PEG = 0x20\n\ndef route(order):\n    if order.flags & POWER_PEG:\n        order.peg()\n"),
}
_V2 = {
    "protocol.py": ("RLP = 0x20\n\ndef mark(order):\n    order.flags |= RLP\n"),
}
_ENV_ON = "import os\n\nif os.getenv('NEW_CHECKOUT', '1') == '1':\n    print('new')\n"
_ENV_OFF = "import os\n\nif os.getenv('NEW_CHECKOUT') == '1':\n    print('new')\n"


class FleetConflict(Rule):
    code = "FL007"
    name = "fleet-conflict"
    summary = "Two builds that run side by side disagree on a bit or a key (flaglint drift)"
    #: each example's ``builds`` are analysed as builds v1, v2, ... and compared
    examples = (
        Example(
            {},
            (
                (
                    "FL007",
                    "protocol.py",
                    4,
                    "bit 0x20 of .flags: build v2 sets it as RLP (protocol.py:4); build v1 reads it as POWER_PEG and runs legacy.py:5 when it is set",
                ),
            ),
            "Knight: v2 sets the bit v1 reads as POWER_PEG",
            builds=(_V1, _V2),
        ),
        Example({}, (), "unchanged bits", builds=({**_V1, **_V2}, {**_V1, **_V2})),
        Example({}, (), "a bit only one build uses", builds=(_V2, {"other.py": "X = 1\n"})),
        Example(
            {},
            (
                (
                    "FL007",
                    "app.py",
                    3,
                    "env:NEW_CHECKOUT: where it is not set, build v1 takes it as on (app.py:3) and build v2 as off (app.py:3)",
                ),
            ),
            "a key's default differs",
            builds=({"app.py": _ENV_ON}, {"app.py": _ENV_OFF}),
        ),
        Example({}, (), "a key read the same way", builds=({"app.py": _ENV_OFF}, {"app.py": _ENV_OFF + "\n# v2\n"})),
    )

    def check(self, graph, analysis) -> Iterator[Finding]:
        """One build never conflicts with itself: FL007 comes from ``report``."""
        return iter(())

    def report(self, conflicts: Iterable[Conflict]) -> Iterator[Finding]:
        for conflict in conflicts:
            if isinstance(conflict, BitConflict):
                yield self._bit(conflict)
            elif isinstance(conflict, KeyDefaultConflict):
                yield self._default(conflict)
            elif isinstance(conflict, KeyGoneConflict):
                yield self._gone(conflict)

    def _bit(self, conflict: BitConflict) -> Finding:
        setter = conflict.sets[0]
        family = conflict.family.split(" ", 1)[-1]
        return self.finding(
            f"bit {conflict.bit:#x} of {family}: build {conflict.setter} sets it as {conflict.set_name} ({setter}); "
            f"build {conflict.reader} reads it as {conflict.read_name} and runs {_places(conflict.reads)} when it is set",
            setter.path,
            setter.span,
            flag=conflict.read_name,
            related=(
                *(
                    Location(place.path, place.span, f"build {conflict.reader}: runs when {conflict.read_name} is set")
                    for place in conflict.reads[:_SHOWN]
                ),
                *(
                    Location(place.path, place.span, f"build {conflict.setter}: {conflict.set_name} set here")
                    for place in conflict.sets[1:_SHOWN]
                ),
            ),
            context=f"bit {conflict.bit:#x} of {conflict.family}: {conflict.setter} sets {conflict.set_name}, {conflict.reader} reads {conflict.read_name}",
        )

    def _default(self, conflict: KeyDefaultConflict) -> Finding:
        first = conflict.first_reads[0].place
        second = conflict.second_reads[0].place
        return self.finding(
            f"{conflict.key}: where it is not set, build {conflict.first} takes it as {_default(conflict.first_reads)} "
            f"({first}) and build {conflict.second} as {_default(conflict.second_reads)} ({second})",
            first.path,
            first.span,
            flag=conflict.key,
            related=(Location(second.path, second.span, f"build {conflict.second} reads it here"),),
            context=f"default of {conflict.key}: {conflict.first} vs {conflict.second}",
        )

    def _gone(self, conflict: KeyGoneConflict) -> Finding:
        read = conflict.reads[0].place
        return self.finding(
            f"{conflict.key}: build {conflict.reader} reads it ({read}) and its flag source defines it "
            f"({conflict.defined[0]}), but build {conflict.other}'s flag sources no longer do: where they are "
            f"deployed, build {conflict.reader} gets the code's default ({_default(conflict.reads)})",
            read.path,
            read.span,
            flag=conflict.key,
            related=tuple(
                Location(place.path, place.span, f"build {conflict.reader}: defined here")
                for place in conflict.defined[:_SHOWN]
            ),
            context=f"{conflict.key} gone from {conflict.other}, read by {conflict.reader}",
        )


def _places(places: Sequence) -> str:
    shown = ", ".join(str(place) for place in places[:_SHOWN])
    return shown + (f" and {len(places) - _SHOWN} more" if len(places) > _SHOWN else "")


def _default(reads: Sequence) -> str:
    values = {read.default_on for read in reads}
    return "on or off" if len(values) > 1 else ("on" if values == {True} else "off")

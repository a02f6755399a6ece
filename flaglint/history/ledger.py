"""``flaglint.lock``: every family's bits and the names they have ever had.

Retired names stay in the ledger forever: a bit whose old reader may still
run on a server that was not redeployed stays reserved. ``check`` compares
today's bit tables with the ledger, so a retired bit given a new name is
caught even on a shallow CI clone. Updating the ledger is an explicit step
(``flaglint lock``) that refuses a new name for a bit unless the rename is
declared (``--rename OLD=NEW``), so a reuse always shows up in review.

Since version 2 the ledger also keeps a snapshot of the build it was
written from (section ``build``: every bit's names with where they are read
and set, every key's reads with their in-code defaults, and what the flag
sources define), so ``flaglint drift`` can compare builds from their
artifacts alone. A version 1 ledger still serves ``check``; ``drift``
refuses it, since it cannot tell what that build reads or sets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

from ..atomic import write_atomic
from ..graph.bits import BitTable
from ..sources.reading import read_source_text
from . import fields, snapshot
from .compare import moved_families

LEDGER_NAME = "flaglint.lock"
VERSION = 2
#: versions this flaglint reads (1: no build snapshot)
READABLE = (1, 2)


class LedgerError(Exception):
    """An unreadable ledger, or a lock that would hide a reuse."""


@dataclass
class Ledger:
    #: (family key, bit) -> name -> {"first_seen": commit, "retired": bool}
    entries: Dict[Tuple[str, int], Dict[str, dict]] = field(default_factory=dict)
    #: (family key, bit, old name, new name)
    renames: Set[Tuple[str, int, str, str]] = field(default_factory=set)
    #: the build the ledger was last written from (None: a version 1 ledger)
    build: Optional[snapshot.BuildSummary] = None

    def reference(self) -> BitTable:
        """Every name each bit has had, live or retired."""
        return {key: set(names) for key, names in self.entries.items()}

    def declared(self, key: Tuple[str, int], old: str, new: str) -> bool:
        return (key[0], key[1], old, new) in self.renames


def find_ledger(start: Path) -> Optional[Path]:
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / LEDGER_NAME
        if candidate.is_file():
            return candidate
        if (directory / ".git").exists():
            return None
    return None


def load(path: Path, label: str = LEDGER_NAME, shown: Optional[str] = None) -> Ledger:
    """The ledger at ``path`` (named ``shown`` in errors); its build
    snapshot, if any, is labelled ``label``."""
    where = shown or path
    try:
        data = json.loads(read_source_text(Path(path), "ledger"))
    except RecursionError:  # json recurses once per level: ``[[[[...`` must not crash flaglint
        raise LedgerError(f"{where}: cannot read ledger: nested too deeply") from None
    except (OSError, ValueError) as error:  # ValueError: JSONDecodeError, undecodable, NUL in a name
        raise LedgerError(f"{where}: cannot read ledger: {error}") from None
    if not isinstance(data, dict) or data.get("tool", "flaglint") != "flaglint" or "families" not in data:
        raise LedgerError(f"{where}: not a flaglint ledger")
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE:  # ``true == 1``: not a version
        raise LedgerError(
            f"{where}: ledger version {data.get('version')!r} is not one this flaglint reads "
            f"(versions {', '.join(map(str, READABLE))}): upgrade flaglint"
        )
    try:
        return _parse(data, label)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise LedgerError(f"{where}: malformed ledger: {error}") from None


def load_build(path: Path, label: str) -> snapshot.BuildSummary:
    """The build snapshot of the ledger at ``path``, for ``drift``.

    A version 1 ledger has none: it records names, not who reads or sets
    them, and guessing would hide the very conflict drift looks for."""
    ledger = load(path, label, label)
    if ledger.build is None:
        raise LedgerError(
            f"{label}: a version 1 ledger records no build snapshot (what the build reads and sets): "
            f"run `flaglint lock` on that build with this flaglint to rewrite it"
        )
    return ledger.build


def _parse(data: dict, label: str) -> Ledger:
    """Every field checked for its type (:mod:`.fields`): a ValueError names the one that is wrong."""
    ledger = Ledger()
    for family, bits in fields.table(data["families"], "families").items():
        for bit, names in fields.table(bits, f"families.{family}").items():
            where = f"families.{family}.{bit}"
            entries = {}
            for item in fields.array(names, where):
                item = fields.table(item, f"{where}[]")
                entries[fields.text(item["name"], f"{where}[].name")] = {
                    "first_seen": fields.text(item.get("first_seen", ""), f"{where}[].first_seen"),
                    "retired": fields.flag(item.get("retired", False), f"{where}[].retired"),
                }
            ledger.entries[(family, fields.bit(bit, f"{where} (a bit)"))] = entries
    for item in fields.array(data.get("renames", []), "renames"):
        item = fields.table(item, "renames[]")
        ledger.renames.add(
            (
                fields.text(item["family"], "renames[].family"),
                fields.bit(item["bit"], "renames[].bit"),
                fields.text(item["from"], "renames[].from"),
                fields.text(item["to"], "renames[].to"),
            )
        )
    if data["version"] >= 2:
        if "build" not in data:
            raise ValueError(f'a version {data["version"]} ledger without its "build" section')
        ledger.build = snapshot.from_json(data["build"], label, frozenset(ledger.renames))
    return ledger


def update(ledger: Ledger, current: BitTable, commit: str, renames: List[Tuple[str, str]]) -> List[str]:
    """Merge today's table into the ledger; return the refusals (reuses not declared)."""
    refusals = []
    moved = moved_families({family for family, _ in current}, {family for family, _ in ledger.entries})
    for key, names in sorted(current.items()):
        if key not in ledger.entries and key[0] in moved:  # a moved class keeps its history
            history = ledger.entries.get((moved[key[0]], key[1]), {})
            ledger.entries[key] = {name: dict(entry) for name, entry in history.items()}
        known = ledger.entries.setdefault(key, {})
        for name in sorted(names - set(known)):
            olds = sorted(set(known) - names) or sorted(set(known))
            declared = [old for old in olds if (old, name) in renames]
            if known and not declared:
                refusals.append(_refusal(key, name, olds, known))
                continue
            for old in declared:
                ledger.renames.add((key[0], key[1], old, name))
            known[name] = {"first_seen": commit, "retired": False}
        for name, entry in known.items():
            entry["retired"] = name not in names
    return refusals


def _refusal(key, name: str, olds: List[str], known: Dict[str, dict]) -> str:
    history = ", ".join(f"{old} (first seen {known[old]['first_seen'] or 'unknown'})" for old in olds)
    return (
        f"{key[0]} bit {key[1]:#x}: refusing to record {name}: the bit already meant {history}. "
        f"If this really is a rename, run flaglint lock --rename {olds[0]}={name}"
    )


def dump(ledger: Ledger) -> str:
    families: Dict[str, Dict[str, list]] = {}
    for (family, bit), names in sorted(ledger.entries.items()):
        families.setdefault(family, {})[f"{bit:#x}"] = [
            {"name": name, "first_seen": entry["first_seen"], "retired": entry["retired"]}
            for name, entry in sorted(names.items())
        ]
    renames = [
        {"family": family, "bit": f"{bit:#x}", "from": old, "to": new}
        for family, bit, old, new in sorted(ledger.renames)
    ]
    document = {"version": VERSION, "tool": "flaglint", "families": families, "renames": renames}
    document["build"] = snapshot.to_json(ledger.build or snapshot.BuildSummary(LEDGER_NAME))
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write(path: Path, ledger: Ledger) -> None:
    try:  # never through a symlink out of the ledger's own directory
        write_atomic(path, dump(ledger).encode("utf-8"), within=Path(path).parent)
    except OSError as error:
        raise LedgerError(f"{path}: cannot write: {error.strerror or error}") from error

"""Shards: the facts of part of a project, written on one machine and merged
on another before the graph stage (``flaglint extract`` / ``check --facts``).

Extraction is per-file and pure, so a CI matrix can split a monorepo: each
runner extracts its slice into a shard, and one final run merges the shards
and builds the graph once, with exactly the findings of a single run.

A shard is plain JSON, never pickle, so a shard from another machine cannot
run code when it is read::

    {"flaglint_facts": 2, "flaglint_version": "0.1.0", "facts_schema": "facts-1",
     "files": [<FileFacts>, ...], "skipped": [<Skipped>, ...], "slice": [2, 3]}

``slice`` is there only in a shard written with ``flaglint extract --shard
K/N``: the files of the project whose path hashes to slice K of N (see
:class:`Slice`). Every job of a matrix discovers the whole project and keeps
its slice, so no one has to split a monorepo by hand, every file lands in
exactly one slice, and a file's module name is the one a single run gives it.
Merging slices checks that all N are there: a missing slice would silently
turn its files' setters into FL001s elsewhere.

Paths in a shard are the display paths of the run that wrote it: relative to
the working directory ``flaglint extract`` ran in. The run that reads it must
work in the same directory of the same checkout (the repository root, say),
or the paths name nothing.

The JSON form of a fact is derived from facts.py's type hints by a generic
codec (:func:`encode` / :func:`decode`): a dataclass is an object of its
fields (fields equal to their default are left out), a tuple a list, and
``bool``/``int``/``str``/``None`` themselves. Adding a field to facts.py needs
no change here; a field of a type the codec does not know fails loudly, on
the first shard written, rather than writing something unreadable. Anything
unexpected in a shard (an unknown field, a wrong type, another version) is a
:class:`ShardError` naming the file and where in it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple, Union

from . import __version__
from .atomic import write_atomic
from .cache import SCHEMA as FACTS_SCHEMA
from .discover import Skipped
from .facts import FileFacts

#: The layout of a shard file; bump it when the envelope changes.
FORMAT = 2


class ShardError(Exception):
    """A shard that cannot be used: unreadable, corrupt, from another version,
    or naming a file another shard also names (exit code 2)."""


@dataclass(frozen=True)
class Slice:
    """Slice ``index`` (1-based) of ``count``: which files one job of a CI
    matrix extracts (``flaglint extract --shard 2/3``).

    A file belongs to the slice its display path (POSIX, relative to the
    working directory) hashes to. sha256, not ``hash()``: the assignment must
    be the same on every machine, Python and run, or two jobs would both take
    a file, or neither. By path, not by size: no job has to read another's
    files to agree, and a file keeps its slice while it is edited."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count}: K must be between 1 and N")

    def holds(self, display: str) -> bool:
        """Whether the file (or skipped path) named ``display`` is in this slice."""
        digest = hashlib.sha256(display.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


#: The most slices a project can be cut into (a GitHub matrix allows 256 jobs).
MAX_SLICES = 1024

_SLICE = re.compile(r"([0-9]{1,6})/([0-9]{1,6})")


def parse_slice(text: str) -> Slice:
    """``"K/N"`` as a :class:`Slice`; ValueError with a message for a person."""
    match = _SLICE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not K/N (for example 2/3: the second of three shards)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or count > MAX_SLICES:
        raise ValueError(f"{text!r}: N must be between 1 and {MAX_SLICES}")
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: K must be between 1 and N ({count})")
    return Slice(index, count)


@dataclass(frozen=True)
class Shard:
    """The facts of some files, and what discovery skipped around them."""

    facts: Tuple[FileFacts, ...] = ()
    skipped: Tuple[Skipped, ...] = ()
    #: where the shard came from, for messages ("shard a.json")
    origin: str = "the paths given"
    #: the slice of the project it holds (``extract --shard``), or None: chosen paths
    slice: Optional[Slice] = None


# --------------------------------------------------------------------------- files


def dumps(shard: Shard) -> str:
    """The shard as a JSON document (ASCII, one line, a newline at the end)."""
    document = {
        "flaglint_facts": FORMAT,
        "flaglint_version": __version__,
        "facts_schema": FACTS_SCHEMA,
        "files": [encode(FileFacts, facts) for facts in shard.facts],
        "skipped": [encode(Skipped, item) for item in shard.skipped],
    }
    if shard.slice is not None:
        document["slice"] = [shard.slice.index, shard.slice.count]
    return json.dumps(document, separators=(",", ":")) + "\n"


def write(path: Union[str, Path], shard: Shard) -> None:
    """Write the shard to ``path`` atomically; ShardError if it cannot."""
    try:
        write_atomic(path, dumps(shard).encode("ascii"))
    except OSError as error:
        raise ShardError(f"cannot write {path}: {error.strerror or error}") from None


def loads(text: Union[str, bytes], origin: str) -> Shard:
    """The shard in ``text``; ShardError (naming ``origin``) if it is not one."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8, huge ints
        raise ShardError(f"{origin}: not valid JSON: {error}") from None
    if not isinstance(document, dict) or "flaglint_facts" not in document:
        raise ShardError(f'{origin}: not a flaglint facts file (no "flaglint_facts" key)')
    _check_versions(document, origin)
    keys = {"flaglint_facts", "flaglint_version", "facts_schema", "files", "skipped"}
    wrong = sorted((set(document) ^ keys) - {"slice"})
    if wrong:
        problem = "unknown" if wrong[0] in document else "missing"
        raise ShardError(f"{origin}: corrupt: {problem} key {wrong[0]!r}")
    try:
        facts = _at("files", _codec(Tuple[FileFacts, ...])[1], document["files"])
        skipped = _at("skipped", _codec(Tuple[Skipped, ...])[1], document["skipped"])
        part = _at("slice", _decode_slice, document["slice"]) if "slice" in document else None
    except _Invalid as error:
        raise ShardError(f"{origin}: corrupt: {error.where()}: {error.message}") from None
    return Shard(facts, skipped, origin, part)


def _decode_slice(data: Any) -> Slice:
    index, count = _codec(Tuple[int, int])[1](data)
    if not 1 <= index <= count <= MAX_SLICES:
        raise _Invalid(f"not a slice K/N with 1 <= K <= N <= {MAX_SLICES}: {index}/{count}")
    return Slice(index, count)


def load(path: Union[str, Path]) -> Shard:
    """Read the shard file at ``path``; ShardError if it cannot be used."""
    origin = f"shard {path}"
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ShardError(f"{origin}: file not found") from None
    except OSError as error:
        raise ShardError(f"{origin}: cannot read: {error.strerror or error}") from None
    return loads(data, origin)


def _check_versions(document: dict, origin: str) -> None:
    found = document["flaglint_facts"]
    if found != FORMAT or isinstance(found, bool):
        raise ShardError(
            f"{origin}: facts format {_describe(found)} is not supported (this flaglint reads format {FORMAT})"
        )
    made_by = document.get("flaglint_version")
    schema = document.get("facts_schema")
    if made_by != __version__ or schema != FACTS_SCHEMA:
        raise ShardError(
            f"{origin}: written by flaglint {made_by} (facts {schema}), this is flaglint {__version__} "
            f"(facts {FACTS_SCHEMA}): extract every shard with the same flaglint"
        )


def merge(shards: Iterable[Shard]) -> Shard:
    """One shard of all of them, facts sorted by path as one run's are.

    A file in two shards (or twice in one) is a ShardError: the slices must
    not overlap, or one of the two copies would silently win. So are slices
    (``extract --shard K/N``) that do not make up all N of one whole."""
    shards = list(shards)
    check_slices(shards)
    seen: Dict[str, Tuple[int, str]] = {}
    facts: List[FileFacts] = []
    skipped: Set[Skipped] = set()
    for index, shard in enumerate(shards):
        for item in shard.facts:
            if item.path in seen:
                first, origin = seen[item.path]
                where = f"twice in {origin}" if first == index else f"in {origin} and in {shard.origin}"
                raise ShardError(f"{item.path} is {where}: shards must not overlap")
            seen[item.path] = (index, shard.origin)
            facts.append(item)
        skipped.update(shard.skipped)
    facts.sort(key=lambda item: item.path)
    return Shard(
        tuple(facts), tuple(sorted(skipped, key=lambda item: (item.display, item.reason))), "the merged shards"
    )


def check_slices(shards: List[Shard]) -> None:
    """ShardError unless the sliced shards among ``shards`` are every slice
    1..N of one N, each once. (Shards of chosen paths are not checked: only
    their overlap is, by :func:`merge`.)"""
    sliced = [shard for shard in shards if shard.slice is not None]
    if not sliced:
        return
    counts = sorted({shard.slice.count for shard in sliced if shard.slice is not None})
    if len(counts) > 1:
        raise ShardError(f"shards cut {' and '.join(f'{n} ways' for n in counts)} cannot be merged: use one N")
    count = counts[0]
    given: Dict[int, str] = {}
    for shard in sliced:
        assert shard.slice is not None
        if shard.slice.index in given:
            raise ShardError(f"{given[shard.slice.index]} and {shard.origin} are both shard {shard.slice}")
        given[shard.slice.index] = shard.origin
    missing = [str(Slice(index, count)) for index in range(1, count + 1) if index not in given]
    if missing:
        raise ShardError(
            f"shard {', '.join(missing)} missing: merge all {count} shards, or the files of the missing "
            "ones would be judged absent"
        )


# --------------------------------------------------------------------------- codec


class _Invalid(Exception):
    """A value that does not fit its type hint; ``path`` says where, innermost last."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: List[str] = []

    def where(self) -> str:
        return "".join(reversed(self.path)).lstrip(".") or "the top level"


def encode(hint: Any, value: Any) -> Any:
    """``value`` (of type ``hint``) as JSON-ready data; TypeError if it does not fit."""
    try:
        return _codec(hint)[0](value)
    except _Invalid as error:
        raise TypeError(f"cannot encode {error.where()}: {error.message}") from None


def decode(hint: Any, data: Any) -> Any:
    """The value of type ``hint`` that :func:`encode` turned into ``data``;
    ValueError (saying where) if ``data`` does not fit."""
    try:
        return _codec(hint)[1](data)
    except _Invalid as error:
        raise ValueError(f"cannot decode {error.where()}: {error.message}") from None


_Codec = Tuple[Callable[[Any], Any], Callable[[Any], Any]]


@lru_cache(maxsize=None)
def _codec(hint: Any) -> _Codec:
    """(encode, decode) for one type hint, built once per hint."""
    if hint is type(None):
        return _scalar(lambda value: value is None, "null")
    if hint in (bool, int, str):
        return _scalar(_is_exactly(hint), hint.__name__)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass_codec(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        return _union_codec(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence_codec(args[0])
    if origin is tuple and args:
        return _fixed_tuple_codec(args)
    raise TypeError(f"shards cannot encode type {hint!r}: teach flaglint/shards.py's codec about it")


def _is_exactly(kind: type) -> Callable[[Any], bool]:
    # bool is an int in Python, but 1 and True are different facts
    return lambda value: type(value) is kind


def _scalar(accepts: Callable[[Any], bool], name: str) -> _Codec:
    def check(value: Any) -> Any:
        if not accepts(value):
            raise _Invalid(f"expected {name}, found {_describe(value)}")
        return value

    return check, check


def _union_codec(members: Tuple[Any, ...]) -> _Codec:
    """Members are tried in order; the first that takes the value wins."""
    codecs = [_codec(member) for member in members]
    names = " or ".join(_name(member) for member in members)

    def first(value: Any, side: int) -> Any:
        for codec in codecs:
            try:
                return codec[side](value)
            except _Invalid:
                continue
        raise _Invalid(f"expected {names}, found {_describe(value)}")

    return (lambda value: first(value, 0)), (lambda data: first(data, 1))


def _sequence_codec(item: Any) -> _Codec:
    encode_item, decode_item = _codec(item)

    def encode_all(value: Any) -> list:
        if not isinstance(value, tuple):
            raise _Invalid(f"expected a tuple, found {_describe(value)}")
        return _each([encode_item] * len(value), value)

    def decode_all(data: Any) -> tuple:
        if not isinstance(data, list):
            raise _Invalid(f"expected a list, found {_describe(data)}")
        return tuple(_each([decode_item] * len(data), data))

    return encode_all, decode_all


def _fixed_tuple_codec(items: Tuple[Any, ...]) -> _Codec:
    codecs = [_codec(item) for item in items]
    encoders, decoders = [codec[0] for codec in codecs], [codec[1] for codec in codecs]

    def encode_all(value: Any) -> list:
        if not isinstance(value, tuple) or len(value) != len(codecs):
            raise _Invalid(f"expected a tuple of {len(codecs)}, found {_describe(value)}")
        return _each(encoders, value)

    def decode_all(data: Any) -> tuple:
        if not isinstance(data, list) or len(data) != len(codecs):
            raise _Invalid(f"expected a list of {len(codecs)}, found {_describe(data)}")
        return tuple(_each(decoders, data))

    return encode_all, decode_all


def _each(converters: List[Callable[[Any], Any]], items: Any) -> list:
    """Each item through its converter; a failure names the item's index.
    (The location is built only on failure: shards hold millions of values.)"""
    out: list = []
    try:
        for convert, element in zip(converters, items):
            out.append(convert(element))
    except _Invalid as error:
        error.path.append(f"[{len(out)}]")
        raise
    return out


def _dataclass_codec(cls: type) -> _Codec:
    hints = typing.get_type_hints(cls)  # resolves facts.py's string annotations
    fields = [(field.name, _codec(hints[field.name]), _default(field)) for field in dataclasses.fields(cls)]
    known = frozenset(name for name, _, _ in fields)
    required = frozenset(name for name, _, default in fields if default is _REQUIRED)

    def encode_one(value: Any) -> dict:
        if type(value) is not cls:
            raise _Invalid(f"expected {cls.__name__}, found {_describe(value)}")
        out = {}
        name = ""
        try:
            for name, (encode_field, _), default in fields:
                field_value = getattr(value, name)
                if default is _REQUIRED or type(field_value) is not type(default) or field_value != default:
                    out[name] = encode_field(field_value)
        except _Invalid as error:
            error.path.append(f".{name}")
            raise
        return out

    def decode_one(data: Any) -> Any:
        if not isinstance(data, dict):
            raise _Invalid(f"expected a {cls.__name__} object, found {_describe(data)}")
        if not known.issuperset(data):
            raise _Invalid(f"unknown {cls.__name__} field {sorted(set(data) - known)[0]!r}")
        if not required.issubset(data):
            raise _Invalid(f"{cls.__name__} field {sorted(required - set(data))[0]!r} is missing")
        values = {}
        name = ""
        try:
            for name, (_, decode_field), _ in fields:
                if name in data:
                    values[name] = decode_field(data[name])
        except _Invalid as error:
            error.path.append(f".{name}")
            raise
        return cls(**values)

    return encode_one, decode_one


_REQUIRED = object()


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return _REQUIRED


def _at(step: str, convert: Callable[[Any], Any], value: Any) -> Any:
    """``convert(value)``, adding ``step`` to the location of any failure."""
    try:
        return convert(value)
    except _Invalid as error:
        error.path.append(step)
        raise


def _name(hint: Any) -> str:
    return "null" if hint is type(None) else getattr(hint, "__name__", str(hint))


def _describe(value: Any) -> str:
    text = json.dumps(value) if isinstance(value, (bool, int, str, type(None))) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."

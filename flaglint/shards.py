"""Shards: the facts of part of a project, written on one machine and merged
on another before the graph stage (``flaglint extract`` / ``check --facts``).

Extraction is per-file and pure, so a CI matrix can split a monorepo: each
runner extracts its slice into a shard, and one final run merges the shards
and builds the graph once, with exactly the findings of a single run.

A shard is plain JSON, never pickle, so a shard from another machine cannot
run code when it is read::

    {"flaglint_facts": 1, "flaglint_version": "0.1.0", "facts_schema": "facts-1",
     "files": [<FileFacts>, ...], "skipped": [<Skipped>, ...]}

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
import json
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Set, Tuple, Union

from . import __version__
from .atomic import write_atomic
from .cache import SCHEMA as FACTS_SCHEMA
from .discover import Skipped
from .facts import FileFacts

#: The layout of a shard file; bump it when the envelope changes.
FORMAT = 1


class ShardError(Exception):
    """A shard that cannot be used: unreadable, corrupt, from another version,
    or naming a file another shard also names (exit code 2)."""


@dataclass(frozen=True)
class Shard:
    """The facts of some files, and what discovery skipped around them."""

    facts: Tuple[FileFacts, ...] = ()
    skipped: Tuple[Skipped, ...] = ()
    #: where the shard came from, for messages ("shard a.json")
    origin: str = "the paths given"


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
    wrong = sorted(set(document) ^ keys)
    if wrong:
        problem = "unknown" if wrong[0] in document else "missing"
        raise ShardError(f"{origin}: corrupt: {problem} key {wrong[0]!r}")
    try:
        facts = _at("files", _codec(Tuple[FileFacts, ...])[1], document["files"])
        skipped = _at("skipped", _codec(Tuple[Skipped, ...])[1], document["skipped"])
    except _Invalid as error:
        raise ShardError(f"{origin}: corrupt: {error.where()}: {error.message}") from None
    return Shard(facts, skipped, origin)


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
    not overlap, or one of the two copies would silently win."""
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

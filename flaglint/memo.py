"""The findings of the last analyses, kept beside the facts cache, so that a
run over a project nothing changed in skips the graph and the rules.

Why this is exact: the rules' findings are a function of the graph and the
analysis, which are a function of the facts of every file, the flag sources
as loaded, the text files searched for flag keys, the parts of the
configuration the graph reads, and flaglint's own code. The key
(:func:`project_key`) digests all of them: each file's facts through the
facts cache's content key (computed from the very bytes that were
extracted or looked up, see :func:`flaglint.parallel.extract_all`), the
sources and the configuration in a canonical form (sets sorted, so that
hash randomisation does not change it), the texts by content, and every
source file of the flaglint package. Anything the key cannot capture turns
the memo off for that run rather than risk a stale answer: a file that could
not be read or whose extraction crashed (not cached, so not keyed), shards
merged with ``--facts``, or a reference (``--against`` or a ledger).

What is stored is the rules' raw findings, before selection and
suppression: ``--select``, ``--ignore`` and suppression comments are applied
afresh on every run (they are cheap), so they need not be in the key. The
suppression comments of the files the findings are in are stored beside
them (they are part of those files' facts, which the key covers), so a run
the memo answers needs no fact at all: the keys come from the facts cache's
stat records (:func:`flaglint.parallel.known_keys`), and nothing is
unpickled.

Storage: one file, ``<cache dir>/analysis``, holding the last
:data:`KEEP` keys and their findings as JSON, authenticated with
:func:`flaglint.seal.seal`; a damaged, forged, unreadable or unknown entry
is a miss, never an error. It is replaced with :func:`os.replace` (a symlink
there is replaced, not written through).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import flaglint

from .facts import Span
from .findings import Finding, Location
from .seal import read_sealed, write_sealed

#: how many projects' findings one cache directory remembers (``check .``
#: and ``check sub/`` analyse different files, so they have different keys)
KEEP = 4

#: the name of the memo file inside the cache directory
NAME = "analysis"

#: the memo is not read past this size
MAX_BYTES = 64 << 20

_FORMAT = "flaglint-analysis-2"

#: the configuration the graph reads (``api.build_graph``; a test keeps the
#: two in step): selection and suppression are applied after the memo
CONFIG_FIELDS = ("external_flags", "flag_apis", "sources_complete", "flag_classes")


class Unkeyable(Exception):
    """Something the analysis depends on has no canonical form."""


def project_key(
    file_keys: Mapping[str, str],
    files: Iterable[Tuple[str, Tuple[str, ...]]],
    sources: Any,
    config: Any,
    texts: Sequence[Tuple[str, Optional[bytes]]],
) -> Optional[str]:
    """The digest of everything the rules' findings depend on, or None.

    ``file_keys`` maps each file's display path to its facts-cache key;
    ``files`` lists every analysed file as (display path, module aliases),
    in order; ``texts`` the searched text files as (display path, bytes or
    None if unreadable). None when a file has no key (see the module
    docstring) or something has no canonical form."""
    digest = hashlib.sha256()
    digest.update(f"{_FORMAT}\0{code_digest()}\0".encode())
    try:
        for display, aliases in files:
            key = file_keys.get(display)
            if key is None:
                return None
            digest.update(_text(("file", display, key, aliases)))
        for display, data in texts:
            text_digest = "unreadable" if data is None else hashlib.sha256(data).hexdigest()
            digest.update(_text(("text", display, text_digest)))
        digest.update(_text(("sources", sources)))
        graph_config = tuple((name, getattr(config, name)) for name in CONFIG_FIELDS)
        digest.update(_text(("config", graph_config)))
    except Unkeyable:
        return None
    return digest.hexdigest()


def _text(value: Any) -> bytes:
    return (repr(_canonical(value)) + "\n").encode("utf-8", "surrogatepass")


def _canonical(value: Any) -> Any:
    """``value`` as nested tuples of plain values, the same in every process."""
    if value is None or type(value) in (bool, int, float, str, bytes):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((field.name, _canonical(getattr(value, field.name))) for field in dataclasses.fields(value))
        return (type(value).__module__, type(value).__qualname__, fields)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_canonical(item) for item in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_canonical(item) for item in value), key=repr)))
    if isinstance(value, dict):
        items = ((_canonical(key), _canonical(item)) for key, item in value.items())
        return ("dict", tuple(sorted(items, key=repr)))
    if isinstance(value, os.PathLike):
        return ("path", os.fspath(value))
    if isinstance(value, str):  # a str subclass (an enum's value)
        return (type(value).__qualname__, str(value))
    raise Unkeyable(type(value).__qualname__)


@lru_cache(maxsize=None)
def code_digest() -> str:
    """A digest of every source file of the flaglint package, its version and
    the Python version: findings made by other code are never reused."""
    package = Path(flaglint.__file__).parent
    digest = hashlib.sha256(f"{flaglint.__version__}\0{sys.version}\0".encode())
    for source in sorted(package.rglob("*.py")):
        try:
            data = source.read_bytes()
        except OSError:
            data = b"\0missing\0"
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


class AnalysisMemo:
    """The memo file of one cache directory."""

    def __init__(self, directory: "os.PathLike[str] | str") -> None:
        self.path = Path(directory) / NAME

    def lookup(self, key: str) -> Optional[Tuple[List[Finding], Dict[str, Dict[int, Tuple[str, ...]]]]]:
        """The findings stored under ``key`` and the suppression comments of
        their files (path -> line -> codes), or None."""
        entries = self._entries()
        found = entries.get(key)
        if not isinstance(found, list) or len(found) != 2:
            return None
        try:
            return [_finding(item) for item in found[0]], _suppressions(found[1])
        except (TypeError, ValueError, KeyError):
            return None

    def store(
        self, key: str, findings: Sequence[Finding], suppressed: Mapping[str, Mapping[int, Sequence[str]]]
    ) -> None:
        """Remember ``findings`` and the suppression comments of their files
        under ``key`` (and the last few others); silently does nothing if
        the directory cannot be written."""
        if not self.path.parent.is_dir():
            return
        entries = {name: value for name, value in self._entries().items() if name != key}
        kept = list(entries.items())[-(KEEP - 1) :] if KEEP > 1 else []
        comments = [
            [path, [[line, list(codes)] for line, codes in lines.items()]] for path, lines in suppressed.items()
        ]
        document = {"format": _FORMAT, "entries": dict([*kept, (key, [[_plain(f) for f in findings], comments])])}
        write_sealed(self.path, json.dumps(document, separators=(",", ":")).encode("utf-8", "surrogatepass"))

    def _entries(self) -> Dict[str, list]:
        found = read_sealed(self.path, MAX_BYTES)
        if found is None:
            return {}
        data = found[0]
        try:
            document = json.loads(data.decode("utf-8", "surrogatepass"))
        except ValueError:
            return {}
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return {}
        entries = document.get("entries")
        return entries if isinstance(entries, dict) else {}


def _plain(finding: Finding) -> list:
    related = [[location.path, _span(location.span), location.note] for location in finding.related]
    return [
        finding.code,
        finding.name,
        finding.message,
        finding.path,
        _span(finding.span),
        finding.flag,
        related,
        finding.context,
        finding.fingerprint,
    ]


def _span(span: Span) -> list:
    return [span.line, span.column, span.end_line, span.end_column]


def _finding(item: list) -> Finding:
    code, name, message, path, span, flag, related, context, fingerprint = item
    locations = tuple(Location(_str(where), _to_span(place), _str(note)) for where, place, note in related)
    return Finding(
        _str(code),
        _str(name),
        _str(message),
        _str(path),
        _to_span(span),
        None if flag is None else _str(flag),
        locations,
        _str(context),
        _str(fingerprint),
    )


def _suppressions(items: object) -> Dict[str, Dict[int, Tuple[str, ...]]]:
    if not isinstance(items, list):
        raise TypeError("not a list")
    found: Dict[str, Dict[int, Tuple[str, ...]]] = {}
    for path, lines in items:
        if not isinstance(lines, list):
            raise TypeError("not a list")
        found[_str(path)] = {_int(line): tuple(_str(code) for code in codes) for line, codes in lines}
    return found


def _int(value: object) -> int:
    if type(value) is not int:
        raise TypeError("not an int")
    return value


def _str(value: object) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _to_span(value: object) -> Span:
    if not isinstance(value, list) or len(value) != 4 or any(type(item) is not int for item in value):
        raise TypeError("not a span")
    return Span(*value)

"""Flag keys mentioned outside Python: front-end code, bundles, templates.

Most flags of a web application are read by its front end, which flaglint
does not parse. A whole-token mention of a flag-source key in one of the
tree's non-Python text files is taken as a read by other code, as
LaunchDarkly's code references do: FL005 stays silent for that key and the
audit lists where it is mentioned. A mention is never a read for FL001:
nothing here says whether the flag is on.

Files: JavaScript and TypeScript (``.js .jsx .ts .tsx .mjs .cjs``), the
source maps of bundles (``.js.map .mjs.map``: they hold the original source), Vue and
Svelte components, HTML, Jinja (``.j2 .jinja .jinja2``) and text files under
a ``templates/`` or ``jinja2/`` directory (Django templates). They are found
by discovery, so ``exclude``, ``include`` and ``.gitignore`` apply, and so do
the default excludes, except ``dist/`` and ``build/`` (bundles live there);
``node_modules/`` is never walked. A file over :data:`MAX_BYTES` or holding a
NUL byte (binary) is not read.

Whole token: the key is bounded on both sides by a character that cannot
continue an identifier or a hyphenated name (anything but a letter, digit,
``_``, ``$`` or ``-``). So ``"fflag_x"``, ``flags.fflag_x`` and
``{% flag_enabled 'fflag_x' %}`` mention ``fflag_x``; ``fflag_x_y``,
``my-fflag_x`` and ``$fflag_x`` do not.

One pass per file: a key made only of identifier characters is found by
splitting the text into tokens once and intersecting with the key set; the
rare key holding other characters (``.``, ``:``, ``/``) is looked for as a
substring first. Only keys found are then located line by line. With a
facts cache, a file's mentions are cached by its content and the key set,
so a warm run only reads and hashes these files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..facts import FileFacts

#: Files larger than this (5 MiB) are not read: a mention in them is not counted.
MAX_BYTES = 5 * 1024 * 1024

SCRIPT_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".vue", ".svelte")
#: a bundle's source map holds the original source it was built from
#: (``sourcesContent``), so it mentions what the bundle reads; a stylesheet's does not
SOURCE_MAP_SUFFIXES = (".js.map", ".mjs.map")
MARKUP_SUFFIXES = (".html", ".htm", ".j2", ".jinja", ".jinja2")
#: read only under a template directory (Django templates: ``.txt`` e-mails)
TEMPLATE_SUFFIXES = (".txt",)
TEMPLATE_DIRS = frozenset({"templates", "jinja2"})

#: characters that continue a token: a key must not touch one on either side
_TOKEN = r"[\w$-]"
_TOKENS = re.compile(_TOKEN + "+")
_SIMPLE_KEY = re.compile(_TOKEN + "+")

#: key -> [(display path, line)], sorted
References = Dict[str, List[Tuple[str, int]]]


#: the shortest name of a namespaced key looked for on its own
MIN_NAME = 6


def namespaced_name(key: str) -> Optional[str]:
    """``organizations:profiling-beta`` -> ``profiling-beta``: the name of a
    key namespaced with ``:``, which a front end often reads without the
    namespace (``organization.features.includes('profiling-beta')``). Only a
    compound name (``-`` or ``_`` in it, at least :data:`MIN_NAME`
    characters), so a short common word is never taken for a mention."""
    if ":" not in key:
        return None
    name = key.rsplit(":", 1)[1]
    if len(name) < MIN_NAME or not any(char in name for char in "-_") or not _SIMPLE_KEY.fullmatch(name):
        return None
    return name


def with_names(keys: Iterable[str]) -> List[str]:
    """``keys`` and the names of the namespaced ones (:func:`namespaced_name`):
    what :func:`find_references` looks for."""
    keys = list(keys)
    names = {namespaced_name(key) for key in keys} - {None}
    return sorted(set(keys) | {name for name in names if name is not None})


def is_reference_file(name: str, directory: str) -> bool:
    """Whether a file named ``name`` in ``directory`` is searched for keys."""
    lowered = name.lower()
    if lowered.endswith(SCRIPT_SUFFIXES + SOURCE_MAP_SUFFIXES + MARKUP_SUFFIXES):
        return True
    return lowered.endswith(TEMPLATE_SUFFIXES) and not TEMPLATE_DIRS.isdisjoint(PurePath(directory).parts)


class KeySet:
    """The keys to look for, split by how they are found."""

    def __init__(self, keys: Iterable[str]) -> None:
        keys = {key for key in keys if key}
        self.simple = frozenset(key for key in keys if _SIMPLE_KEY.fullmatch(key))
        self.other = tuple(sorted(keys - self.simple))
        #: names the key set in cache keys: other keys, other mentions
        self.digest = hashlib.sha256("\0".join(sorted(keys)).encode("utf-8", "surrogatepass")).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.simple or self.other)

    def mentions(self, text: str) -> Dict[str, List[int]]:
        """key -> lines (1-based) where it is mentioned as a whole token."""
        found = set(self.simple.intersection(_TOKENS.findall(text))) if self.simple else set()
        found.update(key for key in self.other if key in text)
        lines: Dict[str, List[int]] = {}
        for key in sorted(found):
            starts = list(_whole_token_starts(text, key))
            if starts:
                lines[key] = _line_numbers(text, starts)
        return lines


def _continues_token(char: str) -> bool:
    """Whether ``char`` could continue a token (see ``_TOKEN``)."""
    return char.isalnum() or char in "_$-"


def _whole_token_starts(text: str, key: str):
    """Offsets where ``key`` stands as a whole token. ``str.find`` and two
    character tests: a regex with look-arounds scans much slower."""
    start, size = text.find(key), len(key)
    while start != -1:
        end = start + size
        if (start == 0 or not _continues_token(text[start - 1])) and (
            end == len(text) or not _continues_token(text[end])
        ):
            yield start
        start = text.find(key, start + 1)


def _line_numbers(text: str, starts: Sequence[int]) -> List[int]:
    """1-based line of each offset (ascending), counting newlines once."""
    lines, line, position = [], 1, 0
    for start in starts:
        line += text.count("\n", position, start)
        position = start
        lines.append(line)
    return lines


def read_bytes(path) -> Optional[bytes]:
    """The file's bytes, or None when it is too large, binary or unreadable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_BYTES or b"\0" in data:
        return None
    return data


def read_text(path) -> Optional[str]:
    """The file's text, or None when it is too large, binary or unreadable."""
    data = read_bytes(path)
    return None if data is None else data.decode("utf-8", errors="replace")


def find_references(files: Iterable[Tuple[object, str]], keys: Iterable[str], cache=None) -> References:
    """Where each of ``keys`` is mentioned in ``files`` ((path, display)
    pairs); ``cache`` (a :class:`~flaglint.cache.FactsCache`) keeps each
    file's mentions by content and key set."""
    wanted = KeySet(keys)
    found: References = {}
    if not wanted:
        return found
    for path, display in files:
        data = read_bytes(path)
        if data is None:
            continue
        for key, lines in _mentions(data, wanted, cache):
            found.setdefault(key, []).extend((display, line) for line in lines)
    if cache is not None:
        cache.save()
    return {key: sorted(places) for key, places in sorted(found.items())}


#: the cache key's "module": no real module name starts with a NUL byte
_CACHE_TAG = "\0references:"


def _mentions(data: bytes, wanted: KeySet, cache) -> Tuple[Tuple[str, Tuple[int, ...]], ...]:
    """One file's mentions, from the cache when it has them."""
    key = cache.key(data, _CACHE_TAG + wanted.digest, False) if cache is not None else None
    hit = cache.load(key) if key is not None else None
    if hit is not None:
        return hit.mentions
    text = data.decode("utf-8", errors="replace")
    mentions = tuple((name, tuple(lines)) for name, lines in wanted.mentions(text).items())
    if key is not None:
        cache.store(key, FileFacts("", "", mentions=mentions))
    return mentions

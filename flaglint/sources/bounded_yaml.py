"""Load YAML with alias expansion bounded: the one way flaglint reads YAML.

YAML aliases (``*name``) let a 500-byte file describe a structure of
billions of nodes ("billion laughs": nine levels, each a list of nine
aliases to the level below). PyYAML builds it as a small graph of shared
objects, but anything that walks or stringifies the result expands it:
``str()`` of one compose ``environment`` item ran for minutes and ended in
MemoryError. Merge keys (``<<: [*a, *a, ...]``) expand the same way while
PyYAML constructs the mappings.

So every document is composed into nodes first (a cost linear in the file),
measured, and only then constructed: the number of nodes it would have with
every alias expanded may exceed its own number of nodes by at most
:data:`ALIAS_BUDGET`. A plain document without aliases is never refused (the
file's size cap bounds it, see :mod:`.reading`); ordinary anchors
(``<<: *defaults`` in each service) stay far below the budget. A document
over the budget, or one whose alias names a node containing itself, raises
:class:`YAMLBudgetError`, which every loader reports as FL000 for the file.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

import yaml  # this module is imported only where YAML is read

#: how many nodes alias expansion may add to one document
ALIAS_BUDGET = 100_000

#: how deeply collections may nest in one document (libyaml's own limit, which
#: not every build of PyYAML's C parser enforces: the one for Python 3.9 here
#: composed 20,000 levels); constructing deeper nesting recurses past the stack
MAX_DEPTH = 1000


class YAMLBudgetError(yaml.YAMLError):
    """A document whose aliases expand too far, or into themselves. A
    ``yaml.YAMLError``, so that no loader can let it escape; loaders catch
    it first to report its own message rather than "invalid YAML"."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def load(text: str, loader_class=None):
    """The single document of ``text`` (like ``yaml.load``), bounded.
    ``loader_class`` defaults to the project's loader (:func:`yaml12_loader`)."""
    loader = _make(text, loader_class)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_all(loader) -> List:
    """Every document read by ``loader`` (an instance), bounded. The caller
    disposes of the loader."""
    documents = []
    while loader.check_node():
        node = loader.get_node()
        check_expansion(node)
        documents.append(loader.construct_document(node))
    return documents


def _make(text: str, loader_class):
    if loader_class is None:
        loader_class = yaml12_loader()
    return loader_class(text)


def yaml12_loader() -> type:
    """PyYAML's safe loader with YAML 1.2 booleans: only true/false are bools.

    YAML 1.1 reads ``on``, ``off``, ``yes`` and ``no`` as booleans, which
    would turn LaunchDarkly's ``on:`` key and flagd's ``on``/``off`` variant
    names into ``True``/``False``."""
    global _LOADER
    if _LOADER is None:

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        Loader.add_implicit_resolver(
            "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
        )
        _LOADER = Loader
    return _LOADER


_LOADER: Optional[type] = None


def load_with_lines(text: str) -> Tuple[list, Dict[Tuple[int, str], int]]:
    """Every document of ``text``, bounded, and the line of every mapping
    key: (id(mapping), key) -> line. The documents stay alive while the ids
    are used."""
    loader = _line_loader()(text)
    try:
        return load_all(loader), loader.key_lines
    finally:
        loader.dispose()


_LINE_LOADER: Optional[type] = None


def _line_loader() -> type:
    """:func:`yaml12_loader` on libyaml's parser when PyYAML has it (ten
    times faster than the pure Python one: manifests are the one source a
    tree may hold hundreds of), constructing mappings through a hook that
    notes where each key starts."""
    global _LINE_LOADER
    if _LINE_LOADER is not None:
        return _LINE_LOADER
    base: Any = yaml12_loader()
    with_libyaml = getattr(yaml, "__with_libyaml__", False)
    parser: Any = yaml.cyaml.CParser if with_libyaml else None  # type: ignore[attr-defined]

    class LineLoader(*((parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver) if parser else (base,))):  # type: ignore[misc]
        yaml_implicit_resolvers = base.yaml_implicit_resolvers

        def __init__(self, stream) -> None:
            if parser is None:
                base.__init__(self, stream)
            else:
                parser.__init__(self, stream)
                yaml.constructor.SafeConstructor.__init__(self)
                yaml.resolver.Resolver.__init__(self)
            self.key_lines: Dict[Tuple[int, str], int] = {}

        def construct_line_map(self, node):
            data: dict = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    self.key_lines.setdefault((id(data), key_node.value), key_node.start_mark.line + 1)
            yield data
            data.update(self.construct_mapping(node))

    LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_line_map)
    _LINE_LOADER = LineLoader
    return LineLoader


def check_expansion(root, budget: int = ALIAS_BUDGET) -> None:
    """Raise :class:`YAMLBudgetError` if ``root`` (a composed node) expanded
    has more than ``budget`` nodes beyond its own, or nests deeper than
    :data:`MAX_DEPTH`. Linear: each distinct node is measured once
    (iteratively, so depth costs no recursion)."""
    limit = budget + _distinct(root)
    sizes: Dict[int, int] = {}
    started = set()  # nodes on the current path: meeting one again is a cycle
    stack = [(root, False, 1)]
    while stack:
        node, finished, depth = stack.pop()
        key = id(node)
        if finished:
            started.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > limit:
                raise YAMLBudgetError(
                    f"YAML aliases expand this document by more than {budget} nodes: not read", _line(node)
                )
            continue
        if key in sizes:
            continue
        if key in started:
            raise YAMLBudgetError("a YAML alias refers to a node that contains it: not read", _line(node))
        if depth > MAX_DEPTH:
            raise YAMLBudgetError(f"YAML nested more than {MAX_DEPTH} levels deep: not read", _line(node))
        started.add(key)
        stack.append((node, True, depth))
        stack.extend((child, False, depth + 1) for child in _children(node) if id(child) not in sizes)


def _distinct(root) -> int:
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in _children(stack.pop()):
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def _children(node) -> Iterator:
    """The nodes under ``node``: items of a sequence, keys and values of a mapping."""
    if isinstance(node, yaml.MappingNode):  # (key, value) pairs
        return (item for pair in node.value for item in pair)
    if isinstance(node, yaml.SequenceNode):
        return iter(node.value)
    return iter(())


def _line(node) -> int:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else 1

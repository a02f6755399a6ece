"""Turn one file into FileFacts, or into a Problem (FL000), never an exception.

libcst's native parser and its visitors recurse; a 2,000-deep expression
overflows an 8 MiB main-thread stack and kills the process. Parsing and
visiting therefore run on a worker thread with a large stack and a raised
recursion limit, so hostile input becomes a finding instead of a crash.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper

from ..facts import FileFacts, Problem
from .source import decode_source, read_source
from .suppressions import find_suppressions
from .visitor import FactCollector, resolve_pending

_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 200_000
_executor: Optional[ThreadPoolExecutor] = None
_executor_pid: Optional[int] = None  # a forked worker must start its own thread
_executor_lock = threading.Lock()


def extract_file(path: Path, display: str, module: str, is_package: bool = False) -> FileFacts:
    """Facts for the file at ``path``; ``display`` is how findings name it."""
    text = read_source(path)
    if isinstance(text, Problem):
        return FileFacts(display, module, is_package, problem=text)
    return extract_source(text, display, module, is_package)


def extract_bytes(data: bytes, display: str, module: str = "", is_package: bool = False) -> FileFacts:
    """Facts for a file's raw bytes (decoded as Python would), already read."""
    text = decode_source(data)
    if isinstance(text, Problem):
        return FileFacts(display, module, is_package, problem=text)
    return extract_source(text, display, module, is_package)


def extract_source(text: str, display: str, module: str = "", is_package: bool = False) -> FileFacts:
    """Facts for already-decoded source text."""
    return _big_stack().submit(_extract, text, display, module, is_package).result()


def _big_stack() -> ThreadPoolExecutor:
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor_pid = os.getpid()
            previous = threading.stack_size(_STACK_BYTES)
            try:
                _executor = ThreadPoolExecutor(1, thread_name_prefix="flaglint-extract")
                _executor.submit(sys.setrecursionlimit, max(sys.getrecursionlimit(), _RECURSION_LIMIT)).result()
            finally:
                threading.stack_size(previous)
        return _executor


def _extract(text: str, display: str, module: str, is_package: bool) -> FileFacts:
    problem = _nesting_problem(text)
    if problem is not None:
        return FileFacts(display, module, is_package, problem=problem)
    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return FileFacts(display, module, is_package, problem=_syntax_problem(text, error))
    except RecursionError:
        return FileFacts(display, module, is_package, problem=Problem("too deeply nested to parse"))
    except Exception as error:  # libcst raises a few non-syntax errors on odd input
        return FileFacts(display, module, is_package, problem=Problem(f"cannot parse: {error}"))
    try:
        return _collect(tree, text, display, module, is_package)
    except RecursionError:
        return FileFacts(display, module, is_package, problem=Problem("too deeply nested to analyse"))


def _collect(tree: cst.Module, text: str, display: str, module: str, is_package: bool) -> FileFacts:
    collector = FactCollector(module, is_package)
    MetadataWrapper(tree, unsafe_skip_copy=True).visit(collector)
    reads, uses, functions, guarded_refs = resolve_pending(collector)
    return FileFacts(
        path=display,
        module=module,
        is_package=is_package,
        definitions=tuple(collector.definitions),
        reads=reads,
        uses=uses,
        imports=tuple(collector.imports),
        functions=functions,
        global_sets=tuple(sorted(collector.global_sets)),
        attribute_sets=tuple(sorted(collector.attribute_sets)),
        fed_fields=tuple(sorted(collector.fed_fields)),
        dynamic_classes=tuple(sorted(collector.dynamic_classes)),
        class_bases=tuple(collector.class_bases),
        scope_refs=tuple((scope, tuple(sorted(names))) for scope, names in sorted(collector.scope_refs.items())),
        guarded_refs=guarded_refs,
        suppressions=find_suppressions(text),
        string_constants=tuple(sorted(collector.string_constants.items())),
        dynamic_keys=tuple(collector.dynamic_keys),
        env_sets=tuple(sorted(collector.env_sets)),
    )


_BRACKET = re.compile(r"[()\[\]{}]")
_OPENERS = frozenset("([{")
_NAIVE_DEPTH_LIMIT = 100


def _nesting_problem(text: str) -> Optional[Problem]:
    """Reject what CPython rejects before libcst sees it.

    libcst's parser needs stack and memory superlinear in bracket depth (a
    2,000-deep list takes gigabytes; 100,000 parentheses crash the process),
    while CPython refuses more than 200 levels outright. A cheap count of
    brackets (strings and comments included, so it can only overestimate)
    decides whether to ask CPython's parser first.
    """
    if _naive_depth(text) <= _NAIVE_DEPTH_LIMIT:
        return None
    try:
        compile(text, "<flaglint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return Problem(f"syntax error: {error.msg}", error.lineno, error.offset)
    except (RecursionError, MemoryError, ValueError):
        return Problem("too deeply nested to parse")
    return None


def _naive_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _syntax_problem(text: str, error: cst.ParserSyntaxError) -> Problem:
    """CPython's own message names the real mistake ("'(' was never closed");
    libcst's names where its grammar gave up. Ask CPython only on failure."""
    try:
        compile(text, "<flaglint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as cpython:
        return Problem(f"syntax error: {cpython.msg}", cpython.lineno, cpython.offset)
    except (ValueError, RecursionError, MemoryError):
        pass
    message = f"valid Python that libcst cannot parse yet: {_first_line(error.message)}"
    return Problem(message, error.raw_line, error.raw_column + 1)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid syntax"

"""Turn one file into FileFacts, or into a Problem (FL000), never an exception.

libcst's native parser and its visitors recurse; a 2,000-deep expression
overflows an 8 MiB main-thread stack and kills the process. Parsing and
visiting therefore run on a worker thread with a large stack and a raised
recursion limit, so hostile input becomes a finding instead of a crash. The
recursion limit is global to the interpreter, so it is raised only while a
file is being extracted (callers wait for that) and put back afterwards: a
program that uses flaglint as a library keeps its own limit.

The cyclic garbage collector is paused while a file is extracted, the same
way. A parse allocates hundreds of thousands of small objects, so the
collector runs over and over, tracing a tree that cannot hold a cycle (libcst
nodes have no parent links): a fifth of extraction's time, for nothing
(docs/performance.md). Whatever cyclic garbage a file leaves is collected
once the collector is back on.
"""

from __future__ import annotations

import ast
import gc
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

import libcst as cst

from ..facts import FileFacts, Problem
from ..quiet import user_code
from .depth import depth_problem
from .positions import positions
from .source import decode_source, nul_problem, read_source
from .suppressions import find_suppressions
from .visitor import FactCollector, resolve_pending
from .walk import walk

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
    return run_deep(_extract, text, display, module, is_package)


def run_deep(function, *arguments):
    """``function(*arguments)`` on the big-stack thread with the raised
    recursion limit, for anything that parses or walks a libcst tree."""
    return _big_stack().submit(_with_deep_recursion, function, *arguments).result()


def _with_deep_recursion(function, *arguments):
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
    try:
        return function(*arguments)
    finally:
        sys.setrecursionlimit(previous)


def _big_stack() -> ThreadPoolExecutor:
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor_pid = os.getpid()
            previous = threading.stack_size(_STACK_BYTES)
            try:
                _executor = ThreadPoolExecutor(1, thread_name_prefix="flaglint-extract")
            finally:
                threading.stack_size(previous)
        return _executor


def _extract(text: str, display: str, module: str, is_package: bool) -> FileFacts:
    collecting = gc.isenabled()
    gc.disable()
    try:
        with user_code():
            return _extract_text(text, display, module, is_package)
    finally:
        if collecting:
            gc.enable()


def _extract_text(text: str, display: str, module: str, is_package: bool) -> FileFacts:
    problem = nul_problem(text) or depth_problem(text)
    if problem is not None:
        return FileFacts(display, module, is_package, problem=problem)
    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return FileFacts(display, module, is_package, problem=_syntax_problem(text, error))
    except RecursionError:
        return FileFacts(display, module, is_package, problem=Problem("too deeply nested to parse"))
    except Exception as error:  # libcst raises a few non-syntax errors on odd input
        problem = _cpython_problem(text) or Problem(f"cannot parse: {error}")
        return FileFacts(display, module, is_package, problem=problem)
    try:
        return _collect(tree, text, display, module, is_package)
    except RecursionError:
        return FileFacts(display, module, is_package, problem=Problem("too deeply nested to analyse"))


def _collect(tree: cst.Module, text: str, display: str, module: str, is_package: bool) -> FileFacts:
    # the collector only looks positions up (``positions[node]``), which
    # Positions offers without being the dict the signature names
    collector = FactCollector(module, is_package, positions(tree))
    walk(tree, collector)
    reads, uses, functions, guarded_refs = resolve_pending(collector)
    settings_classes, attr_chains, loose_attrs, returns, field_sets = collector.settings_facts()
    env_sets, env_open_writes = collector.env_writes()
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
        opaque_setattr=collector.opaque_setattr,
        passed_names=tuple(sorted(collector.passed_names)),
        class_bases=tuple(collector.class_bases),
        scope_refs=tuple((scope, tuple(sorted(names))) for scope, names in sorted(collector.scope_refs.items())),
        guarded_refs=guarded_refs,
        suppressions=find_suppressions(text),
        string_constants=tuple(sorted(collector.string_constants.items())),
        dynamic_keys=tuple(collector.dynamic_keys),
        env_sets=tuple(env_sets),
        env_open_writes=tuple(env_open_writes),
        wrappers=tuple(collector.wrappers),
        instances=tuple(sorted(collector.instances.items())),
        dynamic_callees=tuple(sorted(collector.dynamic_callees)),
        flag_dicts=tuple(collector.flag_dicts.found),
        classes=tuple(collector.classes),
        dynamic_lookups=tuple(sorted(collector.dynamic_lookups)),
        joined_keys=tuple(collector.joined_keys),
        settings_classes=settings_classes,
        attr_chains=attr_chains,
        loose_attrs=loose_attrs,
        returns=returns,
        field_sets=field_sets,
        flag_objects=tuple(collector.flag_objects),
    )


def _syntax_problem(text: str, error: cst.ParserSyntaxError) -> Problem:
    """CPython's own message names the real mistake ("'(' was never closed");
    libcst's names where its grammar gave up. Ask CPython only on failure."""
    problem = _cpython_problem(text)
    if problem is not None:
        return problem
    message = f"valid Python that libcst cannot parse yet: {_first_line(error.message)}"
    return Problem(message, error.raw_line, error.raw_column + 1)


def _cpython_problem(text: str) -> Optional[Problem]:
    """CPython's syntax error for ``text``, or None if CPython parses it."""
    try:
        compile(text, "<flaglint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as cpython:
        return Problem(f"syntax error: {cpython.msg}", cpython.lineno, cpython.offset)
    except (ValueError, RecursionError, MemoryError):
        pass
    return None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid syntax"

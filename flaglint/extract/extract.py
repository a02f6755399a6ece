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

A data module (a docstring, imports, literals bound to names: generated
tables, ``__init__.py`` files that only import) is read without libcst
(:mod:`.data_module`), with the same facts: libcst is imported only for the
first file that needs it, so a run over such files never loads it.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

from ..facts import FileFacts, Problem
from ..quiet import user_code
from .data_module import data_module_facts
from .depth import depth_problem
from .source import decode_source, nul_problem, read_source

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
    problem = nul_problem(text)
    if problem is None:
        # a data module it accepts is valid and shallow: no depth check needed
        facts = data_module_facts(text, display, module, is_package)
        if facts is not None:
            return facts
        problem = depth_problem(text)
    if problem is not None:
        return FileFacts(display, module, is_package, problem=problem)
    from .full import libcst_facts  # only here: a run of data modules never loads libcst

    return libcst_facts(text, display, module, is_package)

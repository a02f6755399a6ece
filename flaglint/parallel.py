"""Extract many files on a process pool; a dying worker costs one file, not the run.

Facts are plain picklable data, so workers return facts, never trees. If a
worker process dies (libcst's native parser can still crash on hostile
input), the files it had in flight are retried in further rounds; a file that
never comes back becomes an FL000 finding naming the crash.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Dict, List, Sequence

from .discover import SourceFile
from .extract import extract_file
from .facts import FileFacts, Problem

#: Below this many files a pool costs more to start than it saves.
MIN_FILES_FOR_POOL = 64


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_all(files: Sequence[SourceFile], jobs: int) -> List[FileFacts]:
    """Facts for every file, in the order given."""
    if jobs <= 1 or len(files) < MIN_FILES_FOR_POOL:
        return [_extract(source) for source in files]
    done: Dict[str, FileFacts] = {}
    pending = list(files)
    while pending:
        before = len(pending)
        pending = _round(pending, jobs, done)
        if len(pending) == before:  # no progress: isolate each file in its own worker
            for source in pending:
                _round([source], 1, done)
                done.setdefault(source.display, _crashed(source))
            pending = []
    return [done[source.display] for source in files]


def _round(files: Sequence[SourceFile], jobs: int, done: Dict[str, FileFacts]) -> List[SourceFile]:
    """Run one pool over ``files``; return the files whose worker died."""
    failed = []
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
            futures = {pool.submit(_extract, source): source for source in files}
            for future in as_completed(futures):
                try:
                    done[futures[future].display] = future.result()
                except BrokenProcessPool:
                    failed.append(futures[future])
    except BrokenProcessPool:
        failed = [source for source in files if source.display not in done]
    return failed


def _extract(source: SourceFile) -> FileFacts:
    return extract_file(source.path, source.display, source.module, source.is_package)


def _crashed(source: SourceFile) -> FileFacts:
    problem = Problem("the parser crashed on this file (worker process died)")
    return FileFacts(source.display, source.module, source.is_package, problem=problem)

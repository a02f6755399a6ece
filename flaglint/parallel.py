"""Extract many files on a process pool; a dying worker costs one file, not the run.

Facts are plain picklable data, so workers return facts, never trees. If a
worker process dies (libcst's native parser can still crash on hostile
input), the files it had in flight are retried in further rounds; a file that
never comes back becomes an FL000 finding naming the crash.

With a :class:`~flaglint.cache.FactsCache`, the parent reads and hashes every
file first and takes what the cache has; only the misses are extracted (on
the pool if there are enough of them), from the very bytes that were hashed,
so a file edited during the run can never be cached under the wrong key.
The parent stores each new result as it arrives. A crash is not cached.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Dict, List, NamedTuple, Optional, Sequence

from .cache import FactsCache
from .discover import SourceFile
from .extract import extract_file
from .extract.extract import extract_bytes
from .facts import FileFacts, Problem

#: Below this many files a pool costs more to start than it saves.
MIN_FILES_FOR_POOL = 64


class _Job(NamedTuple):
    source: SourceFile
    data: Optional[bytes] = None  # the bytes already read, if any
    key: Optional[str] = None  # the cache key of ``data``, if cached


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_all(files: Sequence[SourceFile], jobs: int, cache: Optional[FactsCache] = None) -> List[FileFacts]:
    """Facts for every file, in the order given."""
    done: Dict[str, FileFacts] = {}
    if cache is None:
        todo = [_Job(source) for source in files]
    else:
        # Unpickling builds many small acyclic objects; with the cyclic GC
        # running, it re-scans the growing heap and the lookups cost 3-4x more.
        collecting = gc.isenabled()
        gc.disable()
        try:
            todo = _lookup(files, cache, done)
        finally:
            if collecting:
                gc.enable()
    _extract_jobs(todo, jobs, done, cache)
    return [done[source.display] for source in files]


def _lookup(files: Sequence[SourceFile], cache: FactsCache, done: Dict[str, FileFacts]) -> List[_Job]:
    """Fill ``done`` from the cache; return the jobs for the misses."""
    todo: List[_Job] = []
    for source in files:
        try:
            data = source.path.read_bytes()
        except OSError:
            todo.append(_Job(source))  # extract_file says why, as FL000; not cached
            continue
        key = cache.key(data, source.module, source.is_package)
        hit = cache.load(key)
        if hit is None:
            todo.append(_Job(source, data, key))
        else:  # same bytes and module elsewhere (another checkout): same facts
            done[source.display] = hit if hit.path == source.display else replace(hit, path=source.display)
    return todo


def _extract_jobs(todo: Sequence[_Job], jobs: int, done: Dict[str, FileFacts], cache: Optional[FactsCache]) -> None:
    if jobs <= 1 or len(todo) < MIN_FILES_FOR_POOL:
        for job in todo:
            done[job.source.display] = _finish(job, _run(job), cache)
        return
    pending = list(todo)
    while pending:
        before = len(pending)
        pending = _round(pending, jobs, done, cache)
        if len(pending) == before:  # no progress: isolate each file in its own worker
            for job in pending:
                _round([job], 1, done, cache)
                done.setdefault(job.source.display, _crashed(job.source))
            pending = []


def _round(todo: Sequence[_Job], jobs: int, done: Dict[str, FileFacts], cache: Optional[FactsCache]) -> List[_Job]:
    """Run one pool over ``todo``; return the jobs whose worker died."""
    failed = []
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {pool.submit(_extract, *_arguments(job)): job for job in todo}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    done[job.source.display] = _finish(job, future.result(), cache)
                except BrokenProcessPool:
                    failed.append(job)
    except BrokenProcessPool:
        failed = [job for job in todo if job.source.display not in done]
    return failed


def _arguments(job: _Job) -> tuple:
    return (job.source,) if job.data is None else (job.source, job.data)


def _run(job: _Job) -> FileFacts:
    return _extract(*_arguments(job))


def _finish(job: _Job, facts: FileFacts, cache: Optional[FactsCache]) -> FileFacts:
    if cache is not None and job.key is not None:
        cache.store(job.key, facts)
    return facts


def _extract(source: SourceFile, data: Optional[bytes] = None) -> FileFacts:
    if data is None:
        return extract_file(source.path, source.display, source.module, source.is_package)
    return extract_bytes(data, source.display, source.module, source.is_package)


def _crashed(source: SourceFile) -> FileFacts:
    problem = Problem("the parser crashed on this file (worker process died)")
    return FileFacts(source.display, source.module, source.is_package, problem=problem)

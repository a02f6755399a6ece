"""Extract many files on a process pool; a dying worker costs one file, not the run.

Facts are plain picklable data, so workers return facts, never trees. If a
worker process dies (libcst's native parser can still crash on hostile
input), the files it had in flight are retried in further rounds; a file that
never comes back becomes an FL000 finding naming the crash.

With a :class:`~flaglint.cache.FactsCache`, the parent first takes what the
cache has: a file whose stat signature is unchanged is not even read; any
other is read and hashed. Only the misses are extracted (on the pool if
there are enough of them), from the very bytes that were hashed, so a file
edited during the run can never be cached under the wrong key. The parent
stores each new result as it arrives and writes the cache's index once at
the end. A crash is not cached.
Files already in memory (a git revision's, for ``--against``) go the same
way through :func:`extract_blobs`.

An optional progress callback is told how many files are done, cache hits
included; the CLI draws it as a progress bar when stderr is a terminal.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Set, Tuple

from .budget import DEFAULT_MAX_TOKENS, budget_problem
from .cache import FactsCache, read_for_cache
from .discover import SourceFile
from .facts import FileFacts, Problem
from .sources.reading import read_source_bytes

#: Below this many files a pool costs more to start than it saves.
MIN_FILES_FOR_POOL = 64


class _Job(NamedTuple):
    source: SourceFile
    data: Optional[bytes] = None  # the bytes already read, if any
    key: Optional[str] = None  # the cache key of ``data``, if cached


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


#: Told ``(files done, files in all)``: once with 0 before a batch starts,
#: then after each file (cache hits included).
Progress = Callable[[int, int], None]


def extract_all(
    files: Sequence[SourceFile],
    jobs: int,
    cache: Optional[FactsCache] = None,
    progress: Optional[Progress] = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    keys: Optional[Dict[str, str]] = None,
    read: Optional[Mapping[str, bytes]] = None,
) -> List[FileFacts]:
    """Facts for every file, in the order given; a file over ``max_tokens``
    is FL000 (see :mod:`flaglint.budget`). With a cache, ``keys`` (if
    given) is filled with the cache key of each file whose facts the cache
    held or now holds, by display path: the content those facts were made
    from (see :mod:`flaglint.memo`). ``read`` holds bytes already read, by
    display path (by :func:`known_keys`): those files are not read again."""
    read = read or {}
    return _extract_all(
        [(source, read.get(source.display)) for source in files], jobs, cache, progress, max_tokens, keys
    )


def known_keys(
    files: Sequence[SourceFile],
    cache: FactsCache,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    read: Optional[Dict[str, bytes]] = None,
) -> Optional[Dict[str, str]]:
    """The cache key of every file, by display path, when the cache holds
    every file's facts, without unpickling any: a run the memo answers never
    loads a fact. A file the cache vouches for by stat
    (:meth:`FactsCache.known_entry`) is not even read; any other is read and
    hashed as :func:`extract_all` would (a file longer in bytes than
    ``max_tokens`` always is, and one over the token budget, FL000 and never
    keyed, makes the answer None). None as soon as one file's facts are not
    in the cache: the caller then extracts as usual (passing on the bytes
    read here, which ``read`` is given, so the file is not read twice), and
    the keys come from that."""
    keys: Dict[str, str] = {}
    for source in files:
        entry = cache.known_entry(source.path, source.module, source.is_package)
        key = entry[0] if entry is not None and entry[1] <= max_tokens else _hashed_key(source, cache, max_tokens, read)
        if key is None:
            return None
        keys[source.display] = key
    return keys


def _hashed_key(
    source: SourceFile, cache: FactsCache, max_tokens: int, read: Optional[Dict[str, bytes]]
) -> Optional[str]:
    """The key of a file the stat records do not vouch for, if the cache
    holds its facts; its stat is recorded as :func:`_lookup` would, and its
    bytes kept in ``read`` when the cache lacks them (to be extracted)."""
    found = read_for_cache(source.path)
    if found is None:
        return None  # extraction says why, as FL000: never keyed
    data, status, started = found
    large = len(data) > max_tokens
    if large and budget_problem(data, max_tokens) is not None:
        return None
    key = cache.key(data, source.module, source.is_package)
    if not large:  # as _lookup: a file read for the budget is not stat-recorded
        cache.remember(source.path, status, started, source.module, source.is_package, key)
    if not cache.holds(key):
        if read is not None:
            read[source.display] = data
        return None
    return key


def extract_blobs(
    blobs: Sequence[Tuple[SourceFile, bytes]],
    jobs: int,
    cache: Optional[FactsCache] = None,
    progress: Optional[Progress] = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
) -> List[FileFacts]:
    """Facts for files whose bytes are already read (a git revision's), in
    the order given. The cache key is the content, so a file unchanged since
    then is served by the entry today's run made. A file over ``max_tokens``
    is FL000, never parsed, as in :func:`extract_all`: pass the configured
    budget, or a revision could spend what the work tree may not."""
    return _extract_all(blobs, jobs, cache, progress, max_tokens)


def _extract_all(
    files: Sequence[Tuple[SourceFile, Optional[bytes]]],
    jobs: int,
    cache: Optional[FactsCache],
    progress: Optional[Progress],
    max_tokens: int = DEFAULT_MAX_TOKENS,
    keys: Optional[Dict[str, str]] = None,
) -> List[FileFacts]:
    done: Dict[str, FileFacts] = {}
    tick = _ticker(progress, len(files), done)
    tick()
    affordable = _within_budget(files, max_tokens, done, tick)
    # Unpickling facts (from the cache, or from the workers) builds many small
    # acyclic objects; with the cyclic GC running, it re-scans the growing
    # heap over and over, and the cache lookups cost 3-4x more.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if cache is None:
            todo = [_Job(source, data) for source, data in affordable]
        else:
            todo = _lookup(affordable, cache, done, tick, keys)
        _extract_jobs(todo, jobs, done, cache, tick, keys)
        if cache is not None:
            cache.save()  # once, in the parent: workers only return facts
    finally:
        if collecting:
            gc.enable()
    return [_named(done[source.display], source) for source, _ in files]


def _within_budget(
    files: Sequence[Tuple[SourceFile, Optional[bytes]]],
    max_tokens: int,
    done: Dict[str, FileFacts],
    tick: Callable[[], None],
) -> List[Tuple[SourceFile, Optional[bytes]]]:
    """The files to extract: one over the token budget is an FL000 in
    ``done`` instead, decided here in the parent, before the cache and the
    workers, so it is never parsed, never cached (raising the budget takes
    effect at once), and a warm run reports what a cold one does. Only a
    file longer than the budget in bytes is read here (see
    :func:`flaglint.budget.budget_problem`); the bytes read are passed on."""
    kept = []
    for source, data in files:
        if data is None:
            try:
                if os.stat(source.path).st_size > max_tokens:
                    data = read_source_bytes(source.path, "python")
            except (OSError, ValueError):
                pass  # extract_file says why, as FL000
        message = budget_problem(data, max_tokens) if data is not None else None
        if message is None:
            kept.append((source, data))
        else:
            problem = Problem(message)
            done[source.display] = FileFacts(source.display, source.module, source.is_package, problem=problem)
            tick()
    return kept


def _named(facts: FileFacts, source: SourceFile) -> FileFacts:
    """``facts`` with the file's other module names: they depend on where
    the file sits in the project, not on its content, so they are not cached."""
    aliases = getattr(source, "aliases", ())
    return replace(facts, aliases=aliases) if facts.aliases != aliases else facts


def _ticker(progress: Optional[Progress], total: int, done: Dict[str, FileFacts]) -> Callable[[], None]:
    if progress is None:
        return lambda: None
    return lambda: progress(len(done), total)


def _lookup(
    files: Sequence[Tuple[SourceFile, Optional[bytes]]],
    cache: FactsCache,
    done: Dict[str, FileFacts],
    tick: Callable[[], None],
    keys: Optional[Dict[str, str]] = None,
) -> List[_Job]:
    """Fill ``done`` (and ``keys``) from the cache; return the jobs for the misses."""
    todo: List[_Job] = []
    for source, data in files:
        if data is None:
            known = cache.known(source.path, source.module, source.is_package)
            hit = cache.load(known) if known is not None else None
            if hit is not None:  # unchanged by stat: not even read
                done[source.display] = hit if hit.path == source.display else replace(hit, path=source.display)
                if keys is not None and known is not None:
                    keys[source.display] = known
                tick()
                continue
            read = read_for_cache(source.path)
            if read is None:
                todo.append(_Job(source))  # extract_file says why, as FL000; not cached
                continue
            data, status, started = read
            key = cache.key(data, source.module, source.is_package)
            cache.remember(source.path, status, started, source.module, source.is_package, key)
        else:
            key = cache.key(data, source.module, source.is_package)
        hit = cache.load(key)
        if hit is None:
            todo.append(_Job(source, data, key))
        else:  # same bytes and module elsewhere (another checkout): same facts
            done[source.display] = hit if hit.path == source.display else replace(hit, path=source.display)
            if keys is not None:
                keys[source.display] = key
            tick()
    return todo


def _extract_jobs(
    todo: Sequence[_Job],
    jobs: int,
    done: Dict[str, FileFacts],
    cache: Optional[FactsCache],
    tick: Callable[[], None],
    keys: Optional[Dict[str, str]] = None,
) -> None:
    crashed = _extract_new(todo, jobs, done, cache, tick)
    if keys is not None:  # what was extracted and cached: not a crash (never cached)
        keys.update((job.source.display, job.key) for job in todo if job.key and job.source.display not in crashed)


def _extract_new(
    todo: Sequence[_Job], jobs: int, done: Dict[str, FileFacts], cache: Optional[FactsCache], tick: Callable[[], None]
) -> Set[str]:
    """Extract ``todo`` into ``done``; return the display paths whose worker died."""
    crashed: Set[str] = set()
    if jobs <= 1 or len(todo) < MIN_FILES_FOR_POOL:
        for job in todo:
            done[job.source.display] = _finish(job, _run(job), cache)
            tick()
        return crashed
    pending = list(todo)
    while pending:
        before = len(pending)
        try:
            pending = _round(pending, jobs, done, cache, tick)
        except _NoPool:  # no worker processes to be had: this process does the work
            for job in pending:
                if job.source.display not in done:
                    done[job.source.display] = _finish(job, _run(job), cache)
                    tick()
            return crashed
        if len(pending) == before:  # no progress: isolate each file in its own worker
            for job in pending:
                _round([job], 1, done, cache, tick)
                if job.source.display not in done:
                    done[job.source.display] = _crashed(job.source)
                    crashed.add(job.source.display)
                    tick()
            pending = []
    return crashed


def _round(
    todo: Sequence[_Job], jobs: int, done: Dict[str, FileFacts], cache: Optional[FactsCache], tick: Callable[[], None]
) -> List[_Job]:
    """Run one pool over ``todo``; return the jobs whose worker died."""
    failed = []
    # libcst loaded once here, before the fork, rather than once per worker
    from .extract import full  # noqa: F401

    # The parent's objects (the facts so far, a caller's own heap) are frozen
    # while the workers fork: a worker's collector then never walks them, and
    # never writes to their pages, each write a copy-on-write page copy.
    gc.freeze()
    try:
        try:
            pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_worker_start)
        except (OSError, NotImplementedError, ImportError) as error:
            raise _NoPool() from error
        with pool:
            try:
                futures = {pool.submit(_extract, *_arguments(job)): job for job in todo}
            except (OSError, NotImplementedError) as error:  # fork refused (a process limit)
                raise _NoPool() from error
            for future in as_completed(futures):
                job = futures[future]
                try:
                    done[job.source.display] = _finish(job, future.result(), cache)
                    tick()
                except BrokenProcessPool:
                    failed.append(job)
    except BrokenProcessPool:
        failed = [job for job in todo if job.source.display not in done]
    finally:
        gc.unfreeze()
    return failed


class _NoPool(Exception):
    """The pool could not start its workers: no ``/dev/shm`` for its
    semaphores (NotImplementedError, ImportError) or no process left to fork
    (BlockingIOError). Workers are speed only, so the caller extracts the
    files itself rather than exit 3."""


def _worker_start() -> None:
    """A forked worker inherits the parent's collector switch, which is off
    while results arrive (above). Extraction pauses the collector per file and
    puts it back as it found it, so a worker left with it off would never
    collect: one file's collector cycles would keep its whole tree alive, and
    a worker grew past 1 GiB on the stdlib."""
    gc.enable()


def _arguments(job: _Job) -> tuple:
    return (job.source,) if job.data is None else (job.source, job.data)


def _run(job: _Job) -> FileFacts:
    return _extract(*_arguments(job))


def _finish(job: _Job, facts: FileFacts, cache: Optional[FactsCache]) -> FileFacts:
    if cache is not None and job.key is not None:
        cache.store(job.key, facts)
    return facts


def _extract(source: SourceFile, data: Optional[bytes] = None) -> FileFacts:
    # imported here: a run whose facts all come from the cache never loads
    # libcst (half a second); a forked worker inherits it once imported
    from .extract.extract import extract_bytes, extract_file

    if data is None:
        return extract_file(source.path, source.display, source.module, source.is_package)
    return extract_bytes(data, source.display, source.module, source.is_package)


def _crashed(source: SourceFile) -> FileFacts:
    problem = Problem("the parser crashed on this file (worker process died)")
    return FileFacts(source.display, source.module, source.is_package, problem=problem)

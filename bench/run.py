"""Benchmark flaglint against raw libcst parsing (and vulture, if installed).

    python bench/run.py                      # the full stdlib of this Python
    python bench/run.py --limit 200          # a quick run on 200 files
    python bench/run.py --path src --jobs 4

All measurements come from one run on one machine with the same number of
processes, so the *ratios* are the result; absolute times are printed only
for context. What is measured:

* flaglint cold: ``flaglint.api.check`` on the corpus with an empty cache
  directory (a temporary one), so it extracts every file and writes the cache.
* raw parse: ``libcst.parse_module`` of the same files (bytes read and
  decoded as flaglint does), on a process pool of the same size.
* flaglint warm: the same ``api.check`` again, with the cache now full.
* flaglint no-cache: ``api.check`` with ``cache_dir=None`` (what writing the
  cache costs a cold run).
* vulture: ``python -m vulture`` on the same files, named one by one
  (single process: vulture has no ``--jobs``), if it is installed.
* peak RSS: ``resource.getrusage`` of this process and of its children
  (``ru_maxrss`` of children is the largest single child, not a sum).

Goals: cold <= 2.0x raw parsing in CPU time (issue 14: the same files, the
same process count; wall time is printed too), warm < 5% of cold, peak RSS
< 1 GiB.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import platform
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from flaglint import __version__, api  # noqa: E402
from flaglint.discover import discover  # noqa: E402
from flaglint.extract.source import decode_source  # noqa: E402
from flaglint.parallel import default_jobs  # noqa: E402

GOAL_COLD_OVER_RAW = 2.0  # CPU
GOAL_WARM_OVER_COLD = 0.05
GOAL_PEAK_RSS = 1 << 30


def main(argv: Optional[Sequence[str]] = None) -> int:
    options = _parser().parse_args(argv)
    corpus = Path(options.path or sysconfig.get_paths()["stdlib"]).resolve()
    jobs = options.jobs or default_jobs()
    if options.profile:
        return _profile(corpus, options.profile)
    with tempfile.TemporaryDirectory(prefix="flaglint-bench-") as scratch:
        scratch_path = Path(scratch)
        files = [source.path for source in discover([str(corpus)], cwd=corpus).files]
        if options.limit is not None and options.limit < len(files):
            corpus, files = _sample(corpus, files, options.limit, scratch_path / "corpus")
        size = sum(path.stat().st_size for path in files)
        print(f"corpus: {corpus}")
        print(f"files: {len(files)} ({size / 1e6:.1f} MB), jobs: {jobs}")
        print(
            f"flaglint {__version__}, libcst {_version('libcst')}, Python {platform.python_version()}, {platform.machine()}"
        )
        for path in files:  # warm the OS page cache so no run pays for the disk
            path.read_bytes()
        load_before = _load()

        times: Dict[str, float] = {}  # wall-clock seconds
        cpu: Dict[str, float] = {}  # user + system seconds of this process and its children
        cache_dir = scratch_path / "cache"
        times["flaglint cold"], cpu["flaglint cold"], cold = _measure(
            lambda: api.check([str(corpus)], cwd=corpus, jobs=jobs, cache_dir=cache_dir)
        )
        rss_self_flaglint = _maxrss(resource.RUSAGE_SELF)
        rss_workers_flaglint = _maxrss(resource.RUSAGE_CHILDREN)
        times["flaglint warm"], cpu["flaglint warm"], warm = _measure(
            lambda: api.check([str(corpus)], cwd=corpus, jobs=jobs, cache_dir=cache_dir)
        )
        rss_self_flaglint = max(rss_self_flaglint, _maxrss(resource.RUSAGE_SELF))
        warm_parts = _warm_breakdown(corpus, jobs, cache_dir)
        times["raw libcst parse"], cpu["raw libcst parse"], parsed = _measure(lambda: _raw_parse(files, jobs))
        if not options.skip_no_cache:
            times["flaglint no-cache"], cpu["flaglint no-cache"], uncached = _measure(
                lambda: api.check([str(corpus)], cwd=corpus, jobs=jobs)
            )
            assert [f.to_dict() for f in uncached.findings] == [f.to_dict() for f in cold.findings], (
                "cache changed results"
            )
        assert [f.to_dict() for f in warm.findings] == [f.to_dict() for f in cold.findings], "cache changed results"
        rss_children_before_vulture = _maxrss(resource.RUSAGE_CHILDREN)
        vulture_note = None
        if importlib.util.find_spec("vulture") is None:
            vulture_note = "vulture is not installed (pip install vulture): skipped"
        else:
            times["vulture"], cpu["vulture"], _ = _measure(lambda: _vulture(files))
        cache_bytes = sum(path.stat().st_size for path in cache_dir.rglob("*") if path.is_file())

    print()
    print("absolute times (context only; they depend on this machine and its load):")
    for name, seconds in times.items():
        print(f"  {name:<20} {seconds:9.2f} s wall {cpu[name]:9.2f} s CPU (self + children)")
    print(f"  load average before / after: {load_before} / {_load()}")
    print(
        f"  warm run breakdown:  discover {warm_parts['discover']:.2f} s, facts from cache {warm_parts['facts']:.2f} s,"
        f" graph+rules+decide {warm_parts['analysis']:.2f} s"
    )
    print(f"  findings: {len(cold.findings)}; files analysed: {cold.files}; raw parse failures: {parsed[1]}")
    print(f"  cache size: {cache_bytes / 1e6:.1f} MB for {cold.files} files")
    print()
    print(f"RESULT (ratios, jobs={jobs}, {len(files)} files)          wall      CPU")
    _ratio(
        "flaglint cold / raw libcst parse",
        times,
        cpu,
        "flaglint cold",
        "raw libcst parse",
        GOAL_COLD_OVER_RAW,
        "<=",
        on="CPU",
    )
    _ratio("flaglint warm / flaglint cold", times, cpu, "flaglint warm", "flaglint cold", GOAL_WARM_OVER_COLD, "<")
    if "flaglint no-cache" in times:
        _ratio(
            "flaglint cold / flaglint no-cache",
            times,
            cpu,
            "flaglint cold",
            "flaglint no-cache",
            None,
            "cost of writing the cache",
        )
    if "vulture" in times:
        _ratio("flaglint cold / vulture", times, cpu, "flaglint cold", "vulture", None, "vulture: 1 process, ast")
        _ratio("flaglint warm / vulture", times, cpu, "flaglint warm", "vulture", None, "")
    else:
        print(f"  flaglint / vulture: {vulture_note}")
    # Upper bound: parent plus every worker at its peak, nothing shared.
    bound = rss_self_flaglint + min(jobs, max(1, cold.files)) * rss_workers_flaglint
    print(
        f"  peak RSS (flaglint runs): this process {rss_self_flaglint / 2**20:.0f} MiB,"
        f" largest worker {rss_workers_flaglint / 2**20:.0f} MiB; all at once at most {bound / 2**20:.0f} MiB"
        f"   goal < 1024 MiB: {'OK' if bound < GOAL_PEAK_RSS else 'MISSED (by the upper bound)'}"
    )
    print(
        f"  peak RSS of any child incl. raw parse workers: {rss_children_before_vulture / 2**20:.0f} MiB;"
        f" incl. vulture: {_maxrss(resource.RUSAGE_CHILDREN) / 2**20:.0f} MiB"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", help="corpus directory (default: this Python's stdlib)")
    parser.add_argument(
        "--limit", type=int, help="use only N files, evenly spread over the corpus (copied to a temp dir)"
    )
    parser.add_argument("--jobs", "-j", type=int, help="processes for flaglint and raw parsing (default: CPUs)")
    parser.add_argument("--skip-no-cache", action="store_true", help="do not time a run without the cache")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="instead: where extraction time goes, on N files, in one process"
    )
    return parser


def _sample(corpus: Path, files: List[Path], limit: int, target: Path) -> Tuple[Path, List[Path]]:
    """``limit`` files spread evenly over the sorted list, copied with their
    relative paths (so packages keep their module names)."""
    step = len(files) / limit
    chosen = [files[int(index * step)] for index in range(limit)]
    copies = []
    for path in chosen:
        copy = target / path.relative_to(corpus)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        copies.append(copy)
    return target, copies


def _timed(action):
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _cpu() -> float:
    """User + system seconds of this process and of its reaped children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _measure(action):
    """(wall seconds, CPU seconds, value). Pools are shut down (children
    reaped) inside ``action``, so their CPU time is counted."""
    gc.collect()
    before = _cpu()
    wall, value = _timed(action)
    return wall, _cpu() - before, value


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def _maxrss(who: int) -> int:
    """Peak resident set size in bytes (ru_maxrss is KiB on Linux, bytes on macOS)."""
    value = resource.getrusage(who).ru_maxrss
    return value if sys.platform == "darwin" else value * 1024


def _raw_parse(files: Sequence[Path], jobs: int) -> Tuple[int, int]:
    """Parse every file with libcst on ``jobs`` processes: (parsed, failed)."""
    if jobs <= 1:
        results = [_parse_one(path) for path in files]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_parse_one, files, chunksize=4))
    return sum(results), len(results) - sum(results)


def _parse_one(path: Path) -> bool:
    import libcst

    text = decode_source(path.read_bytes())
    if not isinstance(text, str):
        return False
    try:
        libcst.parse_module(text)
    except Exception:
        return False
    return True


def _warm_breakdown(corpus: Path, jobs: int, cache_dir: Path) -> Dict[str, float]:
    """Where a warm run's time goes (each stage timed on its own)."""
    from flaglint.config import Config

    parts: Dict[str, float] = {}
    gc.collect()
    parts["discover"], _ = _timed(lambda: discover([str(corpus)], cwd=corpus))
    total, (_, facts) = _timed(lambda: api.collect_facts([str(corpus)], Config(), corpus, jobs, cache_dir))
    parts["facts"] = total - parts["discover"]
    gc.collect()
    parts["analysis"], _ = _timed(lambda: api.analyse(facts))
    return parts


def _profile(corpus: Path, limit: int) -> int:
    """Split extraction of ``limit`` files into its stages (timed one by one,
    in one process), then show cProfile's top functions for the real path."""
    import cProfile
    import pstats

    import libcst

    from flaglint.extract import extract as extract_module
    from flaglint.extract import extract_source
    from flaglint.extract.positions import positions
    from flaglint.extract.visitor import FactCollector
    from flaglint.extract.walk import walk

    class Nothing(libcst.CSTVisitor):
        pass

    files = discover([str(corpus)], cwd=corpus).files
    step = max(1, len(files) / limit)
    chosen = [files[int(index * step)] for index in range(min(limit, len(files)))]
    texts = [
        (source, text)
        for source in chosen
        for text in [decode_source(source.path.read_bytes())]
        if isinstance(text, str)
    ]
    stages = dict.fromkeys(
        (
            "libcst parse",
            "positions (extract.positions)",
            "visitor pass (ours)",
            "  of which the bare walk",
        ),
        0.0,
    )
    big_stack = extract_module._big_stack()  # the deep-recursion thread extraction runs on
    clock = time.process_time  # CPU time of this process: the machine may be busy

    def raw_parse() -> float:
        """What bench's raw parse does per file: libcst, collector on."""
        start = clock()
        for _, text in texts:
            try:
                libcst.parse_module(text)
            except Exception:
                continue
        return clock() - start

    def stage_times() -> None:
        gc.disable()  # as extraction runs (extract.extract)
        try:
            for source, text in texts:
                start = clock()
                try:
                    tree = libcst.parse_module(text)
                except Exception:
                    continue
                parsed = clock()
                node_positions = positions(tree)
                positioned = clock()
                walk(tree, FactCollector(source.module, source.is_package, node_positions))
                visited = clock()
                walk(tree, Nothing())
                stages["  of which the bare walk"] += clock() - visited
                stages["libcst parse"] += parsed - start
                stages["positions (extract.positions)"] += positioned - parsed
                stages["visitor pass (ours)"] += visited - positioned
        finally:
            gc.enable()

    gc.collect()
    raw = extract_module.run_deep(raw_parse)
    extract_module.run_deep(stage_times)
    gc.collect()
    start = clock()
    for source, text in texts:
        extract_source(text, source.display, source.module, source.is_package)
    whole = clock() - start
    print(f"extraction of {len(texts)} files from {corpus}, one process, CPU seconds")
    print(f"  raw libcst parse (collector on, as bench's raw parse): {raw:7.2f} s   1.00x")
    print(f"  whole extract_source:                                  {whole:7.2f} s {whole / raw:6.2f}x")
    total = sum(value for name, value in stages.items() if not name.startswith(" "))
    print("  its stages (collector off, as extraction runs them):")
    for name, value in stages.items():
        print(f"    {name:<36} {value:7.2f} s {100 * value / total:5.1f}% {value / raw:6.2f}x")
    print(f"    other (decode, depth check, facts, suppressions): {max(0.0, whole - total):.2f} s")
    floor = stages["libcst parse"] + stages["positions (extract.positions)"] + stages["  of which the bare walk"]
    print(f"  parse + positions + bare walk (no handler at all): {floor / raw:.2f}x")

    profiler = cProfile.Profile()
    big_stack.submit(profiler.enable).result()  # cProfile follows one thread: the one extraction runs on
    for source, text in texts:
        extract_source(text, source.display, source.module, source.is_package)
    big_stack.submit(profiler.disable).result()
    print()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return 0


def _vulture(files: Sequence[Path]) -> int:
    """vulture on exactly the files flaglint analyses. Given the directory, it
    would also read what flaglint's discovery skips: in a stdlib directory that
    is ``site-packages``, which can hold more files than the stdlib itself
    (why session 3's vulture took 61 s, not 15 s)."""
    completed = subprocess.run(
        [sys.executable, "-m", "vulture", *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return completed.returncode


def _ratio(label, times, cpu, top, bottom, goal: Optional[float], note: str, on: str = "wall") -> None:
    wall_ratio, cpu_ratio = times[top] / times[bottom], cpu[top] / cpu[bottom]
    if goal is not None:
        judged = cpu_ratio if on == "CPU" else wall_ratio
        met = judged < goal if note == "<" else judged <= goal
        note = f"goal {note} {goal} ({on}): {'OK' if met else 'MISSED'}"
    print(f"  {label:<36} {wall_ratio:8.3f}  {cpu_ratio:8.3f}   {note}")


def _version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "?"


if __name__ == "__main__":
    sys.exit(main())

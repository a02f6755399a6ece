"""Never crash: run flaglint's commands over whole real corpora and count failures.

    python scripts/corpus_check.py                      # stdlib + this interpreter's site-packages
    python scripts/corpus_check.py --corpus src=./src   # any tree, repeatable
    python scripts/corpus_check.py --only stdlib --jobs 2

For each corpus it runs, one after the other, exactly what a user runs::

    flaglint check --format json --no-cache CORPUS
    flaglint audit --format json --no-ages CORPUS
    flaglint graph --format json CORPUS

and prints: files, internal errors (must be 0), FL000 count, findings per
rule, flags in the audit, nodes and edges of the graph, and the wall time of
each command. It exits 1 if any command printed a traceback, died, exited
with an unexpected code, printed something that is not one JSON document, or
if any file's worker process crashed (an FL000 saying so).

Why subprocesses rather than calling ``flaglint.api`` in this process: the
property under test is "a user never sees a traceback", so the commands run
as users run them, CLI and rendering included; a hard crash (a signal, the
native parser overflowing the stack, the kernel's OOM killer) shows up as a
return code instead of killing the checker; and each command starts from a
fresh interpreter, so no state (recursion limit, thread stack size, caches)
leaks from one to the next. The price is extracting every file three times;
``--no-cache`` keeps the timings those of a cold run.

The commands run from an empty temporary directory with an empty
``flaglint.toml``, so no configuration above the corpus applies and nothing
(cache, reports) is written inside it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows: CPU time is not reported
    resource = None

#: the FL000 message parallel.py gives a file whose worker process died
CRASH_MESSAGE = "the parser crashed"
#: exit codes each command may end with on a healthy run
EXPECTED_EXIT = {"check": (0, 1), "audit": (0,), "graph": (0,)}


@dataclass
class Run:
    """One command on one corpus."""

    command: str
    seconds: float  # wall-clock
    cpu: Optional[float]  # user + system seconds of the command and its workers
    returncode: Optional[int]  # None: timed out
    document: Optional[dict]  # the parsed JSON on stdout, if it parsed
    errors: List[str] = field(default_factory=list)  # why this run is an internal error


@dataclass
class CorpusResult:
    name: str
    path: Path
    runs: Dict[str, Run]

    @property
    def errors(self) -> List[str]:
        return [f"{run.command}: {error}" for run in self.runs.values() for error in run.errors]


def main(argv: Optional[Sequence[str]] = None) -> int:
    options = _parser().parse_args(argv)
    corpora = _corpora(options)
    if not corpora:
        print("corpus_check: no corpus to check", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="flaglint-corpus-") as scratch:
        (Path(scratch) / "flaglint.toml").write_text("")
        for name, path in corpora:
            print(f"== {name}: {path}", flush=True)
            result = CorpusResult(name, path, {})
            for command in ("check", "audit", "graph"):
                run = _run(command, path, Path(scratch), options)
                result.runs[command] = run
                print(f"   {command}: {run.seconds:.1f} s, exit {run.returncode}", flush=True)
            _print(result)
            results.append(result)
    failed = [error for result in results for error in result.errors]
    print(f"internal errors in all corpora: {len(failed)}")
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="A tree to check (repeatable); replaces the defaults.",
    )
    parser.add_argument("--only", choices=("stdlib", "site-packages"), help="Check only one of the default corpora.")
    parser.add_argument(
        "--site-packages", metavar="DIR", help="The site-packages to check (default: this interpreter's purelib)."
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help="--jobs for flaglint (default: its own, the number of CPUs)."
    )
    parser.add_argument("--timeout", type=float, default=3600, help="Seconds one command may take (default: 3600).")
    parser.add_argument(
        "--python", default=sys.executable, help="The interpreter that runs `-m flaglint` (default: this one)."
    )
    return parser


def _corpora(options) -> List[Tuple[str, Path]]:
    if options.corpus:
        return [(name, Path(path).resolve()) for name, _, path in (item.partition("=") for item in options.corpus)]
    defaults = [
        ("stdlib", Path(sysconfig.get_paths()["stdlib"])),
        ("site-packages", Path(options.site_packages or sysconfig.get_paths()["purelib"])),
    ]
    return [(name, path.resolve()) for name, path in defaults if options.only in (None, name)]


def _run(command: str, corpus: Path, cwd: Path, options) -> Run:
    argv = [options.python, "-m", "flaglint", command, "--format", "json", "--config", "flaglint.toml"]
    argv += {"check": ["--no-cache"], "audit": ["--no-ages"], "graph": []}[command]
    argv += ["--jobs", str(options.jobs)] if options.jobs else []
    argv.append(str(corpus))
    start, cpu_start = time.perf_counter(), _children_cpu()
    try:
        process = subprocess.run(
            argv, cwd=cwd, capture_output=True, text=True, timeout=options.timeout, errors="replace"
        )
    except subprocess.TimeoutExpired:
        return Run(command, time.perf_counter() - start, None, None, None, [f"timed out after {options.timeout:.0f} s"])
    cpu = _children_cpu()
    run = Run(command, time.perf_counter() - start, None if cpu is None else cpu - cpu_start, process.returncode, None)
    _judge(run, process)
    return run


def _children_cpu() -> Optional[float]:
    """CPU seconds of every reaped child so far (workers of a pool included)."""
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _judge(run: Run, process: subprocess.CompletedProcess) -> None:
    """Fill ``run.document`` and ``run.errors`` from what the process did."""
    if "Traceback (most recent call last)" in process.stdout + process.stderr:
        run.errors.append("traceback:\n" + _tail(process.stderr or process.stdout))
    if process.returncode not in EXPECTED_EXIT[run.command]:
        run.errors.append(f"exit code {process.returncode}: {_tail(process.stderr)}")
    try:
        run.document = json.loads(process.stdout)
    except ValueError as error:
        run.errors.append(f"stdout is not one JSON document ({error})")
        return
    if run.command == "check":
        crashed = [f for f in run.document["findings"] if f["code"] == "FL000" and CRASH_MESSAGE in f["message"]]
        run.errors.extend(f"worker crashed on {f['path']}" for f in crashed)


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _print(result: CorpusResult) -> None:
    check, audit, graph = (result.runs[name].document for name in ("check", "audit", "graph"))
    if check is not None:
        summary = check["summary"]
        by_code = summary["by_code"]
        print(f"   files: {summary['files']}, skipped: {len(summary['skipped'])}")
        print(f"   FL000: {by_code.get('FL000', 0)}")
        print(f"   findings per rule: {json.dumps(by_code)}")
        for reason, count in _fl000_reasons(check).most_common(8):
            print(f"      FL000 x{count}: {reason}")
    if audit is not None:
        print(f"   audit: {len(audit.get('flags', []))} flags, {len(audit.get('families', []))} families")
    if graph is not None:
        print(f"   graph: {len(graph.get('nodes', []))} nodes, {len(graph.get('edges', graph.get('links', [])))} edges")
    runs = result.runs.values()
    times = ", ".join(f"{run.command} {run.seconds:.1f} s" for run in runs)
    print(f"   wall time: {times} (total {sum(run.seconds for run in runs):.1f} s)")
    if all(run.cpu is not None for run in runs):
        print(f"   CPU time: {', '.join(f'{run.command} {run.cpu:.1f} s' for run in runs)}")
    print(f"   internal errors (tracebacks, crashes, bad exits): {len(result.errors)}")
    for error in result.errors:
        print("   ! " + error.replace("\n", "\n     "))


def _fl000_reasons(document: dict) -> Counter:
    """FL000 messages grouped by their kind (the text before any detail)."""
    return Counter(f["message"].split(":")[0] for f in document["findings"] if f["code"] == "FL000")


if __name__ == "__main__":
    sys.exit(main())

"""How long the runs a user waits for take: the pre-commit hook's path (issue 22).

    python bench/latency.py                      # a copy of this Python's stdlib
    python bench/latency.py --edits 20           # and 20 random edits checked against a full rebuild
    python bench/latency.py --path src --jobs 4  # a copy of your own tree

The tree is copied into a temporary directory (``--keep DIR`` to keep it),
made a git repository and committed, as a project under pre-commit is. Each
figure runs the installed ``flaglint`` console script as a subprocess,
exactly as ``.pre-commit-hooks.yaml`` does (``entry: flaglint check``, the
changed files as arguments), and reports its CPU time (user + system of the
child, from ``getrusage``) and its wall time:

* cold: ``flaglint check --jobs N .`` on an empty cache (fills it);
* warm, nothing changed: ``flaglint check .``;
* one changed file: an edit to ``--file`` (default ``json/decoder.py``), then
  ``flaglint check FILE``, as the hook calls it;
* ``flaglint --version`` and ``flaglint --help``;

and the ratios one-changed / cold and warm / cold. CPU time is the figure to
trust on a shared machine. The findings of every warm run are compared with
the cold run's (and, after ``--edits`` random edits, with a full rebuild from
the same cache, the memo removed): any difference is an error (exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

GOALS = {"one changed file": 1.0, "warm, nothing changed": 1.0, "--version": 0.15, "--help": 0.15}
CACHE = ".flaglint_cache"


def main(argv: Optional[Sequence[str]] = None) -> int:
    options = _parser().parse_args(argv)
    flaglint = shutil.which("flaglint", path=os.path.dirname(sys.executable)) or shutil.which("flaglint")
    if flaglint is None:
        print("latency: the flaglint console script is not installed", file=sys.stderr)
        return 2
    source = Path(options.path or sysconfig.get_paths()["stdlib"])
    work = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="flaglint-latency-"))
    tree = work / "tree"
    if not tree.exists():
        _copy(source, tree)
    shutil.rmtree(tree / CACHE, ignore_errors=True)
    print(f"flaglint {_version(flaglint)}; tree {tree} ({_count(tree)} Python files); jobs {options.jobs}")
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    rows: List[Tuple[str, float, float]] = []
    spent: Dict[str, List[Tuple[float, float]]] = {}

    def run(label: str, *args: str, record: bool = True) -> subprocess.CompletedProcess:
        cpu, wall, done = _timed([flaglint, *args], tree)
        if record:
            rows.append((label, cpu, wall))
        else:  # an edit's runs: "edit 3" -> "edit"
            spent.setdefault(label.split()[0], []).append((cpu, wall))
        if done.returncode not in (0, 1):
            print(f"latency: {label}: exit {done.returncode}\n{done.stderr}", file=sys.stderr)
            raise SystemExit(1)
        return done

    cold = run("cold", "check", "--jobs", str(options.jobs), "--format", "json", ".")
    baseline = _findings(cold.stdout)
    warm = run("warm, nothing changed", "check", "--format", "json", ".")
    mismatches = int(_findings(warm.stdout) != baseline)
    target = tree / options.file
    _append(target, "\n\nLATENCY_PROBE = False\nif LATENCY_PROBE:\n    print('probe')\n")
    one = run("one changed file", "check", "--format", "json", options.file)
    mine = [finding for finding in _findings(one.stdout) if finding[1] == options.file]
    if [finding[0] for finding in mine if finding[3] and finding[3].endswith("LATENCY_PROBE")] != ["FL001", "FL002"]:
        print(f"latency: the edit to {options.file} was not reported: {mine}", file=sys.stderr)
        mismatches += 1
    run("warm again, nothing changed", "check", "--format", "json", ".")
    run("--version", "--version")
    run("--help", "--help")
    _report(rows)  # before the edits, which take long: the figures are printed first
    mismatches += _edits(options.edits, options.seed, tree, run)
    _report_edits(spent)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    if mismatches:
        print(f"latency: {mismatches} run(s) disagreed with a full analysis", file=sys.stderr)
    return 1 if mismatches else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", help="the tree to copy (default: this Python's stdlib)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the cold run (default: 2)")
    parser.add_argument("--file", default="json/decoder.py", help="the file the one-file run edits")
    parser.add_argument("--edits", type=int, default=0, help="random edits, each checked against a full rebuild")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--keep", metavar="DIR", help="copy the tree into DIR/tree and keep it (reused if there)")
    return parser


def _copy(source: Path, tree: Path) -> None:
    """The tree's Python files (no site-packages, no caches), in a fresh git repository."""
    skip = shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc", CACHE)
    shutil.copytree(source, tree, ignore=skip, symlinks=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=tree, env=env, check=True, capture_output=True)


def _count(tree: Path) -> int:
    return sum(1 for _ in tree.rglob("*.py"))


def _version(flaglint: str) -> str:
    return subprocess.run([flaglint, "--version"], capture_output=True, text=True).stdout.strip().split()[-1]


def _timed(command: List[str], cwd: Path) -> Tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done


def _findings(stdout: str) -> List[tuple]:
    document = json.loads(stdout)
    return [
        (item["code"], item["path"], item["line"], item["flag"], item["message"], item["fingerprint"])
        for item in document["findings"]
    ]


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)


def _edits(count: int, seed: int, tree: Path, run) -> int:
    """``count`` random edits; after each, the warm run as the hook makes it
    (``check FILE`` on the file edited or added; ``check .`` after a
    deletion or no edit), with the memo and the cache as a user has them,
    must report what a full rebuild reports for the same files (the same
    cache, the memo removed, ``check .``). Returns how many disagreed."""
    rng = random.Random(seed)
    files = sorted(str(path.relative_to(tree)) for path in tree.rglob("*.py") if CACHE not in path.parts)
    mismatches = 0
    for step in range(count):
        what, named = _edit(rng, tree, files)
        warm = _findings(run(f"edit {step}", "check", "--format", "json", named or ".", record=False).stdout)
        (tree / CACHE / "analysis").unlink(missing_ok=True)
        full = _findings(run(f"rebuild {step}", "check", "--format", "json", ".", record=False).stdout)
        if named is not None:
            full = [finding for finding in full if finding[1] == named]
        status = "same" if warm == full else "DIFFERENT"
        mismatches += warm != full
        print(f"edit {step + 1}/{count}: {what}: {len(warm)} findings, {status}", flush=True)
    return mismatches


def _edit(rng: random.Random, tree: Path, files: List[str]) -> Tuple[str, Optional[str]]:
    """Add a flag read, remove a setter, rename a function, delete a file,
    add a file, or nothing; and the file to name to ``check`` (None: ``.``)."""
    kind = rng.choice(["add read", "remove setter", "rename function", "delete file", "add file", "nothing"])
    if kind == "nothing":
        return kind, None
    name = rng.choice(files)
    path = tree / name
    if kind == "delete file":
        files.remove(name)
        path.unlink()
        return f"{kind} {name}", None
    if kind == "add file":
        flag = f"ADDED_FLAG_{rng.randrange(10**6)}"
        added = str(Path(name).parent / f"edit_added_{flag.lower()}.py")
        (tree / added).write_text(f"{flag} = False\n\n\ndef run():\n    if {flag}:\n        return 1\n", "utf-8")
        files.append(added)
        return f"{kind} {added}", added
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    if kind == "add read":
        flag = f"EDIT_FLAG_{rng.randrange(10**6)}"
        text += f"\n\n{flag} = False\n\n\ndef _edit_{flag.lower()}():\n    if {flag}:\n        return 1\n"
    elif kind == "remove setter":
        setters = re.findall(r"(?m)^[ \t]*[\w.]+ = True[ \t]*$", text)
        if not setters:
            return f"{kind} {name}: none there", name
        line = rng.choice(setters)
        indent = line[: len(line) - len(line.lstrip())]
        text = text.replace(line, f"{indent}pass", 1)
    else:
        names = re.findall(r"(?m)^def (\w+)\(", text)
        if not names:
            return f"{kind} {name}: none there", name
        old = rng.choice(names)
        text = re.sub(rf"\b{old}\b", f"{old}_renamed", text)
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    return f"{kind} {name}", name


def _report_edits(spent: Dict[str, List[Tuple[float, float]]]) -> None:
    """Median and range of the edits' runs: the hook's warm run and the rebuild."""
    for label, what in (("edit", "edits: warm run as the hook makes it"), ("rebuild", "edits: full rebuild (no memo)")):
        found = sorted(spent.get(label, ()))
        if found:
            cpu = [item[0] for item in found]
            wall = sorted(item[1] for item in found)
            print(
                f"| {what} ({len(found)}) | median {statistics.median(cpu):.2f} ({min(cpu):.2f}-{max(cpu):.2f})"
                f" | median {statistics.median(wall):.2f} | | |"
            )


def _report(rows: List[Tuple[str, float, float]]) -> None:
    cold_cpu, cold_wall = next((cpu, wall) for label, cpu, wall in rows if label == "cold")
    print("\n| run | CPU s | wall s | goal (CPU) | |\n|---|---:|---:|---|---|")
    for label, cpu, wall in rows:
        goal = GOALS.get(label)
        verdict = "" if goal is None else ("met" if cpu <= goal else "**not met**")
        print(f"| {label} | {cpu:.2f} | {wall:.2f} | {'' if goal is None else f'<= {goal}'} | {verdict} |")
    for label in ("one changed file", "warm, nothing changed"):
        cpu, wall = next((cpu, wall) for name, cpu, wall in rows if name == label)
        print(f"| {label} / cold | {cpu / cold_cpu:.4f} | {wall / cold_wall:.4f} | | |")


if __name__ == "__main__":
    sys.exit(main())

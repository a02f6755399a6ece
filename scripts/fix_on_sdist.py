"""Try ``flaglint fix`` on a released project and check that its own tests
still pass: the numbers in docs/fix.md ("Tried on real projects").

    python scripts/fix_on_sdist.py jedi==0.20.1 --deps 'parso>=0.8.7,<0.9'
    python scripts/fix_on_sdist.py prompt_toolkit==3.0.53 --deps wcwidth --tests 'python -m pytest -q tests' --pythonpath src
    python scripts/fix_on_sdist.py ply==3.11 --tests 'cd test && python testlex.py && python testyacc.py'

In a temporary directory: download the sdist (``pip download --no-binary
:all:``, so it needs the network), unpack it, make a virtualenv with pytest
and ``--deps``, run its tests, ``flaglint fix --diff``, ``flaglint fix``, its
tests again, ``flaglint fix`` again, and compile every rewritten file.
Prints the diff and the counts; exits 1 if the counts differ, the second
run changed anything, or a rewritten file does not compile. The network
makes it a script, not a test: tests/test_fix_real_package.py runs the same
steps offline on a vendored slice of jedi.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path
from typing import Dict, List

#: "3874 passed", "4 failed", "Ran 42 tests", "FAILED (failures=5)"
_COUNTS = re.compile(
    r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)\b|Ran (\d+) tests?|(failures|errors)=(\d+)"
)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirement", help="NAME==VERSION")
    parser.add_argument("--deps", nargs="*", default=[], help="what its tests need besides pytest")
    parser.add_argument(
        "--tests", default="python -m pytest -q -p no:cacheprovider", help="its test command (run with sh)"
    )
    parser.add_argument(
        "--pythonpath", default="", help="PYTHONPATH for its tests, relative to the unpacked sdist (src)"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="flaglint-sdist-"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(work),
            args.requirement,
        ],
        check=True,
    )
    archive = next(work.glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(work)
    project = next(path for path in work.iterdir() if path.is_dir())
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "pytest", *args.deps], check=True
    )
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}", "PYTHONDONTWRITEBYTECODE": "1"}
    if args.pythonpath:
        env["PYTHONPATH"] = str(project / args.pythonpath)

    def tests() -> Dict[str, int]:
        run = subprocess.run(args.tests, shell=True, cwd=project, env=env, capture_output=True, text=True)
        counts = _counts(run.stdout + run.stderr)
        print(f"tests: {counts} (exit {run.returncode})", flush=True)
        return counts

    def flaglint(*extra: str) -> subprocess.CompletedProcess:
        run = subprocess.run(
            [sys.executable, "-m", "flaglint", "fix", *extra, "."], cwd=project, capture_output=True, text=True
        )
        print(run.stdout, end="")
        print("\n".join(line for line in run.stderr.splitlines() if ": skipped: " not in line), flush=True)
        return run

    print(f"{project.name} in {project}", flush=True)
    before = tests()
    flaglint("--diff")
    sources = _sources(project)
    flaglint()
    changed = [name for name, text in _sources(project).items() if sources.get(name) != text]
    broken = [name for name in changed if not _compiles(project / name)]
    after = tests()
    once = _sources(project)
    flaglint()
    again = [name for name, text in _sources(project).items() if once.get(name) != text]
    print(f"rewritten: {changed}; do not compile: {broken}; changed by a second run: {again}")
    print(f"tests before: {before}; after: {after}")
    return 0 if before == after and not broken and not again else 1


def _counts(output: str) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for count, outcome, ran, kind, failures in _COUNTS.findall(output):
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + int(count)
        elif ran:
            counts["ran"] = counts.get("ran", 0) + int(ran)
        else:
            counts[kind] = counts.get(kind, 0) + int(failures)
    return counts


def _sources(root: Path) -> Dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.py"))}


def _compiles(path: Path) -> bool:
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

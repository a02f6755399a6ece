"""Differential check of ``flaglint fix`` on a real tree: does it delete live code?

    python scripts/fix_differential.py TREE [--tests CMD] [--show-hunks] [--fix-arg ARG ...]

1. copies TREE to a temporary directory and runs ``flaglint fix --diff
   --no-cache`` there (nothing is written to TREE, ever);
2. applies the patch with ``git apply`` in a second copy;
3. for every function, class (a ``def``/``class`` line the patch deletes)
   and module (a file it deletes), greps the name as a word in every Python
   file left in that copy (``.py``, and a ``wscript`` or shebang script),
   and prints each hit for a person to judge (a
   same-named method of another class, a comment, a string: or a real
   reference, which would be a bug);
4. with ``--tests CMD``, runs CMD (a shell command, in the tree's root)
   before and after the patch and compares the exit status.

The patch, flaglint's stderr (what it removed and what it kept, with
reasons) and every hunk that deletes a definition (``--show-hunks``) are
printed so that each can be read by hand. Exit status: 0 when no deleted
name is mentioned any more and the tests (if any) pass as before, 1
otherwise, 2 when a step could not run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

_DEFINITION = re.compile(r"^-(?P<indent>[ \t]*)(?:async[ \t]+)?(?P<kind>def|class)[ \t]+(?P<name>\w+)")
_FILE = re.compile(r"^--- a/(?P<path>.+)$")
_HUNK = re.compile(r"^@@ -(?P<line>\d+)")


@dataclass
class Deleted:
    kind: str  # function / method / class / module
    name: str
    path: str
    line: int
    hunk: List[str] = field(default_factory=list)


def _parse(patch: str) -> Tuple[List[Deleted], Dict[str, int]]:
    """Definitions and modules the patch deletes; lines deleted per file."""
    deleted: List[Deleted] = []
    removed_lines: Dict[str, int] = {}
    path, line, hunk = "", 0, []  # type: Tuple[str, int, List[str]]
    pending: List[Deleted] = []
    deleting_file = False
    for raw in patch.splitlines():
        if raw.startswith("diff --git "):
            deleting_file = False
            continue
        if raw.startswith("deleted file mode"):
            deleting_file = True
            continue
        match = _FILE.match(raw)
        if match:
            for item in pending:
                item.hunk = hunk
            pending, hunk = [], []
            path = match.group("path")
            if deleting_file and path.endswith(".py"):
                stem = Path(path).stem
                name = Path(path).parent.name if stem == "__init__" else stem
                deleted.append(Deleted("module", name, path, 1))
            deleting_file = False  # a plain change has no ``diff --git`` line before it
            continue
        if raw.startswith("+++ "):
            continue
        match = _HUNK.match(raw)
        if match:
            for item in pending:
                item.hunk = hunk
            pending, hunk = [], [raw]
            line = int(match.group("line"))
            continue
        hunk.append(raw)
        if raw.startswith("-"):
            removed_lines[path] = removed_lines.get(path, 0) + 1
            match = _DEFINITION.match(raw)
            if match:
                kind = "class" if match.group("kind") == "class" else "function"
                if match.group("indent") and kind == "function":
                    kind = "method or nested function"
                item = Deleted(kind, match.group("name"), path, line)
                deleted.append(item)
                pending.append(item)
            line += 1
        elif not raw.startswith("+") and not raw.startswith("\\"):
            line += 1
    for item in pending:
        item.hunk = hunk
    return deleted, removed_lines


def _python_files(root: Path) -> List[Path]:
    """The ``.py`` files under ``root`` and the Python without the suffix
    that flaglint analyses too (a ``wscript``, a script whose shebang names
    python): a deleted helper can be called from either."""
    from flaglint.discover import python_script

    found = [
        path
        for path in root.rglob("*")
        if path.is_file() and (path.suffix == ".py" or python_script(str(path), path.name))
    ]
    return sorted(found)


def _mentions(root: Path, name: str) -> List[str]:
    """``path:line: text`` of every word match of ``name`` in the Python files."""
    word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
    hits = []
    for path in _python_files(root):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if name not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if word.search(line):
                hits.append(f"{path.relative_to(root).as_posix()}:{number}: {line.strip()[:120]}")
    return hits


def _copy(tree: Path, into: Path) -> Path:
    target = into / tree.name
    shutil.copytree(tree, target, symlinks=True, ignore=shutil.ignore_patterns(".flaglint_cache", "__pycache__"))
    return target


def _run_tests(command: str, root: Path) -> Tuple[int, str]:
    done = subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, errors="replace")
    tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
    return done.returncode, tail[0]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--tests", metavar="CMD", help="a shell command run in the tree before and after the patch")
    parser.add_argument("--show-hunks", action="store_true", help="print every hunk that deletes a definition")
    parser.add_argument("--fix-arg", action="append", default=[], help="an extra argument for flaglint fix")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs flaglint")
    options = parser.parse_args(argv)
    tree = options.tree.resolve()
    if not tree.is_dir():
        print(f"fix_differential: {tree} is not a directory", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fixdiff-") as work:
        before = _copy(tree, Path(work) / "before")
        fixed = subprocess.run(
            [options.python, "-m", "flaglint", "fix", "--diff", "--no-cache", *options.fix_arg],
            cwd=before,
            capture_output=True,
            text=True,
            errors="surrogateescape",
        )
        if fixed.returncode != 0:
            print(fixed.stderr, file=sys.stderr)
            print(f"fix_differential: flaglint fix --diff exited {fixed.returncode}", file=sys.stderr)
            return 2
        patch = fixed.stdout
        after = _copy(tree, Path(work) / "after")
        if patch:
            (Path(work) / "fix.patch").write_text(patch, encoding="utf-8", errors="surrogateescape")
            applied = subprocess.run(
                ["git", "apply", "--whitespace=nowarn", str(Path(work) / "fix.patch")],
                cwd=after,
                capture_output=True,
                text=True,
            )
            if applied.returncode != 0:
                print(applied.stderr, file=sys.stderr)
                print("fix_differential: git apply rejected the patch", file=sys.stderr)
                return 2
        deleted, removed_lines = _parse(patch)
        print(f"== flaglint fix --diff on {tree}")
        for line in fixed.stderr.splitlines():
            print(f"   {line}")
        print(f"== {len(removed_lines)} files changed, {sum(removed_lines.values())} lines removed")
        suspicious = 0
        for item in deleted:
            hits = _mentions(after, item.name)
            verdict = "no remaining mention" if not hits else f"{len(hits)} mention(s) left: judge each"
            print(f"-- deleted {item.kind} {item.name} ({item.path}:{item.line}): {verdict}")
            for hit in hits:
                print(f"     {hit}")
            if options.show_hunks and item.hunk:
                print("\n".join(f"   | {line}" for line in item.hunk))
            suspicious += bool(hits)
        counts: Dict[str, int] = {}
        for item in deleted:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "nothing"
        print(f"== deleted: {summary}; {suspicious} with mentions left")
        failed = suspicious > 0
        if options.tests:
            status_before, tail_before = _run_tests(options.tests, before)
            status_after, tail_after = _run_tests(options.tests, after)
            print(f"== tests before: exit {status_before} ({tail_before})")
            print(f"== tests after:  exit {status_after} ({tail_after})")
            failed = failed or status_after != status_before or status_after != 0
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Time what the hostile-input tests bound by counts, not by the clock.

tests/test_hostile_bounds.py asserts the work (a token count, the patterns
compiled, a memory cap) so that a busy machine cannot fail it; this script
reports the seconds, one line per case::

    python bench/hostile.py            # every case
    python bench/hostile.py exclude    # one of: exclude, single-line, dict

Run it alone (not beside another benchmark): times on a shared machine vary.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict

GATED = "ENABLE_X = False\n\ndef f():\n    if ENABLE_X:\n        g()\n"


def _check(tree: Dict[str, str]) -> float:
    """Seconds for ``flaglint check --no-cache --format json`` on ``tree``."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, text in tree.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        command = [sys.executable, "-P", "-m", "flaglint", "check", "--no-cache", "--format", "json"]
        subprocess.run(command, cwd=root, capture_output=True, check=False)
        return time.perf_counter() - started


def exclude() -> str:
    """20,000 exclude patterns on a 3-file tree: the patterns' own cost, and a whole run."""
    from flaglint import patterns

    lines = [f"gen{i}/*.py" for i in range(20_000)] + ["legacy/"]
    started = time.perf_counter()
    compiled, _bad = patterns.compile_patterns(lines)
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    for path in ("app.py", "gen7/", "gen7/excluded.py", "legacy/", "flaglint.toml"):
        compiled.match(path)
    matched = time.perf_counter() - started
    config = "exclude = [%s]\n" % ", ".join(f'"{line}"' for line in lines)
    with_patterns = _check(
        {"app.py": GATED, "gen7/excluded.py": GATED, "legacy/old.py": GATED, "flaglint.toml": config}
    )
    without = _check({"app.py": GATED, "gen7/excluded.py": GATED, "legacy/old.py": GATED})
    return (
        f"exclude: 20,001 patterns indexed in {indexed * 1000:.1f} ms, 5 paths matched in {matched * 1000:.1f} ms; "
        f"check {with_patterns:.2f} s with them, {without:.2f} s without"
    )


def single_line() -> str:
    """A 9 MB single-line module (FL000 by its token count)."""
    big = "X = [" + ", ".join("7" for _ in range(3_000_000)) + "]\n"
    return f"single-line: 9 MB module, check {_check({'app.py': GATED, 'big.py': big}):.2f} s"


def dict_literal() -> str:
    """A 300,000-entry dict literal (FL000 by its token count)."""
    table = "FLAGS = {\n" + "".join(f'    "f{i}": True,\n' for i in range(300_000)) + "}\n"
    return f"dict: 300,000 entries, check {_check({'table.py': table}):.2f} s"


CASES: Dict[str, Callable[[], str]] = {"exclude": exclude, "single-line": single_line, "dict": dict_literal}


def main() -> None:
    for name in sys.argv[1:] or list(CASES):
        print(CASES[name]())


if __name__ == "__main__":
    main()

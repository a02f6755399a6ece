"""``flaglint fix`` over generated programs: the result compiles and behaves
as before (issue 16, "Done when").

Each example is a module with a flag nothing sets, ``FLAG_DEAD = False``,
gating two programs hypothesmith drew: one at module level, one inside a
zero-argument function ``probe()`` (so a drawn ``yield``, ``global`` or
``nonlocal`` lands in a dead branch of a function). After ``fix``:

- the file compiles, as Python decodes its bytes;
- every zero-argument function of the module returns the same value or
  raises the same exception as before, and importing it does too. Both runs
  happen in a subprocess with a timeout, in an empty directory; a run that
  times out is not compared.

The issue's own reproductions are pinned as explicit examples. Examples are
derandomized and few, to keep this file to seconds; set
FLAGLINT_PROPERTY_EXAMPLES to search harder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Optional

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, example, given, settings

from flaglint.fix import run_fix, write_changes

#: a factor on every property test's examples: more to search harder, fewer
#: (0.2 in .ci/run on the Pythons after the first) to stay within CI's time
SCALE = float(os.environ.get("FLAGLINT_PROPERTY_EXAMPLES", "1"))
TIMEOUT = 10

#: imports the module at argv[1], calls its zero-argument functions, and
#: writes what happened to argv[2] as JSON
RUNNER = r"""
import importlib.util, inspect, json, sys

def outcome(call):
    try:
        value = call()
    except BaseException as error:  # SystemExit and KeyboardInterrupt too
        return ["raised", type(error).__name__]
    if inspect.isgenerator(value) or inspect.isasyncgen(value) or inspect.iscoroutine(value):
        if inspect.iscoroutine(value):
            value.close()
        return ["returned", type(value).__name__]
    try:
        text = repr(value)
    except BaseException as error:
        return ["returned", type(value).__name__, "repr raised " + type(error).__name__]
    return ["returned", type(value).__name__ if " at 0x" in text else text]

spec = importlib.util.spec_from_file_location("target", sys.argv[1])
module = importlib.util.module_from_spec(spec)
result = {"<import>": outcome(lambda: spec.loader.exec_module(module))}
for name, function in sorted(vars(module).items()):
    if inspect.isfunction(function) and function.__module__ == "target":
        try:
            parameters = inspect.signature(function).parameters.values()
        except (TypeError, ValueError):
            continue
        if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
            result[name] = outcome(function)
with open(sys.argv[2], "w") as handle:
    json.dump(result, handle)
"""


def _behaviour(path: Path) -> Optional[dict]:
    """What importing ``path`` and calling its zero-argument functions does,
    or None if that does not finish in time."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "result.json"
        try:
            subprocess.run(
                [sys.executable, "-I", "-c", RUNNER, str(path), str(out)],
                cwd=scratch,
                timeout=TIMEOUT,
                capture_output=True,
                env={"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "")},
            )
        except subprocess.TimeoutExpired:
            return None
        if not out.exists():  # killed by what it ran (os._exit, a crash)
            return None
        return json.loads(out.read_text())


def _module(top: str, inner: str) -> str:
    return (
        "FLAG_DEAD = False\n\n\n"
        f"if FLAG_DEAD:\n{textwrap.indent(top, '    ') or '    pass'}\n\n\n"
        f"def probe():\n    if FLAG_DEAD:\n{textwrap.indent(inner, '        ') or '        pass'}\n    return 'live'\n"
    )


def _compiles(source) -> bool:
    try:
        compile(source, "m.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


_programs = hypothesmith.from_grammar(auto_target=False)


def _place(program: str):
    """One program, drawn once (two draws double hypothesmith's own
    rejections and the time they cost), in both dead places, or in the one
    where it compiles (``return`` only in the function, ``from m import *``
    only at module level)."""
    for top, inner in ((program, program), ("pass\n", program), (program, "pass\n")):
        if _compiles(_module(top, inner)):
            return top, inner
    return None


_placed = _programs.map(_place).filter(lambda placed: placed is not None)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(
    max_examples=max(1, round(30 * SCALE)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(placed=_placed)
@example(placed=("pass\n", "yield 1\n"))
@example(placed=("pass\n", "global COUNT\nCOUNT = 1\n"))
@example(placed=("pass\n", "x = 1\n"))
@example(placed=("# coding: ascii\n", "pass\n"))
@example(placed=("import os\n", "yield from range(3)\nreturn 2\n"))
def test_fix_keeps_generated_modules_compiling_and_behaving(tmp_path_factory, placed):
    top, inner = placed
    source = _module(top, inner)
    assume(_compiles(source))
    root = tmp_path_factory.mktemp("fixprop")
    path = root / "m.py"
    path.write_text(source, encoding="utf-8")
    before = _behaviour(path)

    result = run_fix(["."], cwd=root)
    errors = write_changes(result)

    data = path.read_bytes()
    assert _compiles(data), (source, data)
    assert errors == []
    if data == source.encode("utf-8"):
        return  # refused (with a reason) or nothing to do
    after = _behaviour(path)
    if before is not None and after is not None:
        assert after == before, (source, data.decode("utf-8", "replace"))


def test_the_explicit_examples_do_change_the_file(tmp_path):
    """The property is not vacuous: the flag is baked in and the block goes."""
    path = tmp_path / "m.py"
    path.write_text(_module("pass\n", "yield 1\n"), encoding="utf-8")
    assert write_changes(run_fix(["."], cwd=tmp_path)) == []
    assert path.read_text(encoding="utf-8") == (
        "def probe():\n    return 'live'\n    yield  # unreachable: keeps probe() a generator\n"
    )
    assert _behaviour(path) == {"<import>": ["returned", "None"], "probe": ["returned", "generator"]}

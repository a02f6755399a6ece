"""How long ``flaglint server`` takes to answer a one-character edit (issue 23).

    python bench/server_latency.py                       # a copy of this Python's stdlib
    python bench/server_latency.py --keep /tmp/stdlib    # reuse (or keep) the copy
    python bench/server_latency.py --edits 10 --profile  # more edits; where an update's time goes

The tree is copied (no site-packages, no caches) and its facts cache filled
with ``flaglint check --jobs N .``, so the server starts warm, as it does in
an editor after a first ``check``. Then a real LSP client (pygls) starts
``python -m flaglint server`` over stdio with no debounce, opens ``--file``
(default ``json/decoder.py``) and times:

* start-up: from ``initialize`` to the first publish for the open file
  (configuration, discovery, facts from the cache, the first judgement);
* each edit: one character typed (or deleted again) at the end of the
  file's first line, from ``didChange`` to the publish for that version of
  the file: the wall time an editor waits. Two kinds (``KINDS``): a space,
  which leaves the file's facts as they were, and a line break, which
  moves every span below it, so the project is judged again. The server's
  CPU time per edit is read from ``/proc`` where there is one.

The debounce an editor adds (0.3 s by default, ``debounce`` in the
initialization options) is not included. ``--profile`` then runs the same
update in this process under cProfile and prints the stages it is made of.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from lsprotocol import types
from pygls.lsp.client import LanguageClient

CACHE = ".flaglint_cache"
GOAL = 0.3  # seconds of wall time, issue 23
#: the one-character edits timed, each typed at the end of the file's first
#: line and deleted again: a space leaves every fact equal (the server's
#: shortcut answers), a line break moves every span below it (the whole
#: project is judged again)
KINDS = {"a space (facts unchanged)": " ", "a line break (facts changed)": "\n"}


def main(argv: Optional[Sequence[str]] = None) -> int:
    options = _parser().parse_args(argv)
    source = Path(options.path or sysconfig.get_paths()["stdlib"])
    work = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="flaglint-server-"))
    tree = work / "tree"
    if not tree.exists():
        skip = shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc", CACHE)
        shutil.copytree(source, tree, ignore=skip, symlinks=True)
    files = sum(1 for _ in tree.rglob("*.py"))
    print(f"tree {tree} ({files} Python files); load average {os.getloadavg()[0]:.2f}")
    if not (tree / CACHE).exists():
        started = time.perf_counter()
        command = [sys.executable, "-m", "flaglint", "check", "--jobs", str(options.jobs), "--exit-zero", "."]
        subprocess.run(command, cwd=tree, check=True, capture_output=True)
        print(f"cache filled by a cold check in {time.perf_counter() - started:.1f} s wall")
    startup, results = asyncio.run(_measure(tree, options.file, options.edits))
    print(f"start-up, warm (initialize to the first publish for {options.file}): {startup * 1000:.0f} ms wall")
    for kind, (walls, cpus) in results.items():
        print(
            f"{kind}, {len(walls)} edits: median {statistics.median(walls) * 1000:.0f} ms wall, "
            f"min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}"
            + (f"; server CPU median {statistics.median(cpus) * 1000:.0f} ms" if cpus else "")
            + f"; goal {GOAL * 1000:.0f} ms wall: {'met' if statistics.median(walls) <= GOAL else 'not met'}"
        )
    if options.profile:
        _profile(tree, options.file)
    return 0


async def _measure(tree: Path, name: str, count: int):
    client = LanguageClient("server-latency", "1")
    published: Dict[str, List[types.PublishDiagnosticsParams]] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.setdefault(params.uri, []).append(params)
        arrived.set()

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def message(params: types.ShowMessageParams) -> None:
        print(f"server says: {params.message}", file=sys.stderr)

    await client.start_io(sys.executable, "-m", "flaglint", "server", cwd=str(tree))
    pid = client._server.pid if getattr(client, "_server", None) is not None else None
    path = tree / name
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")

    async def answered(version: Optional[int]) -> None:
        while not any(item.version == version for item in published.get(uri, ())):
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), timeout=600)

    started = time.perf_counter()
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tree.as_uri(),
            initialization_options={"debounce": 0},
        )
    )
    client.initialized(types.InitializedParams())
    document = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=document))
    await answered(1)
    startup = time.perf_counter() - started
    end = len(text.splitlines()[0])
    results: Dict[str, Tuple[List[float], List[float]]] = {}
    version = 1
    for kind, character in KINDS.items():
        walls, cpus = results.setdefault(kind, ([], []))
        for number in range(count * 2):  # type the character, then delete it again
            version += 1
            typed = number % 2 == 0
            stop = types.Position(line=0, character=end) if typed else _after(end, character)
            edit = types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=0, character=end), end=stop),
                text=character if typed else "",
            )
            before = _cpu(pid)
            started = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[edit],
                )
            )
            await answered(version)
            walls.append(time.perf_counter() - started)
            after = _cpu(pid)
            if before is not None and after is not None:
                cpus.append(after - before)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return startup, results


def _after(end: int, character: str) -> types.Position:
    """Where a character typed at the end of the first line ends."""
    return types.Position(line=1, character=0) if character == "\n" else types.Position(line=0, character=end + 1)


def _cpu(pid: Optional[int]) -> Optional[float]:
    """User + system CPU seconds of process ``pid`` and its threads (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _profile(tree: Path, name: str) -> None:
    """The same update in this process, under cProfile: the stages' cumulative times."""
    from flaglint.server.state import ProjectState

    state = ProjectState(tree)
    held = [(f.code, f.path, f.line, f.flag) for path in sorted(state.load()) for f in state.findings[path]]
    command = [sys.executable, "-m", "flaglint", "check", "--format", "json", "--exit-zero", "."]
    checked = json.loads(subprocess.run(command, cwd=tree, check=True, capture_output=True, text=True).stdout)
    expected = [(f["code"], f["path"], f["line"], f["flag"]) for f in checked["findings"]]
    print(f"findings held by the server equal to flaglint check's: {held == expected} ({len(held)} findings)")
    path = tree / name
    text = path.read_text(encoding="utf-8")
    state.update(path, "\n" + text)  # warm whatever is lazily built
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    state.update(path, text)  # every span moves back: a full judgement
    profile.disable()
    total = time.perf_counter() - started
    stats = pstats.Stats(profile)
    stages = {
        "extract the edited buffer": "extract_source",
        "build the flag graph": "build_graph",
        "find flag keys in text files": "find_references",
        "the analysis (FlagAnalysis)": "__init__ (analysis.py)",
        "run every rule": "run_rules",
        "selection, suppression, sort": "finalise",
    }
    print(f"one update in process (cProfile on): {total * 1000:.0f} ms")
    for label, wanted in stages.items():
        function, _, where = wanted.partition(" (")
        seconds = sum(
            row[3]
            for (file, _, func), row in stats.stats.items()  # type: ignore[attr-defined]
            if func == function and (not where or file.endswith(where.rstrip(")")))
        )
        print(f"  {label}: {seconds * 1000:.0f} ms")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="the tree to copy (default: this Python's stdlib)")
    parser.add_argument("--keep", metavar="DIR", help="copy the tree into DIR/tree, or reuse it")
    parser.add_argument("--file", default="json/decoder.py", help="the open file edited (relative to the tree)")
    parser.add_argument("--edits", type=int, default=3, help="how many times to type and delete each character")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the cold check")
    parser.add_argument("--profile", action="store_true", help="then profile one update in this process")
    return parser


if __name__ == "__main__":
    sys.exit(main())

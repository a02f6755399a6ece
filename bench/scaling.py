"""How the graph and rule stages grow with the size of a project.

    python bench/scaling.py                  # 1x, 10x, 100x (100x: 10,000 flags, 100,000 reads)
    python bench/scaling.py --scales 1 2 4   # a quicker curve

Generates a synthetic project per scale: at 1x, 100 flags and 1,000 reads
in 10 flag modules and 10 reader modules, with bool switches (half never
set), bit constants tested on a field (half never stored), an IntFlag family
per module, SDK keys read through OpenFeature and a wrapper, and a flagd
file defining the keys (some on, some off). Scale k multiplies the modules.

Each scale is extracted once (on a process pool, not timed as a result),
then the stages after extraction are timed on the same facts, best of
``--repeat``, in CPU time, with the facts frozen out of the collector's
reach as ``check`` has them: building the graph (symbols, wrappers, flags, networkx), the
analysis every rule shares (never-set flags, dead regions and functions,
collisions), and the rules themselves. The fitted exponent of time against
size (least squares in log-log space) says how they grow: 1.0 is linear.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from flaglint import api  # noqa: E402
from flaglint.config import Config  # noqa: E402
from flaglint.graph.analysis import FlagAnalysis  # noqa: E402
from flaglint.parallel import default_jobs  # noqa: E402
from flaglint.rules import RULES  # noqa: E402

FLAGS_PER_MODULE = 10
READS_PER_READER = 100


def generate(root: Path, modules: int) -> Dict[str, int]:
    """Write a project of ``modules`` flag modules and as many reader modules."""
    package = root / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sdk.py").write_text(
        "from openfeature import api\n\nclient = api.get_client()\n\n\n"
        "def is_on(key, default=False):\n    return client.get_boolean_value(key, default)\n"
    )
    flagd: Dict[str, dict] = {}
    reads = 0
    for m in range(modules):
        lines = ["import enum\n"]
        for f in range(FLAGS_PER_MODULE // 2):
            lines.append(f"ENABLE_{f} = {f % 2 == 0}\n")  # half never set
            lines.append(f"BIT_{f} = 1 << {f}\n")
        lines.append("\n\nclass Perm(enum.IntFlag):\n" + "".join(f"    P{b} = {1 << b}\n" for b in range(4)))
        lines.append("".join(f"KEY_{k} = 'feature-{m}-{k}'\n" for k in range(4)))
        (package / f"flags_{m}.py").write_text("".join(lines))
        for k in range(4):
            flagd[f"feature-{m}-{k}"] = {
                "state": "ENABLED",
                "variants": {"on": True, "off": False},
                "defaultVariant": "on" if k % 2 else "off",
            }
        body = [
            f"from app import flags_{m} as f\nfrom app.sdk import client, is_on\n\n\nclass Order:\n    flags = 0\n\n\n"
        ]
        body.append(
            "def store(order):\n"
            + "".join(f"    order.flags |= f.BIT_{b}\n" for b in range(0, FLAGS_PER_MODULE // 2, 2))
        )
        for r in range(READS_PER_READER // 4):
            f = r % (FLAGS_PER_MODULE // 2)
            body.append(
                f"\n\ndef handler_{r}(order):\n"
                f"    if f.ENABLE_{f}:\n        helper_{r}()\n"
                f"    if order.flags & f.BIT_{f}:\n        helper_{r}()\n"
                f"    if client.get_boolean_value(f.KEY_{r % 4}, False):\n        helper_{r}()\n"
                f"    if is_on('feature-{m}-{r % 4}'):\n        helper_{r}()\n"
                f"\n\ndef helper_{r}():\n    return {r}\n"
            )
            reads += 4
        (package / f"reader_{m}.py").write_text("".join(body))
    (root / "flags.flagd.json").write_text(json.dumps({"flags": flagd}))
    return {"modules": 2 * modules + 2, "flags": modules * (FLAGS_PER_MODULE + 8), "reads": reads}


def best(function: Callable[[], object], repeat: int) -> float:
    """The least CPU time (this process: the stages run in it) of ``repeat``
    calls: on a shared machine, wall time measures the neighbours too."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def exponent(sizes: Sequence[float], times: Sequence[float]) -> float:
    """Slope of log(time) against log(size), by least squares."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(value, 1e-9)) for value in times]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def main(argv: Sequence[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--base", type=int, default=10, help="flag modules at scale 1 (default 10: 100 flags, 1,000 reads)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    options = parser.parse_args(argv)
    config = Config(path=None, flag_sources=("flags.flagd.json",))
    rows: List[dict] = []
    print(
        f"{'scale':>5} {'files':>6} {'flags':>7} {'reads':>7} {'findings':>8} {'extract s':>9} {'graph s':>8} {'analysis s':>10} {'rules s':>8}"
    )
    for scale in options.scales:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            size = generate(root, options.base * scale)
            start = time.perf_counter()
            _, facts = api.collect_facts(["."], config, cwd=root, jobs=options.jobs)
            extract_time = time.perf_counter() - start
            sources = api.flag_sources(["."], config, root)
            # as check runs these stages (api._settled_heap): the collector
            # leaves the facts, built before and alive after, alone
            gc.freeze()
            graph_time = best(lambda: api.build_graph(facts, config, sources), options.repeat)
            graph = api.build_graph(facts, config, sources)

            def analyse():
                analysis = FlagAnalysis(graph)
                return analysis.never_set, analysis.dead_regions, analysis.dead_functions, analysis.collisions

            analysis_time = best(analyse, options.repeat)
            analysis = FlagAnalysis(graph)
            analyse_all = (analysis.never_set, analysis.dead_regions, analysis.dead_functions, analysis.collisions)
            del analyse_all
            findings: list = []
            rules_time = best(
                lambda: findings.__setitem__(
                    slice(None), [f for rule in RULES.values() for f in rule.check(graph, analysis)]
                ),
                options.repeat,
            )
            gc.unfreeze()
        rows.append({"scale": scale, **size, "graph": graph_time, "analysis": analysis_time, "rules": rules_time})
        print(
            f"{scale:>5} {size['modules']:>6} {size['flags']:>7} {size['reads']:>7} {len(findings):>8} {extract_time:>9.2f} "
            f"{graph_time:>8.3f} {analysis_time:>10.3f} {rules_time:>8.3f}"
        )
    if len(rows) >= 2:
        sizes = [row["reads"] for row in rows]
        print("fitted exponent (time ~ reads^k; 1.0 is linear):")
        for stage in ("graph", "analysis", "rules"):
            print(f"  {stage:<9} k = {exponent(sizes, [row[stage] for row in rows]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What each command imports: libcst, networkx and YAML only when a run needs them.

libcst costs half a second to import, networkx a quarter: ``--version``,
``--help`` and ``rules`` import neither, and a ``check`` whose facts all come
from the cache never loads libcst. Each case runs in a fresh interpreter
(``sys.modules`` of this one is full of everything the suite imported).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from conftest import write_tree
from flaglint import cache, cli, report

HEAVY = ("libcst", "networkx", "yaml")

_PROBE = """
import json, sys
from flaglint.cli import main
try:
    main(sys.argv[1:], prog_name="flaglint")
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def _imported(args: List[str], cwd: Path) -> List[str]:
    """The top-level packages ``flaglint ARGS`` imported, among HEAVY."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=True
    )
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    return [name for name in HEAVY if name in loaded]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["rules"], ["check", "--help"], ["explain", "FL001"]])
def test_light_commands_import_no_heavy_library(tmp_path, args):
    assert _imported(args, tmp_path) == []


def test_version_imports_nothing_but_click_and_the_cli(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "--version"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout == "flaglint, version 0.1.0\n"
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    ours = sorted(name for name in loaded if name == "flaglint")
    assert ours == ["flaglint"]
    assert "pathspec" not in loaded and "pickle" not in loaded


def test_a_warm_check_imports_neither_libcst_nor_networkx(tmp_path):
    write_tree(tmp_path, {"a.py": "FLAG = False\nif FLAG:\n    print(1)\n"})
    assert _imported(["check", "."], tmp_path) == ["libcst"]  # cold: extraction needs libcst
    assert _imported(["check", "."], tmp_path) == []  # warm: every fact from the cache


def test_the_graph_export_imports_networkx(tmp_path):
    write_tree(tmp_path, {"a.py": "FLAG = False\nif FLAG:\n    print(1)\n"})
    assert "networkx" in _imported(["graph", "--format", "json", "."], tmp_path)


def test_a_tree_with_a_yaml_source_imports_yaml_and_one_without_does_not(tmp_path):
    write_tree(tmp_path, {"a.py": "import os\nif os.environ.get('NEW_UI'):\n    print(1)\n"})
    assert "yaml" not in _imported(["check", "--no-cache", "."], tmp_path)
    write_tree(tmp_path, {"docker-compose.yml": "services:\n  web:\n    environment:\n      NEW_UI: '1'\n"})
    assert "yaml" in _imported(["check", "--no-cache", "."], tmp_path)


def test_the_cli_names_every_output_format_and_the_cache_directory():
    """The CLI names them itself so that --help imports neither the
    formatters nor the cache; these keep the copies equal."""
    assert cli.FORMAT_NAMES == tuple(sorted(report.FORMATS))
    assert cli.DEFAULT_CACHE_DIR == cache.DEFAULT_DIR

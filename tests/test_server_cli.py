"""``flaglint server`` on the command line: lazy, and a clear error without pygls."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import json, sys
{block}
from flaglint.cli import main
try:
    main(sys.argv[1:], prog_name="flaglint")
except SystemExit as exit:
    print(json.dumps([exit.code, sorted({{name.split(".")[0] for name in sys.modules}})]), file=sys.stderr)
"""

#: hides pygls and lsprotocol, as an environment without the ``server`` extra
_BLOCK = """
class _Hidden:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pygls", "lsprotocol"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, _Hidden())
"""


def _run(args, tmp_path, block=""):
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(block=block), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    *said, last = done.stderr.strip().splitlines()
    code, loaded = json.loads(last)
    return code, loaded, said, done.stdout


def test_server_help_imports_neither_pygls_nor_the_analysis(tmp_path):
    code, loaded, _, stdout = _run(["server", "--help"], tmp_path)
    assert code == 0
    assert "Run the language server" in stdout
    assert [name for name in ("pygls", "lsprotocol", "libcst", "networkx") if name in loaded] == []


def test_server_without_pygls_exits_2_saying_what_to_install(tmp_path):
    code, _, said, stdout = _run(["server"], tmp_path, _BLOCK)
    assert code == 2
    assert said == ["flaglint: error: flaglint server needs pygls: pip install 'flaglint[server]'"]
    assert stdout == ""


def test_the_top_level_help_lists_the_server(tmp_path):
    code, loaded, _, stdout = _run(["--help"], tmp_path)
    assert code == 0
    assert "  server " in stdout
    assert "pygls" not in loaded


@pytest.mark.parametrize(
    ("name", "modules"),
    [("pygls", ["protocol.py", "session.py"]), ("lsprotocol", ["convert.py", "protocol.py", "session.py"])],
)
def test_only_the_protocol_modules_import_pygls(name, modules):
    """state, lookup and edits are library code: usable (and tested) without the extra."""
    import re
    from pathlib import Path

    server = Path(__file__).resolve().parent.parent / "flaglint" / "server"
    statement = re.compile(rf"^\s*(?:from|import) {name}\b", re.M)
    importing = sorted(path.name for path in server.glob("*.py") if statement.search(path.read_text()))
    assert importing == modules

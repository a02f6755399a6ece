"""A real editor nobody here wrote: Neovim's built-in LSP client, configured
exactly as docs/editors.md says (its ``nvim-0.7`` block), opens a file and
the diagnostics it received are read back. Skips where nvim is absent
(``.ci/run`` installs Debian's neovim, 0.7.2)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_tree

NVIM = shutil.which("nvim")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "editors.md"

pytestmark = [
    pytest.mark.skipif(NVIM is None, reason="nvim is not installed (apt-get install neovim; .ci/run installs it)"),
    pytest.mark.skipif(importlib.util.find_spec("pygls") is None, reason="pygls (the server extra) is not installed"),
]

#: after the documented set-up: wait for the buffer's diagnostics, write them, quit
REPORT = """
local out = os.getenv("FLAGLINT_NVIM_OUT")
local waited = 0
local function poll()
  local found = vim.diagnostic.get(0)
  if #found > 0 or waited > 1200 then
    local lines = {}
    for _, d in ipairs(found) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
      table.insert(lines, string.format("%s %d:%d %s", code, d.lnum + 1, d.col + 1, d.source or ""))
    end
    table.sort(lines)
    local f = io.open(out, "w")
    f:write(table.concat(lines, "\\n") .. "\\n")
    f:close()
    vim.cmd("qa!")
  else
    waited = waited + 1
    vim.defer_fn(poll, 100)
  end
end
vim.defer_fn(poll, 100)
"""


def documented_setup() -> str:
    """The Lua block docs/editors.md gives for Neovim 0.7."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- nvim-0.7 -->\n```lua\n(.*?)```", text, re.S)
    assert found is not None, "docs/editors.md lost its nvim-0.7 block"
    return found.group(1)


def test_the_documented_setup_starts_flaglint_server():
    assert 'cmd = { "flaglint", "server" }' in documented_setup()


def test_neovim_receives_the_diagnostics(tmp_path):
    root = tmp_path / "project"
    write_tree(
        root,
        {
            "flags.py": "NEW_UI = False\n",
            "view.py": 'import flags\n\nif flags.NEW_UI:\n    print("new")\n',
        },
    )
    # the documented command, run by this interpreter (flaglint may not be on PATH)
    command = ", ".join(f'"{part}"' for part in (sys.executable, "-m", "flaglint", "server", "--no-cache"))
    setup = documented_setup().replace('cmd = { "flaglint", "server" }', "cmd = { " + command + " }")
    init = tmp_path / "init.lua"
    init.write_text(setup + REPORT, encoding="utf-8")
    out = tmp_path / "diagnostics.txt"
    env = {**os.environ, "FLAGLINT_NVIM_OUT": str(out), "XDG_STATE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run(
        [NVIM, "--headless", "-n", "-i", "NONE", "-u", str(init), "view.py"],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text() == "FL002 4:5 flaglint\n"

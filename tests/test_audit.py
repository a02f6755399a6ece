"""``flaglint audit``: the inventory, its four formats, git ages, the CLI,
and the HTML report as a browser renders it."""

from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path

import jsonschema
import pytest

from flaglint.audit import FORMATS, STATUSES, audit, render
from flaglint.audit import ages as ages_module
from flaglint.audit import markdown
from flaglint.audit.ages import parse_porcelain
from flaglint.cli import audit as audit_command

import headless
from conftest import git, run_cli, write_tree

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knight_capital"

KNIGHT_STATUSES = {
    "smars.config.ENABLE_CANCEL_ON_DISCONNECT": "dead",
    "smars.legacy.power_peg.POWER_PEG": "reused",
    "smars.protocol.RLP": "reused",
    "smars.config.ENABLE_SMART_ROUTING": "live",
    "smars.config.ENABLE_AUDIT_TRAIL": "live",
    "smars.protocol.ODD_LOT": "live",
    "smars.order.OrderType.LIMIT": "unused",
    "smars.order.OrderType.MARKET": "unused",
    "smars.order.OrderType.IOC": "unused",
}


@pytest.fixture(scope="module")
def knight():
    return audit(["."], cwd=FIXTURE, ages=False)


def by_name(inventory):
    return {entry.name: entry for entry in inventory.flags}


# --------------------------------------------------------------------------- inventory


def test_knight_statuses_exactly(knight):
    assert {entry.name: entry.status for entry in knight.flags} == KNIGHT_STATUSES


def test_knight_inventory_sites(knight):
    flags = by_name(knight)
    dead = flags["smars.config.ENABLE_CANCEL_ON_DISCONNECT"]
    assert dead.kind == "bool" and dead.value == "False"
    assert [str(location) for location in dead.definitions] == ["smars/config.py:5"]
    assert dead.set_by == [] and dead.setters == []
    assert [(str(read), read.gate) for read in dead.reads] == [("smars/router.py:18", (19, 20))]
    assert dead.gated_lines == 2
    assert [(str(location), location.note) for location in dead.dead_code] == [
        ("smars/router.py:24", "_cancel_children()")
    ]
    assert (dead.dead_lines, dead.dead_files) == (5, 1)

    peg = flags["smars.legacy.power_peg.POWER_PEG"]
    assert (peg.kind, peg.bit, peg.value) == ("bit", 0x20, "0x20")
    assert peg.set_by == []  # a bit's non-zero definition turns nothing on
    assert [(str(read), read.gate) for read in peg.reads] == [("smars/legacy/power_peg.py:9", (10, 11))]
    assert peg.related == ["smars.protocol.RLP"]
    assert any("RLP" in note and "0x20" in note for note in peg.notes)

    rlp = flags["smars.protocol.RLP"]
    assert rlp.reads == [] and rlp.gated_lines == 0
    assert [(str(location), location.note) for location in rlp.setters] == [("smars/protocol.py:8", "set on .flags")]
    assert rlp.set_by == ["stored into .flags"]
    assert rlp.related == ["smars.legacy.power_peg.POWER_PEG"]

    trail = flags["smars.config.ENABLE_AUDIT_TRAIL"]
    assert trail.set_by == ["an attribute assignment"]
    assert [(str(location), location.note) for location in trail.setters] == [
        ("smars/boot.py:7", "attribute assignment")
    ]

    routing = flags["smars.config.ENABLE_SMART_ROUTING"]
    assert [str(location) for location in routing.setters] == ["smars/config.py:3"]

    member = flags["smars.order.OrderType.IOC"]
    assert (member.kind, member.bit) == ("member", 4)


def test_knight_flags_sorted_most_urgent_first(knight):
    order = [STATUSES.index(entry.status) for entry in knight.flags]
    assert order == sorted(order)
    assert knight.flags[0].name == "smars.config.ENABLE_CANCEL_ON_DISCONNECT"


def test_knight_bit_table_highlights_the_collision(knight):
    tables = {table.family: table for table in knight.families}
    field = tables["field .flags"]
    rows = {row.bit: row for row in field.bits}
    assert rows[0x20].names == ("POWER_PEG", "RLP") and rows[0x20].collision
    assert rows[0x1].names == ("ODD_LOT",) and not rows[0x1].collision
    assert [row.names for row in tables["scope smars.order.OrderType"].bits] == [("LIMIT",), ("MARKET",), ("IOC",)]
    assert sum(table.collisions for table in knight.families) == 1


def test_summary_counts(knight):
    summary = knight.summary
    assert summary["flags"] == 9 and summary["files"] == 9
    assert summary["by_status"] == {
        "dead": 1,
        "reused": 2,
        "alias-collision": 0,
        "undeclared": 0,
        "never-set": 0,
        "always-on": 0,
        "unused": 3,
        "mentioned-nowhere": 0,
        "outside-python": 0,
        "live": 3,
        "not-a-flag": 0,
    }
    assert summary["by_kind"] == {"bool": 3, "bit": 3, "member": 3}
    assert summary["dead_lines"] == 5  # the block (2 lines) and _cancel_children (3)
    assert summary["collisions"] == 1


def test_other_statuses(tmp_path):
    write_tree(
        tmp_path,
        {
            "app.py": (
                "import enum\n\nDEBUG = False\nQUIET = False\nSPARE = False\nLOUD = False\n\n"
                "class Perm(enum.IntFlag):\n    R = 1\n    X = 4\n    EXEC = 4\n\n"
                "def f(x, obj):\n    y = QUIET or x\n    setattr(obj, 'LOUD', True)\n    if LOUD:\n        print(y)\n"
                "    return x and DEBUG\n"
            ),
        },
    )
    flags = {entry.short: entry for entry in audit(["."], cwd=tmp_path, ages=False).flags}
    assert {name: entry.status for name, entry in flags.items()} == {
        "X": "alias-collision",
        "EXEC": "alias-collision",
        "QUIET": "never-set",  # read, gates no block
        "DEBUG": "never-set",  # only passed on as a value: always false
        "R": "unused",
        "SPARE": "unused",
        "LOUD": "live",
    }
    assert [(str(location), location.note) for location in flags["LOUD"].setters] == [("app.py:15", "setattr")]
    assert any("EXEC" in note for note in flags["X"].notes)


def test_named_file_lists_only_its_flags_but_judges_the_project(tmp_path):
    write_tree(
        tmp_path,
        {
            "flaglint.toml": "",
            "settings.py": "ON = False\nOFF = False\n",
            "boot.py": "import settings\n\ndef boot():\n    settings.ON = True\n",
            "app.py": "import settings\n\ndef f():\n    if settings.ON:\n        g()\n    if settings.OFF:\n        g()\n",
            "other.py": "LONE = False\n",
        },
    )
    flags = {entry.short: entry.status for entry in audit(["app.py"], cwd=tmp_path, ages=False).flags}
    assert flags == {"ON": "live", "OFF": "dead"}


# --------------------------------------------------------------------------- formats

FLAG_SCHEMA = {
    "type": "object",
    "required": [
        "name",
        "short",
        "kind",
        "status",
        "family",
        "value",
        "bit",
        "definitions",
        "set_by",
        "setters",
        "reads",
        "gated_lines",
        "notes",
        "related",
        "dead_code",
        "first_commit",
        "last_commit",
    ],
    "properties": {
        "name": {"type": "string"},
        "kind": {"enum": ["bool", "bit", "member"]},
        "status": {"enum": list(STATUSES)},
        "bit": {"type": ["integer", "null"]},
        "gated_lines": {"type": "integer", "minimum": 0},
        "set_by": {"type": "array", "items": {"type": "string"}},
        "definitions": {"type": "array", "items": {"$ref": "#/$defs/location"}},
        "setters": {"type": "array", "items": {"$ref": "#/$defs/location"}},
        "reads": {
            "type": "array",
            "items": {
                "allOf": [{"$ref": "#/$defs/location"}],
                "required": ["kind", "gate", "gated_lines"],
                "properties": {
                    "gate": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["line", "end_line"],
                                "properties": {"line": {"type": "integer"}},
                            },
                        ]
                    }
                },
            },
        },
        "first_commit": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/commit"}]},
        "last_commit": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/commit"}]},
    },
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "flags", "families", "summary"],
    "properties": {
        "flags": {"type": "array", "items": FLAG_SCHEMA},
        "families": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["family", "collisions", "bits"],
                "properties": {
                    "bits": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["bit", "hex", "names", "flags", "collision"],
                            "properties": {
                                "bit": {"type": "integer"},
                                "hex": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
                                "names": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                                "collision": {"type": "boolean"},
                            },
                        },
                    }
                },
            },
        },
        "summary": {
            "type": "object",
            "required": [
                "flags",
                "files",
                "by_status",
                "by_kind",
                "gated_lines",
                "dead_lines",
                "families",
                "collisions",
            ],
            "properties": {"by_status": {"type": "object", "required": list(STATUSES)}},
        },
    },
    "$defs": {
        "location": {
            "type": "object",
            "required": ["path", "line", "column", "end_line"],
            "properties": {"path": {"type": "string"}, "line": {"type": "integer", "minimum": 1}},
        },
        "commit": {
            "type": "object",
            "required": ["commit", "date", "time", "author", "summary"],
            "properties": {"commit": {"type": "string", "pattern": "^[0-9a-f]{40}$"}, "date": {"type": "string"}},
        },
    },
}


def test_json_format_matches_schema():
    result = run_cli("audit", "--format", "json", "--no-ages", cwd=FIXTURE)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert {flag["name"]: flag["status"] for flag in document["flags"]} == KNIGHT_STATUSES
    assert document["summary"]["by_status"]["reused"] == 2
    field = next(table for table in document["families"] if table["family"] == "field .flags")
    row = next(row for row in field["bits"] if row["bit"] == 0x20)
    assert row["names"] == ["POWER_PEG", "RLP"] and row["collision"] is True and row["hex"] == "0x20"
    dead = next(flag for flag in document["flags"] if flag["status"] == "dead")
    assert dead["reads"][0] == {
        "path": "smars/router.py",
        "line": 18,
        "column": 8,
        "end_line": 18,
        "kind": "truth",
        "gate": {"line": 19, "end_line": 20},
        "gated_lines": 2,
    }


def test_schema_rejects_a_broken_document(knight):
    document = knight.to_dict()
    document["flags"][0]["status"] = "sleepy"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_markdown_bit_table_row_for_0x20_names_both(knight):
    text = render(knight, "markdown")
    section = text.split("### field .flags", 1)[1].split("###", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `0x20`")]
    assert len(rows) == 1
    assert "POWER_PEG" in rows[0] and "RLP" in rows[0] and "collision" in rows[0]
    assert re.search(r"^\| \*\*dead\*\* \| `smars\.config\.ENABLE_CANCEL_ON_DISCONNECT` \| bool \|", text, re.M)
    header = next(line for line in text.splitlines() if line.startswith("| Status"))
    assert "First commit" not in header  # no ages asked for


def test_markdown_cells_escape_pipes():
    assert markdown._code("a|b") == "`a\\|b`"
    assert markdown._code("x`y") == "``x`y``"
    # a line break is escaped (flaglint/printable.py), then Markdown's own
    # backslash escape: rendered, the cell reads a|b\nc
    assert markdown._cell("a|b\nc") == "a\\|b\\\\nc"
    assert markdown._code("a\nb") == "`a\\nb`"


def test_text_format(knight):
    text = render(knight, "text")
    lines = text.splitlines()
    assert lines[0] == "flaglint audit: 9 flags in 9 files: act on 1 dead, 2 reused, 3 unused; 3 live"
    header = next(line for line in lines if line.startswith("STATUS"))
    assert header.split() == ["STATUS", "KIND", "FLAG", "VALUE", "DEFINED", "READS", "GATED"]
    row = next(line for line in lines if line.startswith("dead "))
    assert row.split() == [
        "dead",
        "bool",
        "smars.config.ENABLE_CANCEL_ON_DISCONNECT",
        "False",
        "smars/config.py:5",
        "1",
        "2",
    ]
    assert re.search(r"^\s+0x20\s+POWER_PEG, RLP\s+<< COLLISION", text, re.M)
    assert "  set at   smars/boot.py:7 (attribute assignment)" in lines


def test_html_is_one_self_contained_file_with_the_data(knight, tmp_path):
    page = render(knight, "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<link\b|\bsrc\s*=|@import|url\(", page, re.I)
    assert page.count("<style>") == 1 and "<script>" in page
    for name, status in KNIGHT_STATUSES.items():
        short = name.rsplit(".", 1)[1]
        assert re.search(rf'<tr data-status="{status}"[^>]*>.*?>{short}</div>', page), name
    data = re.search(r'<script type="application/json" id="flaglint-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(data) == json.loads(json.dumps(knight.to_dict()))
    assert 'id="q"' in page and 'id="status"' in page  # the text box and the status filter
    assert re.search(
        r'<tr class="collision"><td><code>0x20</code></td><td><span class="bit-flag">POWER_PEG, RLP</span>', page
    )


def test_html_escapes_what_it_shows(tmp_path):
    write_tree(tmp_path, {"<q>&/app.py": "X = False\n\ndef f():\n    if X:\n        g()\n"})
    inventory = audit(["."], cwd=tmp_path, ages=False)
    assert [entry.defined_at for entry in inventory.flags] == ["<q>&/app.py:1"]
    page = render(inventory, "html")
    assert "<q>" not in page and "&lt;q&gt;&amp;/<wbr>app.py:1" in page
    data = re.search(r'id="flaglint-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and json.loads(data)["flags"][0]["definitions"][0]["path"] == "<q>&/app.py"


def test_every_format_renders_an_empty_inventory(tmp_path):
    write_tree(tmp_path, {"a.py": "x = 1\n"})
    inventory = audit(["."], cwd=tmp_path, ages=False)
    assert inventory.flags == []
    for name in FORMATS:
        assert render(inventory, name)
    assert json.loads(render(inventory, "json"))["summary"]["flags"] == 0
    with pytest.raises(ValueError):
        render(inventory, "xml")


# --------------------------------------------------------------------------- git ages


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

APP_V1 = "ENABLE_X = False\nON = True\n\n\ndef f():\n    if ENABLE_X:\n        g()\n    if ON:\n        h()\n    if ENABLE_X:\n        k()\n"
#: the first read of ENABLE_X changes, the second does not; ON gets a second binding
APP_V2 = APP_V1.replace("    if ENABLE_X:\n        g()", "    if ENABLE_X:  # still off\n        g()") + "\nON = True\n"


@needs_git
def test_ages_first_and_last_commit(tmp_path):
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"app.py": APP_V1})
    git(tmp_path, "add", "app.py")
    git(tmp_path, "commit", "-q", "-m", "add flags", date="2020-01-02T03:04:05+00:00")
    first = git(tmp_path, "rev-parse", "HEAD")
    write_tree(tmp_path, {"app.py": APP_V2})
    git(tmp_path, "commit", "-q", "-am", "touch the read", date="2021-06-07T08:09:10+00:00")
    second = git(tmp_path, "rev-parse", "HEAD")

    flags = {entry.short: entry for entry in audit(["."], cwd=tmp_path).flags}
    x, on = flags["ENABLE_X"], flags["ON"]
    assert x.first_commit.commit == first and x.first_commit.date == "2020-01-02"
    assert x.last_commit.commit == second and x.last_commit.summary == "touch the read"
    assert on.first_commit.commit == first  # the earliest of its two definitions
    assert on.last_commit.commit == second  # its second binding is a set line
    document = json.loads(render(audit(["."], cwd=tmp_path), "json"))
    entry = next(flag for flag in document["flags"] if flag["short"] == "ENABLE_X")
    assert entry["first_commit"]["commit"] == first and entry["last_commit"]["commit"] == second
    jsonschema.validate(document, SCHEMA)


@needs_git
def test_ages_blank_for_untracked_and_uncommitted_lines(tmp_path):
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"app.py": APP_V1})
    git(tmp_path, "add", "app.py")
    git(tmp_path, "commit", "-q", "-m", "one")
    committed = git(tmp_path, "rev-parse", "HEAD")
    write_tree(tmp_path, {"app.py": APP_V2, "new.py": "NEW = False\n\ndef f():\n    if NEW:\n        g()\n"})
    flags = {entry.short: entry for entry in audit(["."], cwd=tmp_path).flags}
    assert flags["NEW"].first_commit is None and flags["NEW"].last_commit is None
    assert flags["ENABLE_X"].first_commit is not None
    assert flags["ENABLE_X"].last_commit.commit == committed  # its changed read line is not committed yet
    assert flags["ON"].first_commit.commit == committed


@needs_git
def test_one_git_blame_per_file(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    write_tree(
        tmp_path,
        {
            "flags.py": "A = False\nB = False\nC = True\n",
            "app.py": "from flags import A, B, C\n\ndef f():\n    if A:\n        g()\n    if B:\n        g()\n    if C:\n        g()\n",
            "plain.py": "x = 1\n",
        },
    )
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "one")
    calls = []
    real = ages_module.git

    def counting(args, cwd, stdin=None):
        calls.append((args[0], args[-1]))
        return real(args, cwd, stdin)

    monkeypatch.setattr(ages_module, "git", counting)
    inventory = audit(["."], cwd=tmp_path)
    assert sorted(calls) == [("blame", "app.py"), ("blame", "flags.py")]
    assert all(entry.first_commit and entry.last_commit for entry in inventory.flags)


def test_without_git_ages_are_blank_not_errors(tmp_path, monkeypatch):
    write_tree(tmp_path, {"app.py": APP_V1})
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    inventory = audit(["."], cwd=tmp_path)
    assert inventory.flags and all(
        entry.first_commit is None and entry.last_commit is None for entry in inventory.flags
    )
    result = run_cli("audit", "--format", "markdown", "-j", "1", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "ENABLE_X" in result.stdout


def test_outside_a_repository_ages_are_blank(tmp_path):
    write_tree(tmp_path, {"app.py": APP_V1})
    inventory = audit(["."], cwd=tmp_path)
    assert all(entry.first_commit is None and entry.last_commit is None for entry in inventory.flags)


def test_parse_porcelain():
    sha1, sha2, zero = "1" * 40, "2" * 40, "0" * 40
    output = (
        f"{sha1} 1 1 2\nauthor Ann\nauthor-mail <a@x>\nauthor-time 1577934245\nauthor-tz +0000\n"
        f"summary first one\nfilename app.py\n\tA = False\n"
        f"{sha1} 2 2\n\tB = True\n"
        f"{sha2} 3 3 1\nauthor Bob\nauthor-time 1623053350\nsummary second\nfilename app.py\n\tif A:\n"
        f"{zero} 4 4 1\nauthor Not Committed Yet\nauthor-time 1700000000\nsummary Version of app.py from app.py\n"
        f"filename app.py\n\t    g()\n"
    )
    ages = parse_porcelain(output)
    assert sorted(ages) == [1, 2, 3]
    assert ages[1].commit == sha1 and ages[2] is ages[1] and ages[1].author == "Ann" and ages[1].date == "2020-01-02"
    assert ages[3].commit == sha2 and ages[3].summary == "second"


# --------------------------------------------------------------------------- CLI


def test_cli_formats_are_the_library_formats():
    option = next(param for param in audit_command.params if param.name == "output_format")
    assert list(option.type.choices) == list(FORMATS)


def test_cli_exits_0_with_findings_and_writes_output(tmp_path):
    out = tmp_path / "audit.html"
    result = run_cli("audit", "--format", "html", "--output", str(out), "--no-ages", cwd=FIXTURE)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "9 flags in 9 files" in result.stderr and str(out) in result.stderr
    assert "POWER_PEG" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["audit", "--format", "xml"], "Invalid value for '--format'"),
        (["audit", "missing-dir"], "path does not exist: missing-dir"),
        (["audit", "--against", "no-such-rev"], "flaglint: error:"),
        (["audit", "--output", "no-such-dir/out.txt", "--no-ages"], "cannot write no-such-dir/out.txt"),
        (["audit", "--config", "nope.toml"], "config file not found"),
    ],
)
def test_cli_usage_errors_exit_2(args, message, tmp_path):
    write_tree(tmp_path, {"app.py": APP_V1})
    result = run_cli(*args, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- in a browser
# A real Chromium (installed by .ci/run when it can be) loads the report and
# gets real clicks and key presses; the tests read what is on the screen:
# the rows that are displayed, in the order they are displayed.

BROWSER = headless.find_browser()
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH")

#: (status badge, flag name) of each row shown, in order (as rendered: most urgent first)
KNIGHT_ROWS = [
    ("dead", "ENABLE_CANCEL_ON_DISCONNECT"),
    ("reused", "POWER_PEG"),
    ("reused", "RLP"),
    ("unused", "IOC"),
    ("unused", "LIMIT"),
    ("unused", "MARKET"),
    ("live", "ENABLE_AUDIT_TRAIL"),
    ("live", "ENABLE_SMART_ROUTING"),
    ("live", "ODD_LOT"),
]
SHOWN_ROWS = """Array.from(document.querySelectorAll('#flags tbody tr'))
    .filter(function (row) { return row.getClientRects().length > 0; })
    .map(function (row) { return [row.cells[0].innerText.trim(), row.querySelector('.name').innerText.trim(),
                                  row.cells[6].innerText.trim()]; })"""


@pytest.fixture(scope="module")
def knight_page(knight, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "audit.html"
    path.write_text(render(knight, "html"), encoding="utf-8")
    with headless.Page(BROWSER, width=1400, height=1000) as page:
        page.call("Runtime.enable")
        yield page, path.as_uri()


def _open(knight_page):
    page, url = knight_page
    page.open(url)
    return page


def _shown(page):
    return [(status, name) for status, name, _ in page.evaluate(SHOWN_ROWS)]


def _counter(page):
    return page.evaluate("document.getElementById('shown').innerText")


def _errors(page):
    return [
        event["params"]["exceptionDetails"] for event in page._events if event["method"] == "Runtime.exceptionThrown"
    ]


@needs_browser
def test_browser_shows_every_flag_and_the_collision(knight_page):
    page = _open(knight_page)
    assert _errors(page) == []
    assert _shown(page) == KNIGHT_ROWS
    assert _counter(page) == "9 of 9 flags shown"
    collision = page.evaluate("document.querySelector('table.bits tr.collision').innerText")
    assert collision.split() == [
        "0x20",
        "POWER_PEG,",
        "RLP",
        "smars.legacy.power_peg.POWER_PEG",
        "smars.protocol.RLP",
        "collision",
    ]
    cards = page.evaluate(
        "Array.from(document.querySelectorAll('.card')).map(function (c) { return c.innerText.split(/\\s+/).join(' '); })"
    )
    assert cards == [
        "1 dead",
        "2 reused",
        "0 alias-collision",
        "0 undeclared",
        "0 never-set",
        "0 mentioned-nowhere",
        "0 always-on",
        "3 unused",
        "0 outside-python",
        "3 live",
    ]
    shot = page.screenshot()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", shot[16:24]) == (1400, 1000)
    assert len(shot) > 30_000, "the screenshot is nearly blank"


@needs_browser
def test_browser_filter_typed_into_the_box(knight_page):
    page = _open(knight_page)
    page.click("#q")
    page.type("order")
    assert _shown(page) == [("unused", "IOC"), ("unused", "LIMIT"), ("unused", "MARKET")]
    assert _counter(page) == "3 of 9 flags shown"
    page.backspace(5)
    assert _shown(page) == KNIGHT_ROWS
    assert _counter(page) == "9 of 9 flags shown"
    page.type("Ioc")  # case does not matter
    assert _shown(page) == [("unused", "IOC")]
    assert _counter(page) == "1 of 9 flags shown"
    page.type("x")
    assert _shown(page) == []
    assert _counter(page) == "0 of 9 flags shown"


@needs_browser
def test_browser_filter_by_status_card_and_list(knight_page):
    page = _open(knight_page)
    page.click('.card[data-filter-status="reused"]')
    assert _shown(page) == [("reused", "POWER_PEG"), ("reused", "RLP")]
    assert page.evaluate("document.getElementById('status').value") == "reused"
    page.click("#q")
    page.type("power_peg.py:5")  # text and status together: only POWER_PEG is defined there
    assert _shown(page) == [("reused", "POWER_PEG")]
    page.select("#status", "")
    assert _shown(page) == [("reused", "POWER_PEG")]
    page.select("#status", "live")
    assert _shown(page) == []
    page.open(knight_page[1])
    page.click('.card[data-filter-status="dead"]')
    page.click('.card[data-filter-status="dead"]')  # a second click shows everything again
    assert _shown(page) == KNIGHT_ROWS


@needs_browser
def test_browser_sorts_by_the_clicked_column(knight_page):
    page = _open(knight_page)
    page.click("#flags th:nth-child(7)")  # Gated lines: ascending, then descending
    assert page.evaluate(SHOWN_ROWS)[0][2] == "0"
    page.click("#flags th:nth-child(7)")
    rows = page.evaluate(SHOWN_ROWS)
    assert [gated for _, _, gated in rows] == ["2", "2", "1", "1", "1", "0", "0", "0", "0"]
    assert [name for _, name, _ in rows] == [
        "ENABLE_CANCEL_ON_DISCONNECT",
        "POWER_PEG",
        "ENABLE_AUDIT_TRAIL",
        "ENABLE_SMART_ROUTING",
        "ODD_LOT",
        "RLP",
        "IOC",
        "LIMIT",
        "MARKET",
    ]
    assert page.evaluate("document.querySelector('#flags th:nth-child(7)').getAttribute('aria-sort')") == "descending"
    page.click("#flags th:nth-child(2)")  # Flag: by full name, a to z
    assert [name for _, name in _shown(page)] == [
        "ENABLE_AUDIT_TRAIL",
        "ENABLE_CANCEL_ON_DISCONNECT",
        "ENABLE_SMART_ROUTING",
        "POWER_PEG",
        "IOC",
        "LIMIT",
        "MARKET",
        "ODD_LOT",
        "RLP",
    ]
    assert page.evaluate("document.querySelector('#flags th:nth-child(7)').hasAttribute('aria-sort')") is False


def test_global_assignment_is_a_set_site_only_in_the_function_declaring_it(tmp_path):
    # issue 7 (audit speed): ``global`` is now recorded as the function body is
    # walked instead of re-walking each function; a nested function's
    # ``global`` does not make its enclosing function's local assignment a set
    write_tree(
        tmp_path,
        {
            "app.py": (
                "ENABLE_X = False\n\n\ndef enable():\n    global ENABLE_X\n    ENABLE_X = True\n\n\n"
                "def outer():\n    def inner():\n        global ENABLE_X\n    ENABLE_X = True\n\n\n"
                "def f():\n    if ENABLE_X:\n        g()\n"
            ),
        },
    )
    (entry,) = audit(["."], cwd=tmp_path, ages=False).flags
    assert entry.status == "live"
    assert [(str(location), location.note) for location in entry.setters] == [("app.py:6", "global assignment")]


# --------------------------------------------------------------------------- audit and FL005 agree (issue 15, defect 2)

DJANGO_SETTINGS = (
    'INSTALLED_APPS = ["django.contrib.admin", "flags"]\n'
    'FLAG_SOURCES = ("flags.sources.SettingsFlagsSource",)\n'
    'FLAGS = {\n    "IN_TEMPLATE": [],\n    "BETA": [("boolean", True)],\n    "NOWHERE": [],\n}\n'
)
DJANGO_FILES = {
    "shop/settings.py": DJANGO_SETTINGS,
    "shop/templates/page.html": "{% load feature_flags %}\n{% flag_enabled 'IN_TEMPLATE' as on %}\n{% flag_enabled 'BETA' as beta %}\n",
    "app.py": "def view():\n    return 0\n",
}


def _statuses_and_fl005(root):
    """The audit's entries by short name, and FL005's (path, line, flag), as the CLI would run them."""
    from flaglint import api
    from flaglint.config import Config, load_config

    config = load_config(root / "pyproject.toml") if (root / "pyproject.toml").is_file() else Config()
    flags = {entry.short: entry for entry in audit(["."], config, cwd=root, ages=False).flags}
    fl005 = sorted((f.path, f.line, f.flag) for f in api.check(["."], config, cwd=root).findings if f.code == "FL005")
    return flags, fl005


def test_a_flag_read_only_in_a_template_is_read_in_the_audit_as_for_fl005(tmp_path):
    write_tree(tmp_path, DJANGO_FILES)
    flags, fl005 = _statuses_and_fl005(tmp_path)
    assert {name: entry.status for name, entry in flags.items()} == {
        "sdk:django-flags:IN_TEMPLATE": "never-set",  # read (in a template), and it has no conditions: never on
        "sdk:django-flags:BETA": "live",
        "sdk:django-flags:NOWHERE": "unused",
    }
    assert fl005 == [("shop/settings.py", 6, "sdk:django-flags:NOWHERE")]
    in_template = flags["sdk:django-flags:IN_TEMPLATE"]
    assert [(str(read), read.kind, read.gate) for read in in_template.reads] == [
        ("shop/templates/page.html:2", "template", None)
    ]
    assert in_template.notes == [
        "read only outside the Python code (a template), and nothing sets it: it is always off"
    ]
    assert [(str(read), read.kind) for read in flags["sdk:django-flags:BETA"].reads] == [
        ("shop/templates/page.html:3", "template")
    ]


def test_with_the_database_as_a_source_a_template_flag_is_live(tmp_path):
    settings = DJANGO_SETTINGS.replace('FLAG_SOURCES = ("flags.sources.SettingsFlagsSource",)\n', "")
    write_tree(tmp_path, {**DJANGO_FILES, "shop/settings.py": settings})
    flags, fl005 = _statuses_and_fl005(tmp_path)
    assert {name: entry.status for name, entry in flags.items()} == {
        "sdk:django-flags:IN_TEMPLATE": "live",
        "sdk:django-flags:BETA": "live",
        "sdk:django-flags:NOWHERE": "unused",
    }
    assert fl005 == [("shop/settings.py", 5, "sdk:django-flags:NOWHERE")]


def test_text_format_shows_a_template_read(tmp_path):
    write_tree(tmp_path, DJANGO_FILES)
    text = render(audit(["."], cwd=tmp_path, ages=False), "text")
    assert "  read     shop/templates/page.html:2 (in a template)\n" in text
    assert "  read     never\n" in text  # NOWHERE


_FL005_UNUSED = {  # what the examples must give, so the agreement below is not vacuous
    "FL005-0": ["sdk:openfeature:old-pricing"],
    "FL005-1": [],
    "FL005-2": [],
    "FL005-3": ["sdk:openfeature:new-checkout"],
    "FL005-4": [],  # mentioned in front-end code: live, not unused
    "FL005-5": ["sdk:openfeature:old-pricing"],  # only a longer token mentions it
    "FL005-6": ["sdk:app.manager.FeatureManager:organizations:old-export"],  # a registrar declares it
    "FL005-7": ["app.config.Settings.old_export"],  # a settings field nothing reads
    "FL005-8": [],  # read by name on an object flaglint cannot name
    "django-templates": ["sdk:django-flags:NOWHERE"],
}


def _fl005_examples():
    from flaglint.rules import RULES

    examples = [(f"FL005-{number}", example.files) for number, example in enumerate(RULES["FL005"].examples)]
    examples.append(("django-templates", DJANGO_FILES))
    return [pytest.param(files, _FL005_UNUSED[name], id=name) for name, files in examples]


@pytest.mark.parametrize("files, expected", _fl005_examples())
def test_a_source_flag_is_unused_in_the_audit_exactly_when_fl005_reports_it(tmp_path, files, expected):
    write_tree(tmp_path, files)
    flags, fl005 = _statuses_and_fl005(tmp_path)
    unused = sorted(
        entry.name for entry in flags.values() if entry.status == "unused" and not entry.name.startswith("env:")
    )
    assert unused == sorted(flag for _, _, flag in fl005)
    assert unused == expected


#: audit statuses that mean what each rule reports (never-set also covers a
#: flag only passed on as a value or read in a template, which no example has)
_RULE_STATUSES = {"FL001": ("dead", "never-set"), "FL004": ("undeclared",), "FL006": ("always-on",)}


def _rule_examples():
    from flaglint.rules import RULES

    return [
        pytest.param(code, example.files, id=f"{code}-{number}")
        for code in sorted(_RULE_STATUSES)
        for number, example in enumerate(RULES[code].examples)
    ]


@pytest.mark.parametrize("code, files", _rule_examples())
def test_the_audit_status_and_the_rule_name_the_same_flags(tmp_path, code, files):
    from flaglint import api
    from flaglint.config import Config, load_config

    write_tree(tmp_path, files)
    names = [name for name in ("flaglint.toml", "pyproject.toml") if (tmp_path / name).is_file()]
    config = load_config(tmp_path / names[0]) if names else Config()
    entries = audit(["."], config, cwd=tmp_path, ages=False).flags
    in_audit = sorted(entry.name for entry in entries if entry.status in _RULE_STATUSES[code])
    reported = sorted({f.flag for f in api.check(["."], config, cwd=tmp_path).findings if f.code == code})
    assert in_audit == reported


def test_audit_json_to_stdout_stays_silent_on_stderr_so_2_and_1_parses(tmp_path: Path) -> None:
    """`flaglint audit --format json . 2>&1` must be one JSON document, as
    for `check` (docs/usage.md); text still ends with the summary line."""
    write_tree(tmp_path, {"app.py": "FLAG = False\nif FLAG:\n    run()\n"})
    result = run_cli("audit", "--format", "json", "--no-ages", str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.output)["summary"]["flags"] == 1
    (tmp_path / "dir.py").mkdir()
    (tmp_path / "dir.py" / "x.py").write_bytes(b"X = 1\n")
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    skipped = json.loads(run_cli("audit", "--format", "json", "--no-ages", str(tmp_path)).output)["summary"]["skipped"]
    assert [item.split(":")[0] for item in skipped] == [str(tmp_path / "loop.py")]
    text = run_cli("audit", "--no-ages", str(tmp_path))
    assert text.stderr.splitlines()[-1] == "flaglint audit: 1 flag in 2 files: act on 1 dead"

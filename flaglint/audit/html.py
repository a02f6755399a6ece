"""``flaglint audit --format html``: one self-contained page.

Inline CSS and JavaScript only: no network, no fonts, no external assets, so
the file can be mailed, attached to a CI run or opened from disk. The table
is rendered server-side (it reads without JavaScript); the script adds
sorting (click a header), a text filter and a status filter. The inventory's
JSON is embedded too, in ``<script type="application/json" id="flaglint-data">``.
"""

from __future__ import annotations

import json
from html import escape
from typing import List, Optional

from .. import __version__
from .ages import Commit
from .inventory import FlagEntry, Inventory, Location
from .status import NOT_A_FLAG, STATUS_HELP, STATUSES
from .status import STATUS_COLOURS as COLOURS

_CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --hover: #f3f6fb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); margin: 0; padding: 24px 32px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
h3 { font-size: 14px; margin: 18px 0 6px; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.sub { color: var(--muted); margin: 0 0 16px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 18px; }
.card { border: 1px solid var(--line); border-left: 5px solid var(--c); border-radius: 6px; padding: 6px 12px; min-width: 118px; background: #fff; cursor: pointer; text-align: left; font: inherit; color: inherit; }
.card:hover, .card.on { background: var(--hover); }
.card b { display: block; font-size: 20px; }
.card span { color: var(--muted); font-size: 12px; }
.controls { display: flex; gap: 10px; align-items: center; margin: 0 0 10px; flex-wrap: wrap; }
.controls input, .controls select { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; }
.controls input { width: 320px; }
#shown { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--head); position: sticky; top: 0; cursor: pointer; user-select: none; white-space: nowrap; font-size: 12.5px; }
thead th:hover { background: #eaeef2; }
thead th::after { content: " \\2195"; color: #b0b8c1; }
thead th[aria-sort=ascending]::after { content: " \\25B2"; color: var(--fg); }
thead th[aria-sort=descending]::after { content: " \\25BC"; color: var(--fg); }
#flags tbody tr { border-left: 4px solid var(--c); }
#flags tbody tr:hover { background: var(--hover); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; background: var(--c); font-size: 12px; font-weight: 600; white-space: nowrap; }
.name { font-weight: 600; }
.module { color: var(--muted); font-size: 12px; }
.notes { margin: 4px 0 0; padding-left: 16px; color: #3d444d; font-size: 12.5px; max-width: 560px; }
ul.sites { list-style: none; margin: 0; padding: 0; }
ul.sites li { margin: 0 0 2px; }
.wrap { overflow-x: auto; }
#flags td { overflow-wrap: anywhere; }
#flags td.flag { min-width: 200px; max-width: 300px; }
#flags td.set { min-width: 170px; max-width: 250px; }
#flags td.reads { min-width: 190px; max-width: 260px; }
#flags td.defined { min-width: 150px; max-width: 210px; }
#flags td.kind { white-space: nowrap; overflow-wrap: normal; }
#flags td.kind code { display: block; }
#flags td code { overflow-wrap: normal; }
.why { white-space: nowrap; }
#flags td.set .why, .notes { white-space: normal; }
.why { color: var(--muted); font-size: 12px; }
.none { color: var(--muted); font-style: italic; }
#flags td.age { white-space: nowrap; overflow-wrap: normal; }
.age small { display: block; color: var(--muted); }
.bits { width: auto; min-width: 520px; margin-bottom: 8px; }
.bits td, .bits th { padding: 4px 10px; }
.bits thead th { cursor: default; position: static; }
.bits thead th::after { content: none; }
.bits tr.collision td { background: #fdecec; }
.bits tr.collision td:first-child { border-left: 4px solid #c62828; }
.bit-flag { color: #b42318; font-weight: 700; }
.legend { color: var(--muted); font-size: 12.5px; }
.legend li { margin: 2px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
"""

_JS = """
(function () {
  var table = document.getElementById('flags');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var query = document.getElementById('q');
  var status = document.getElementById('status');
  var shown = document.getElementById('shown');
  var cards = document.querySelectorAll('[data-filter-status]');
  function apply() {
    var text = query.value.trim().toLowerCase();
    var wanted = status.value;
    var count = 0;
    rows.forEach(function (row) {
      var ok = (!wanted || row.getAttribute('data-status') === wanted) &&
               (!text || row.textContent.toLowerCase().indexOf(text) !== -1);
      row.hidden = !ok;
      if (ok) count++;
    });
    shown.textContent = count + ' of ' + rows.length + ' flags shown';
    cards.forEach(function (card) { card.classList.toggle('on', card.getAttribute('data-filter-status') === wanted && wanted !== ''); });
  }
  function sortBy(th, index) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-type') === 'number';
    function key(row) {
      var cell = row.cells[index];
      var value = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
      return numeric ? (parseFloat(value) || 0) : value.toLowerCase();
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = x < y ? -1 : (x > y ? 1 : 0);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.addEventListener('click', function () { sortBy(th, index); });
    th.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sortBy(th, index); }
    });
  });
  query.addEventListener('input', apply);
  status.addEventListener('change', apply);
  cards.forEach(function (card) {
    card.addEventListener('click', function () {
      var value = card.getAttribute('data-filter-status');
      status.value = status.value === value ? '' : value;
      apply();
    });
  });
  apply();
})();
"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def _path(location) -> str:
    """A path that may wrap after a slash, never inside a name."""
    return _e(location).replace("/", "/<wbr>")


def _gate(gate) -> str:
    first, last = gate
    return f"gates line {first}" if first == last else f"gates {first}-{last}"


def _site(location: Location, note: Optional[str] = None) -> str:
    extra = f' <span class="why">{_e(note)}</span>' if note else ""
    return f"<li><code>{_path(location)}</code>{extra}</li>"


def _sites(items: List[str], empty: str) -> str:
    return f'<ul class="sites">{"".join(items)}</ul>' if items else f'<span class="none">{_e(empty)}</span>'


def _age(commit: Optional[Commit]) -> str:
    if commit is None:
        return '<td class="age" data-sort="0"></td>'
    title = f"{commit.commit}\n{commit.author}\n{commit.summary}"
    return (
        f'<td class="age" data-sort="{commit.time}" title="{_e(title)}"><code>{_e(commit.short[:8])}</code>'
        f"<small>{_e(commit.date)}</small></td>"
    )


def _row(entry: FlagEntry, aged: bool) -> str:
    colour = COLOURS.get(entry.status, "#999")
    module = entry.name[: -len(entry.short)].rstrip(".") if entry.name.endswith(entry.short) else entry.family
    notes = "".join(f"<li>{_e(note)}</li>" for note in entry.notes)
    setters = [f'<li class="why">{_e(reason)}</li>' for reason in entry.set_by]
    setters += [_site(location, location.note) for location in entry.setters]
    reads = [
        _site(
            read.location,
            _gate(read.gate) if read.gate else (read.kind if read.kind in ("value", "template") else None),
        )
        for read in entry.reads
    ]
    reads += [_site(location, f"dead: {location.note}") for location in entry.dead_code]
    return "".join(
        [
            f'<tr data-status="{_e(entry.status)}" style="--c:{colour}">',
            f'<td data-sort="{STATUSES.index(entry.status)}"><span class="badge" title="{_e(STATUS_HELP[entry.status])}">{_e(entry.status)}</span></td>',
            f'<td class="flag" data-sort="{_e(entry.name)}"><div class="name mono">{_e(entry.short)}</div><div class="module mono">{_e(module)}</div>',
            f'<ul class="notes">{notes}</ul>' if notes else "",
            "</td>",
            f'<td class="kind">{_e(entry.kind)}<code>{_e(entry.value)}</code></td>',
            f'<td class="defined"><ul class="sites">{"".join(_site(location) for location in entry.definitions)}</ul></td>',
            f'<td class="set">{_sites(setters, "nothing sets it")}</td>',
            f'<td class="reads" data-sort="{len(entry.reads)}">{_sites(reads, "never read")}</td>',
            f'<td class="num">{entry.gated_lines}</td>',
            _age(entry.first_commit) if aged else "",
            _age(entry.last_commit) if aged else "",
            "</tr>",
        ]
    )


def _shown_statuses(inventory: Inventory) -> List[str]:
    """Every status, what to act on first (:data:`STATUSES` is in that
    order); ``not-a-flag`` only when ``audit --all`` listed some."""
    counts = inventory.summary["by_status"]
    return [status for status in STATUSES if status != NOT_A_FLAG or counts[status]]


def _cards(inventory: Inventory) -> str:
    counts = inventory.summary["by_status"]
    cards = [
        f'<button type="button" class="card" style="--c:{COLOURS[status]}" data-filter-status="{status}" title="{_e(STATUS_HELP[status])}">'
        f"<b>{counts[status]}</b><span>{_e(status)}</span></button>"
        for status in _shown_statuses(inventory)
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _bit_tables(inventory: Inventory) -> str:
    if not inventory.families:
        return ""
    parts = [
        '<h2 id="bit-tables">Bit tables</h2>',
        '<p class="sub">Each family\'s bits and the names that claim them. '
        "A bit with two names is a collision: code reading one name also runs for the other.</p>",
    ]
    for table in inventory.families:
        parts.append(f"<h3>{_e(table.family)}</h3>")
        parts.append(
            '<table class="bits"><thead><tr><th>Bit</th><th>Names</th><th>Flags</th><th></th></tr></thead><tbody>'
        )
        for row in table.bits:
            css = ' class="collision"' if row.collision else ""
            names = ", ".join(_e(name) for name in row.names)
            names = f'<span class="bit-flag">{names}</span>' if row.collision else names
            mark = "collision" + (f": {row.note}" if row.note else "") if row.collision else row.note
            flags = "<br>".join(f"<code>{_e(flag)}</code>" for flag in row.flags)
            parts.append(
                f"<tr{css}><td><code>{_e(row.hex)}</code></td><td>{names}</td><td>{flags}</td><td><b>{_e(mark)}</b></td></tr>"
            )
        parts.append("</tbody></table>")
    return "\n".join(parts)


def _data(inventory: Inventory) -> str:
    """The JSON document, safe inside a script element."""
    text = json.dumps(inventory.to_dict(), separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(inventory: Inventory) -> str:
    summary = inventory.summary
    options = "".join(
        f'<option value="{status}">{_e(status)} ({summary["by_status"][status]})</option>'
        for status in _shown_statuses(inventory)
    )
    headers = [
        ("Status", "number"),
        ("Flag", ""),
        ("Kind", ""),
        ("Defined", ""),
        ("Set by", ""),
        ("Reads", "number"),
        ("Gated lines", "number"),
    ]
    if inventory.ages:
        headers += [("First commit", "number"), ("Last commit", "number")]
    head = "".join(f'<th tabindex="0" data-type="{kind}" scope="col">{_e(name)}</th>' for name, kind in headers)
    rows = "\n".join(_row(entry, inventory.ages) for entry in inventory.flags)
    ages_note = "" if inventory.ages else " Ages were not looked up."
    legend = "".join(
        f'<li><span class="badge" style="--c:{COLOURS[status]}">{_e(status)}</span> {_e(STATUS_HELP[status])}</li>'
        for status in STATUSES
    )
    table = (
        f'<table id="flags"><thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table>'
        if inventory.flags
        else '<p class="none">No flags found.</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="flaglint {_e(__version__)}">
<title>flaglint audit: {summary["flags"]} flags</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Flag audit</h1>
<p class="sub">{summary["flags"]} flags in {summary["files"]} files. {summary["gated_lines"]} lines are gated by flags;
{summary["dead_lines"]} of them can never run. {summary["collisions"]} bit collision{"s" if summary["collisions"] != 1 else ""}.{ages_note}</p>
{_cards(inventory)}
<div class="controls">
<input id="q" type="search" placeholder="Filter: name, path, note..." aria-label="Filter flags">
<select id="status" aria-label="Status"><option value="">All statuses</option>{options}</select>
<span id="shown">{len(inventory.flags)} flags</span>
</div>
<div class="wrap">{table}</div>
{_bit_tables(inventory)}
<h2>Statuses</h2>
<ul class="legend">{legend}</ul>
<footer>Generated by flaglint {_e(__version__)} (flaglint audit --format html). Click a column header to sort.</footer>
<script type="application/json" id="flaglint-data">{_data(inventory)}</script>
<script>{_JS}</script>
</body>
</html>
"""

"""Export the flag graph for Graphviz, Gephi, yEd or any networkx user.

:func:`export_graph` copies :attr:`FlagGraph.graph` and adds what a reader
of the picture needs and the rules rely on:

- flag nodes carry ``kind``, ``status`` (as in ``flaglint audit``), ``value``,
  ``bit``, where they are defined, how many reads and how many gated lines;
- region nodes carry their span and ``dead`` (1 when the flag gating them is
  never set);
- bits are also grouped by the field they are tested or stored on
  (``bit:.flags:0x20``, family ``field .flags``): that shared node is what
  ties Knight's ``POWER_PEG`` to ``RLP``; ``bit-of`` edges link it to the field;
- ``reuses`` edges (new name -> old name of one bit) and ``aliases`` edges
  (enum member -> the member it silently aliases).

Every attribute is a string or a number, so GraphML loads in networkx,
Gephi and yEd. Writers: node-link JSON (:func:`networkx.node_link_data`),
GraphML (:func:`networkx.generate_graphml`), DOT (pydot through
:func:`networkx.nx_pydot.to_pydot` when pydot is installed, else a small
writer here).
"""

from __future__ import annotations

import difflib
import inspect
import json
from typing import Dict, Iterable, List, Optional, Sequence

import networkx as nx

from .. import __version__
from ..printable import printable
from .analysis import FlagAnalysis, kind_of
from .bits import bit_table, flags_named
from .build import FlagGraph, region_id

FORMATS = ("dot", "graphml", "json")

#: GraphML readers (Gephi, yEd, Java) store integers as 64-bit longs
_LONG = 2**63


class UnknownFlag(LookupError):
    """``--flag NAME`` names no flag in the graph."""


# --------------------------------------------------------------------------- building


def load(
    paths: Sequence = (".",), config=None, cwd=None, jobs: int = 1, against: Optional[str] = None
) -> nx.MultiDiGraph:
    """Analyse ``paths`` and return the exportable graph (see :func:`export_graph`)."""
    from ..audit import analyse_paths
    from ..config import Config

    _, graph, analysis = analyse_paths(paths, config or Config(), cwd, jobs, against)
    return export_graph(graph, analysis)


def export_graph(graph: FlagGraph, analysis: FlagAnalysis) -> nx.MultiDiGraph:
    """A new MultiDiGraph: the flag graph, enriched, with plain attributes."""
    from ..audit import status  # the audit's statuses, so the picture and the report agree

    statuses = status.flag_statuses(graph, analysis)
    out = nx.MultiDiGraph(name="flaglint", generator=f"flaglint {__version__}")
    for node, data in graph.graph.nodes(data=True):
        out.add_node(node, **_plain(data))
    for source, target, key, data in graph.graph.edges(keys=True, data=True):
        out.add_edge(source, target, key=key, **_plain(data))

    gates: Dict[str, dict] = {}
    for flag in status.all_flags(graph):
        node = f"flag:{flag.name}"
        attributes = {
            "type": "flag",
            "name": flag.name,
            "short": status.short_name(flag),
            "family": status.family_name(flag),
            "kind": kind_of(flag),
            "status": statuses.get(flag.symbol, "other"),
            "value": status.display_value(flag),
            "reads": len(flag.reads),
            "uses": len(flag.uses),
            "gated_lines": status.gated_lines(flag),
            "set_by": "; ".join(analysis.set_reasons(flag)),
        }
        if flag.definitions:
            attributes.update(path=flag.definitions[0].path, line=flag.definitions[0].span.line)
        if flag.bit is not None and flag.bit < _LONG:
            attributes["bit"] = flag.bit
        out.add_node(node, **attributes)
        for site in flag.reads:
            gate = site.fact.gate
            if gate is None:
                continue
            region = region_id(site.path, gate)
            info = gates.setdefault(region, {"flags": [], "dead": False, "path": site.path, "gate": gate})
            info["flags"].append(status.short_name(flag))
            info["dead"] = info["dead"] or (site.path, gate) in analysis.dead_gates
            if out.has_edge(node, region, "gates"):
                out.edges[node, region, "gates"].update(
                    path=site.path, line=gate.line, end_line=gate.end_line, lines=gate.end_line - gate.line + 1
                )
    for region, info in gates.items():
        gate = info["gate"]
        out.nodes[region].update(
            type="region",
            path=info["path"],
            line=gate.line,
            column=gate.column,
            end_line=gate.end_line,
            lines=gate.end_line - gate.line + 1,
            flags=", ".join(sorted(set(info["flags"]))),
            dead=int(info["dead"]),
        )
    for node, data in out.nodes(data=True):
        if node.startswith("field:"):
            data.update(type="field", field=node[len("field:") :])
        elif data.get("type") == "bit":
            value = data.pop("value", None)
            if isinstance(value, int):
                data.update(bit=value if value < _LONG else str(value), hex=hex(value))
    _add_bit_families(out, graph)
    _add_reuses(out, analysis)
    return out


def _add_bit_families(out: nx.MultiDiGraph, graph: FlagGraph) -> None:
    """Names per bit on scope bit nodes; a node per bit of each field family."""
    for (family, bit), names in sorted(bit_table(graph).items()):
        flags = sorted({flag.name for name in names for flag in flags_named(graph, (family, bit), name)})
        kind, _, key = family.partition(" ")
        node = f"bit:{key}:{bit:#x}"
        attributes = {
            "type": "bit",
            "family": key if kind == "scope" else family,
            "bit": bit if bit < _LONG else str(bit),
            "hex": hex(bit),
            "names": ", ".join(sorted(names)),
            "collision": int(len(names) > 1),
        }
        if kind == "field":
            attributes["field"] = key
        if kind != "field" and node not in out:
            continue  # a scope bit the graph has no node for (not a single literal bit)
        out.add_node(node, **attributes)
        if kind == "field":
            out.add_edge(node, f"field:{key}", key="bit-of", type="bit-of")
            for name in flags:
                out.add_edge(f"flag:{name}", node, key="defines-bit", type="defines-bit")


def _add_reuses(out: nx.MultiDiGraph, analysis: FlagAnalysis) -> None:
    def reuses(new: str, old: str, bit: int, link: str) -> None:
        out.add_edge(f"flag:{new}", f"flag:{old}", key="reuses", type="reuses", bit=bit, hex=hex(bit), link=link)

    for collision in analysis.collisions:
        reuses(collision.new.name, collision.old.name, collision.value, collision.link)
    for reuse in analysis.historic_reuses:
        for old in reuse.old_flags:
            reuses(reuse.new.name, old.name, reuse.bit, f"{reuse.family} since {reuse.origin}")
    for first, later in analysis.silent_aliases:
        out.add_edge(f"flag:{later.name}", f"flag:{first.name}", key="aliases", type="aliases")


def _plain(data: dict) -> dict:
    """Attributes GraphML can hold: str, int, float (bool -> int, None dropped,
    anything else -> str)."""
    plain: Dict[str, object] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, bool):
            plain[str(key)] = int(value)
        elif isinstance(value, int):
            plain[str(key)] = value if -_LONG <= value < _LONG else str(value)
        elif isinstance(value, (float, str)):
            plain[str(key)] = value
        elif isinstance(value, (list, tuple, set, frozenset)):
            plain[str(key)] = ", ".join(sorted(str(item) for item in value))
        else:
            plain[str(key)] = str(value)
    return plain


# --------------------------------------------------------------------------- one flag


def flag_nodes(graph: nx.MultiDiGraph, name: str) -> List[str]:
    """Flag nodes named ``name``: the full ``module.NAME`` or a dotted suffix
    (``POWER_PEG``, ``OrderType.IOC``). Raises UnknownFlag."""
    flags = {node: data for node, data in graph.nodes(data=True) if data.get("type") == "flag"}
    exact = f"flag:{name}"
    if exact in flags:
        return [exact]
    found = sorted(node for node, data in flags.items() if str(data.get("name", "")).endswith("." + name))
    if found:
        return found
    names = sorted(
        {str(data.get("name")) for data in flags.values()} | {str(data.get("short")) for data in flags.values()}
    )
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UnknownFlag(f"no flag named {name!r}{hint}")


def neighbourhood(graph: nx.MultiDiGraph, name: str) -> nx.MultiDiGraph:
    """The subgraph around one flag: its node, the nodes next to it (bits,
    fields, regions, flags it reuses or aliases), and their neighbours."""
    starts = flag_nodes(graph, name)
    keep = set(starts)
    ring = {neighbour for node in starts for neighbour in _neighbours(graph, node)}
    keep |= ring
    for node in ring:
        if graph.nodes[node].get("type") in ("bit", "field", "region"):
            keep |= set(_neighbours(graph, node))
    return graph.subgraph(keep).copy()


def _neighbours(graph: nx.MultiDiGraph, node: str) -> Iterable[str]:
    yield from graph.successors(node)
    yield from graph.predecessors(node)


# --------------------------------------------------------------------------- writers


def to_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON; ``networkx.node_link_graph(json.loads(text))`` reads it back."""
    reader = inspect.signature(nx.node_link_graph).parameters.get("edges")
    if reader is not None and reader.default == "edges":
        data = nx.node_link_data(graph, edges="edges")
    elif "edges" in inspect.signature(nx.node_link_data).parameters:
        # networkx 3.4 and 3.5 (the last for Python 3.10) can write either
        # name but read "links" by default: write what they read back
        data = nx.node_link_data(graph, edges="links")
    else:  # networkx < 3.4 names the list "links", and so does its reader
        data = nx.node_link_data(graph)
    return json.dumps(data, indent=2) + "\n"


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(graph)) + "\n"


def to_dot(graph: nx.MultiDiGraph, use_pydot: Optional[bool] = None) -> str:
    """Graphviz DOT, styled by node type and status (``dot -Tpng`` draws it).

    ``use_pydot=None`` uses pydot when it is installed."""
    styled = _styled(graph)
    if use_pydot is None:
        try:
            import pydot  # noqa: F401  (only: is it installed?)
        except ImportError:
            use_pydot = False
        else:
            use_pydot = True
    if use_pydot:
        return _pydot(styled)
    return write_dot(styled)


def render(graph: nx.MultiDiGraph, output_format: str) -> str:
    writers = {"dot": to_dot, "graphml": to_graphml, "json": to_json}
    try:
        return writers[output_format](graph)
    except KeyError:
        raise ValueError(f"unknown graph format {output_format!r} (known: {', '.join(FORMATS)})") from None


_GRAPH_STYLE = {"rankdir": "LR", "fontname": "Helvetica", "nodesep": "0.3", "ranksep": "0.6", "bgcolor": "white"}
_NODE_STYLE = {"fontname": "Helvetica", "fontsize": "11"}
_EDGE_STYLE = {"fontname": "Helvetica", "fontsize": "9", "color": "#8c959f", "fontcolor": "#59636e"}
_EDGE_COLOURS = {"reuses": "#c62828", "aliases": "#e65100", "defines-bit": "#1f6feb", "set-on": "#2e7d32"}


def _styled(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with Graphviz presentation attributes (label, shape, colours)."""
    styled = graph.copy()
    styled.graph.update(graph=dict(_GRAPH_STYLE), node=dict(_NODE_STYLE), edge=dict(_EDGE_STYLE))
    for node, data in styled.nodes(data=True):
        data.update(_node_style(node, data))
        if "name" in data:  # pydot.Node takes ``name`` as the node's ID
            data["qualname"] = data.pop("name")
    for _, _, key, data in styled.edges(keys=True, data=True):
        kind = data.get("type", key)
        data.setdefault("label", kind)
        if kind in _EDGE_COLOURS:
            data["color"] = data["fontcolor"] = _EDGE_COLOURS[kind]
        if kind == "reuses":
            data.update(penwidth="2", style="bold", label=f"reuses {data.get('hex', '')}".strip())
    return styled


def _status_colours() -> dict:
    from ..audit.status import STATUS_COLOURS  # the audit owns statuses and their colours

    return STATUS_COLOURS


def _node_style(node: str, data: dict) -> dict:
    kind = data.get("type")
    if kind == "flag":
        colour = _status_colours().get(str(data.get("status")), "#6b7280")
        return {
            "label": f"{data.get('short')}\n{data.get('status')} {data.get('kind')} = {data.get('value')}",
            "shape": "box",
            "style": "rounded,filled",
            "fillcolor": colour,
            "color": colour,
            "fontcolor": "white",
            "tooltip": str(data.get("name")),
        }
    if kind == "region":
        dead = bool(data.get("dead"))
        first, last = data.get("line"), data.get("end_line")
        lines = f"{first}" if first == last else f"{first}-{last}"
        return {
            "label": f"{data.get('path')}:{lines}" + ("\ndead code" if dead else ""),
            "shape": "note",
            "style": "filled",
            "fillcolor": "#fdecec" if dead else "#f6f8fa",
            "color": "#c62828" if dead else "#8c959f",
        }
    if kind == "bit":
        clash = bool(data.get("collision"))
        return {
            "label": f"bit {data.get('hex')}\n{data.get('family')}" + (f"\n{data.get('names')}" if clash else ""),
            "shape": "ellipse",
            "style": "filled",
            "fillcolor": "#fdecec" if clash else "#eef4ff",
            "color": "#c62828" if clash else "#1f6feb",
            "penwidth": "2" if clash else "1",
        }
    if kind == "field":
        return {
            "label": f"field {data.get('field')}",
            "shape": "cylinder",
            "style": "filled",
            "fillcolor": "#fff8e1",
            "color": "#b7791f",
        }
    return {"label": node}


def quote(value) -> str:
    """A DOT double-quoted string (IDs, attribute names and values). Control
    characters are escaped by :func:`flaglint.printable.printable` (a line feed
    becomes DOT's own ``\\n``; an ESC can never reach a terminal that shows the
    file), then the quote."""
    text = printable(value).replace('"', '\\"')
    return f'"{text}"'


def _attributes(data: dict) -> str:
    if not data:
        return ""
    return " [" + ", ".join(f"{quote(key)}={quote(value)}" for key, value in data.items()) + "]"


def write_dot(graph: nx.MultiDiGraph) -> str:
    """DOT without pydot. Every ID and value is quoted, so ``flag:a.b`` is
    never read as a node with a port."""
    kind = "digraph" if graph.is_directed() else "graph"
    arrow = "->" if graph.is_directed() else "--"
    lines = [f"{kind} {quote(graph.graph.get('name', 'flaglint'))} {{"]
    for section in ("graph", "node", "edge"):
        defaults = graph.graph.get(section)
        if defaults:
            lines.append(f"  {section}{_attributes(defaults)};")
    for node, data in graph.nodes(data=True):
        lines.append(f"  {quote(node)}{_attributes(data)};")
    for source, target, key, data in graph.edges(keys=True, data=True):
        attributes = {"key": key, **{k: v for k, v in data.items() if k != "key"}}
        lines.append(f"  {quote(source)} {arrow} {quote(target)}{_attributes(attributes)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _pydot(graph: nx.MultiDiGraph) -> str:
    """DOT through ``networkx.nx_pydot.to_pydot``. pydot reads ``a:b`` as a
    node with a port, so IDs and values go in already quoted."""
    quoted = nx.MultiDiGraph()
    quoted.graph.update({key: value for key, value in graph.graph.items() if key in ("graph", "node", "edge")})
    quoted.graph = {
        key: {name: quote(value) for name, value in value.items()} if isinstance(value, dict) else value
        for key, value in quoted.graph.items()
    }
    quoted.graph["name"] = str(graph.graph.get("name", "flaglint"))
    for node, data in graph.nodes(data=True):
        quoted.add_node(quote(node), **{key: quote(value) for key, value in data.items()})
    for source, target, key, data in graph.edges(keys=True, data=True):
        quoted.add_edge(quote(source), quote(target), key=key, **{k: quote(v) for k, v in data.items() if k != "key"})
    return nx.nx_pydot.to_pydot(quoted).to_string()

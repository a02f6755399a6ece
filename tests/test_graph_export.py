"""``flaglint graph``: the flag graph as node-link JSON, GraphML and DOT,
whole or around one flag."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from flaglint.cli import graph as graph_command
from flaglint.graph import export

from conftest import run_cli

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "knight_capital"
PEG = "flag:smars.legacy.power_peg.POWER_PEG"
RLP = "flag:smars.protocol.RLP"
SHARED_BIT = "bit:.flags:0x20"
KNIGHT_FLAGS = {
    "flag:smars.config.ENABLE_SMART_ROUTING",
    "flag:smars.config.ENABLE_AUDIT_TRAIL",
    "flag:smars.config.ENABLE_CANCEL_ON_DISCONNECT",
    PEG,
    RLP,
    "flag:smars.protocol.ODD_LOT",
    "flag:smars.order.OrderType.LIMIT",
    "flag:smars.order.OrderType.MARKET",
    "flag:smars.order.OrderType.IOC",
}


@pytest.fixture(scope="module")
def knight():
    return export.load(["."], cwd=FIXTURE)


def _edges(graph, kind):
    return {(u, v) for u, v, data in graph.edges(data=True) if data.get("type") == kind}


def test_enriched_graph(knight):
    flags = {node for node, data in knight.nodes(data=True) if data["type"] == "flag"}
    assert flags == KNIGHT_FLAGS
    assert knight.nodes[PEG]["status"] == "reused" and knight.nodes[PEG]["bit"] == 32
    assert knight.nodes["flag:smars.config.ENABLE_CANCEL_ON_DISCONNECT"]["status"] == "dead"
    assert knight.nodes["region:smars/router.py:19:9"]["dead"] == 1
    assert knight.nodes["region:smars/legacy/power_peg.py:10:9"]["end_line"] == 11
    assert knight.nodes[SHARED_BIT]["names"] == "POWER_PEG, RLP" and knight.nodes[SHARED_BIT]["collision"] == 1
    assert {(PEG, SHARED_BIT), (RLP, SHARED_BIT)} <= _edges(knight, "defines-bit")
    assert (SHARED_BIT, "field:.flags") in _edges(knight, "bit-of")
    assert _edges(knight, "reuses") == {(RLP, PEG)}
    assert len(_edges(knight, "gates")) == 5


def test_every_attribute_is_a_string_or_a_number(knight):
    def plain(value):
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)

    for node, data in knight.nodes(data=True):
        assert isinstance(node, str)
        assert all(plain(value) for value in data.values()), (node, data)
    for u, v, key, data in knight.edges(keys=True, data=True):
        assert isinstance(key, str)
        assert all(plain(value) for value in data.values()), (u, v, data)
    assert all(plain(value) for value in knight.graph.values())


def test_plain_converts_what_graphml_cannot_hold():
    assert export._plain({"a": True, "b": None, "c": [2, 1], "d": 1 << 70, "e": 1.5, "f": object}) == {
        "a": 1,
        "c": "1, 2",
        "d": str(1 << 70),
        "e": 1.5,
        "f": str(object),
    }


def test_the_builder_graph_is_not_modified(tmp_path):
    from flaglint.audit import analyse_paths

    _, graph, analysis = analyse_paths(["."], cwd=FIXTURE)
    before = (set(graph.graph.nodes), set(graph.graph.edges(keys=True)))
    export.export_graph(graph, analysis)
    assert (set(graph.graph.nodes), set(graph.graph.edges(keys=True))) == before


# --------------------------------------------------------------------------- formats


def test_json_round_trips_through_node_link_graph(knight):
    result = run_cli("graph", "--format", "json", cwd=FIXTURE)
    assert result.exit_code == 0, result.output
    loaded = nx.node_link_graph(json.loads(result.stdout))
    assert loaded.is_directed() and loaded.is_multigraph()
    assert set(loaded.nodes) == set(knight.nodes)
    assert dict(loaded.nodes(data=True)) == dict(knight.nodes(data=True))
    assert sorted(loaded.edges(keys=True)) == sorted(knight.edges(keys=True))
    assert loaded.edges[RLP, PEG, "reuses"]["hex"] == "0x20"


def test_graphml_loads_with_flag_nodes_and_gates_edges(tmp_path, knight):
    out = tmp_path / "knight.graphml"
    result = run_cli("graph", "--format", "graphml", "--output", str(out), cwd=FIXTURE)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    loaded = nx.read_graphml(out)
    flags = {node for node, data in loaded.nodes(data=True) if data.get("type") == "flag"}
    assert flags == KNIGHT_FLAGS
    gates = _edges(loaded, "gates")
    assert ("flag:smars.config.ENABLE_CANCEL_ON_DISCONNECT", "region:smars/router.py:19:9") in gates
    assert gates == _edges(knight, "gates")
    assert loaded.nodes[PEG]["bit"] == 32 and loaded.nodes[PEG]["status"] == "reused"
    assert loaded.nodes["region:smars/router.py:19:9"]["dead"] == 1


def test_dot_writer_quotes_everything():
    graph = nx.MultiDiGraph(name="g")
    graph.add_node('flag:a"b', label='say "hi"\nthere', path="C:\\x\\")
    graph.add_node("region:x.py:1:2")
    graph.add_edge('flag:a"b', "region:x.py:1:2", key="gates", type="gates")
    text = export.write_dot(graph)
    assert text.startswith('digraph "g" {\n')
    assert '  "flag:a\\"b" ["label"="say \\"hi\\"\\nthere", "path"="C:\\\\x\\\\"];' in text
    assert '  "flag:a\\"b" -> "region:x.py:1:2" ["key"="gates", "type"="gates"];' in text
    assert text.rstrip().endswith("}")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
@pytest.mark.parametrize("use_pydot", [False, True], ids=["own-writer", "pydot"])
def test_dot_is_read_by_graphviz(knight, use_pydot):
    if use_pydot:
        pytest.importorskip("pydot")
    text = export.to_dot(knight, use_pydot=use_pydot)
    run = subprocess.run(["dot", "-Tjson"], input=text, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    drawn = json.loads(run.stdout)
    names = {item["name"] for item in drawn["objects"]}
    assert names == set(knight.nodes)
    assert len(drawn["edges"]) == knight.number_of_edges()
    labels = {item["name"]: item.get("label") for item in drawn["objects"]}
    assert labels[PEG].startswith("POWER_PEG")


def test_dot_without_pydot_is_the_own_writer(knight, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pydot(name, *args, **kwargs):
        if name == "pydot":
            raise ImportError("no pydot here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pydot)
    text = export.to_dot(knight)
    assert text == export.write_dot(export._styled(knight))
    assert f'"{PEG}"' in text and f'"{SHARED_BIT}"' in text


def test_dot_is_the_default_format():
    result = run_cli("graph", cwd=FIXTURE)
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("digraph")
    assert f'"{SHARED_BIT}"' in result.stdout


def test_cli_formats_are_the_library_formats():
    option = next(param for param in graph_command.params if param.name == "output_format")
    assert tuple(option.type.choices) == export.FORMATS


# --------------------------------------------------------------------------- --flag


@pytest.mark.parametrize("name", ["POWER_PEG", "smars.legacy.power_peg.POWER_PEG", "power_peg.POWER_PEG"])
def test_flag_subgraph_holds_the_bit_shared_with_rlp(name):
    result = run_cli("graph", "--format", "json", "--flag", name, cwd=FIXTURE)
    assert result.exit_code == 0, result.output
    sub = nx.node_link_graph(json.loads(result.stdout))
    assert PEG in sub and SHARED_BIT in sub and RLP in sub
    assert sub.has_edge(PEG, SHARED_BIT) and sub.has_edge(RLP, SHARED_BIT)
    assert sub.has_edge(RLP, PEG, "reuses")
    assert "region:smars/legacy/power_peg.py:10:9" in sub
    assert "flag:smars.config.ENABLE_SMART_ROUTING" not in sub
    assert not any(node.startswith("region:smars/router.py") for node in sub)


def test_flag_subgraph_of_a_plain_flag(knight):
    sub = export.neighbourhood(knight, "ENABLE_CANCEL_ON_DISCONNECT")
    assert set(sub.nodes) == {"flag:smars.config.ENABLE_CANCEL_ON_DISCONNECT", "region:smars/router.py:19:9"}


def test_short_name_shared_by_two_modules_takes_both(tmp_path):
    (tmp_path / "a.py").write_text("DEBUG = False\n\ndef f():\n    if DEBUG:\n        g()\n")
    (tmp_path / "b.py").write_text("DEBUG = True\n\ndef f():\n    if DEBUG:\n        g()\n")
    sub = export.neighbourhood(export.load(["."], cwd=tmp_path), "DEBUG")
    assert {node for node in sub if node.startswith("flag:")} == {"flag:a.DEBUG", "flag:b.DEBUG"}


def test_unknown_flag_is_a_usage_error():
    result = run_cli("graph", "--flag", "POWER_PEGG", cwd=FIXTURE)
    assert result.exit_code == 2
    assert "no flag named 'POWER_PEGG'" in result.stderr and "POWER_PEG" in result.stderr
    assert "Traceback" not in result.output


def test_missing_path_is_a_usage_error(tmp_path):
    result = run_cli("graph", "nowhere", cwd=tmp_path)
    assert result.exit_code == 2
    assert "path does not exist: nowhere" in result.stderr

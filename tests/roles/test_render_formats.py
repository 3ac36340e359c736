"""DOT, JSON and SVG pictures."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from modegraph.errors import SetupError
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode
from modegraph.roles import EscalationGraph, GraphFormat, render_graph
from modegraph.roles.render.dot import quote, render_dot
from modegraph.roles.render.json_ import graph_data, render_json
from modegraph.roles.render.svg import render_svg

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz `dot` is not installed (apt-get install graphviz)"
)


def tricky(mode_of: Callable[..., Mode]) -> EscalationGraph:
    return EscalationGraph(
        Catalog(
            [
                mode_of(
                    "boss",
                    "000-executive",
                    delegates=['lead-x # says "hi" \\ back\\slash'],
                    name='Big "Boss"',
                    emoji="👑",
                    description='Runs </script> things "quoted"',
                ),
                mode_of(
                    "lead-x", "020-lead-backend", escalates=["boss", "ghost"], reports=["boss"]
                ),
            ]
        )
    )


def test_quote_escapes_quotes_and_backslashes() -> None:
    assert quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c d"'


@needs_dot
def test_dot_parses_back_with_graphviz(mode_of: Callable[..., Mode]) -> None:
    graph = tricky(mode_of)
    done = subprocess.run(
        ["dot", "-Tjson"], input=render_dot(graph).encode(), capture_output=True, check=True
    )
    data = json.loads(done.stdout)
    names = {o["name"] for o in data["objects"] if "nodes" not in o}  # nodes, not clusters
    assert {"boss", "lead-x", "ghost"} <= names
    labels = {o["name"]: o.get("label", "") for o in data["objects"] if "nodes" not in o}
    assert labels["boss"] == '👑 Big "Boss"\\nboss'
    edges = [
        (data["objects"][e["tail"]]["name"], data["objects"][e["head"]]["name"], e.get("class"))
        for e in data["edges"]
        if e.get("style") != "invis"
    ]
    assert sorted(edges) == sorted(
        [
            ("boss", "lead-x", "delegate"),
            ("lead-x", "boss", "escalate"),
            ("lead-x", "ghost", "escalate"),
            ("lead-x", "boss", "report"),
        ]
    )
    # the attribute keeps DOT's escapes; Graphviz draws `\\` as one backslash
    [note] = [e["label"] for e in data["edges"] if e.get("class") == "delegate"]
    assert note == 'says "hi" \\\\ back\\\\slash'


def test_dot_draws_missing_nodes_dashed(mode_of: Callable[..., Mode]) -> None:
    text = render_dot(tricky(mode_of))
    [line] = [ln for ln in text.splitlines() if ln.strip().startswith('"ghost" [')]
    assert 'style="rounded,dashed"' in line
    assert text.count("rank=same;") == 3  # executive, lead, missing
    assert "subgraph cluster_" not in text  # clusters overlap under newrank


def test_json_round_trips_through_node_link_graph(mode_of: Callable[..., Mode]) -> None:
    graph = tricky(mode_of)
    data = json.loads(render_json(graph))
    back = nx.node_link_graph(data, edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert set(back.nodes) == set(graph.graph.nodes)
    assert back.number_of_edges() == graph.graph.number_of_edges()
    assert back.nodes["boss"]["tier"] == "executive"
    assert back.nodes["boss"]["level"] == "000-executive"
    assert back.nodes["ghost"]["missing"] is True
    assert back.edges["boss", "lead-x", "delegate"]["note"] == 'says "hi" \\ back\\slash'
    assert back.edges["lead-x", "boss", "report"]["kind"] == "report"
    assert data["graph"] == {"format": "modegraph-escalation-graph", "version": 1}
    assert graph_data(graph) == data


@needs_dot
def test_svg_through_graphviz(mode_of: Callable[..., Mode]) -> None:
    svg = render_graph(tricky(mode_of), GraphFormat.SVG)
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert '👑 Big "Boss"' in texts
    assert 'says "hi" \\ back\\slash' in texts
    assert svg.count('class="node"') == 3


def test_svg_without_graphviz_names_the_fixes(
    mode_of: Callable[..., Mode], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SetupError, match=r"apt-get install graphviz.*--format html"):
        render_svg(tricky(mode_of))


def test_svg_reports_a_failing_dot(
    mode_of: Callable[..., Mode], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'broken install' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SetupError, match=r"exit 3\): broken install"):
        render_svg(tricky(mode_of))


def test_every_format_renders_the_team(team: Catalog) -> None:
    graph = EscalationGraph(team)
    for fmt in GraphFormat:
        if fmt is GraphFormat.SVG and shutil.which("dot") is None:
            continue
        assert "fastapi-developer" in html.unescape(render_graph(graph, fmt))


def test_an_empty_catalog_draws_in_every_format(mermaid_grammar: Callable[[str], object]) -> None:
    graph = EscalationGraph(Catalog([]))
    mermaid_grammar(render_graph(graph, GraphFormat.MERMAID))
    assert json.loads(render_graph(graph, GraphFormat.JSON))["nodes"] == []
    assert render_graph(graph, GraphFormat.DOT).startswith("digraph escalation {")
    assert "modegraph-data" in render_graph(graph, GraphFormat.HTML)

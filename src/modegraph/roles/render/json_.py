"""JSON of an escalation graph in networkx node-link form.

Load it back with ``networkx.node_link_graph(data, edges="edges")``. Nodes carry
``tier`` (a `Tier` value), ``level`` (as written), ``name``, ``emoji``,
``description``, ``path``, ``line`` and ``missing``; edges carry ``kind``, ``key``,
``note``, ``line``, ``missing`` and ``order``.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.levels import Level, Tier

__all__ = ["graph_data", "render_json"]

FORMAT_VERSION = 1
"""Bumped when the JSON layout changes in a way scripts would notice."""


def graph_data(graph: EscalationGraph) -> dict[str, Any]:
    """The node-link data, with every value plain JSON (enums as their values)."""
    plain = nx.MultiDiGraph(format="modegraph-escalation-graph", version=FORMAT_VERSION)
    for slug, attrs in graph.graph.nodes(data=True):
        plain.add_node(slug, **{key: _plain(value) for key, value in attrs.items()})
    for source, target, key, attrs in graph.graph.edges(keys=True, data=True):
        plain.add_edge(source, target, key=key, **{k: _plain(v) for k, v in attrs.items()})
    data: dict[str, Any] = dict(nx.node_link_data(plain, edges="edges"))
    return data


def render_json(graph: EscalationGraph) -> str:
    """The graph as indented node-link JSON (UTF-8, emoji kept)."""
    return json.dumps(graph_data(graph), indent=2, ensure_ascii=False) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, Tier):
        return value.value
    if isinstance(value, Level):
        return value.raw
    if isinstance(value, str):
        return str(value)  # StrEnum members become plain strings
    return value

"""Role hierarchy and escalation graph: levels, the graph, lint, pictures.

Never imports LangGraph.
"""

from modegraph.roles.escalation import ROUTING_KINDS, Edge, EscalationGraph
from modegraph.roles.levels import Level, Tier, parse_level
from modegraph.roles.lint import lint_catalog, lint_graph
from modegraph.roles.render import GraphFormat, render_graph

__all__ = [
    # the escalation graph
    "ROUTING_KINDS",
    "Edge",
    "EscalationGraph",
    # pictures
    "GraphFormat",
    # the hierarchy
    "Level",
    "Tier",
    # lint
    "lint_catalog",
    "lint_graph",
    "parse_level",
    "render_graph",
]

"""Role hierarchy and escalation graph: levels, the graph, lint, pictures.

The public names below are imported on first use (PEP 562 module `__getattr__`), as
in `modegraph.modes`: importing one module of this package (`modegraph.roles.coordination`,
which `modegraph modes list` runs) runs this file first, and importing the escalation
graph here would put networkx on that path.

Never imports LangGraph.
"""

import typing

from modegraph._lazy import lazy_exports as _lazy_exports

if typing.TYPE_CHECKING:
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

_EXPORTS: dict[str, str] = {
    "ROUTING_KINDS": "modegraph.roles.escalation",
    "Edge": "modegraph.roles.escalation",
    "EscalationGraph": "modegraph.roles.escalation",
    "GraphFormat": "modegraph.roles.render",
    "Level": "modegraph.roles.levels",
    "Tier": "modegraph.roles.levels",
    "lint_catalog": "modegraph.roles.lint",
    "lint_graph": "modegraph.roles.lint",
    "parse_level": "modegraph.roles.levels",
    "render_graph": "modegraph.roles.render",
}
"""The module each public name is imported from."""

__getattr__, __dir__ = _lazy_exports("modegraph.roles", _EXPORTS, __all__, globals())

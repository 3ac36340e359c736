"""Pictures of an escalation graph: Mermaid, DOT, JSON, SVG and an HTML page."""

from __future__ import annotations

from modegraph._graph_format import GraphFormat
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render._common import AUTO_NOTES_MAX_EDGES, auto_notes
from modegraph.roles.render.dot import render_dot
from modegraph.roles.render.html import render_html
from modegraph.roles.render.json_ import render_json
from modegraph.roles.render.mermaid import render_mermaid
from modegraph.roles.render.svg import render_svg

__all__ = [
    "AUTO_NOTES_MAX_EDGES",
    "GraphFormat",
    "auto_notes",
    "render_dot",
    "render_graph",
    "render_html",
    "render_json",
    "render_mermaid",
    "render_svg",
]

# its public home; it is defined apart (`modegraph._graph_format`) so that the CLI can
# name it without loading the renderers
GraphFormat.__module__ = __name__


def render_graph(
    graph: EscalationGraph,
    fmt: GraphFormat,
    *,
    title: str | None = None,
    notes: bool | None = None,
) -> str:
    """The graph in one format.

    Args:
        graph: The graph (or a subgraph) to draw.
        fmt: The format.
        title: The HTML page's title (other formats ignore it).
        notes: Label edges with their notes in Mermaid, DOT and SVG (JSON and
            HTML always carry them); None labels them only when the picture has
            at most `AUTO_NOTES_MAX_EDGES` edges (see `auto_notes`).

    Raises:
        SetupError: for SVG when Graphviz is not installed.
    """
    if notes is None:
        notes = auto_notes(graph)
    if fmt is GraphFormat.MERMAID:
        return render_mermaid(graph, notes=notes)
    if fmt is GraphFormat.DOT:
        return render_dot(graph, notes=notes)
    if fmt is GraphFormat.SVG:
        return render_svg(graph, notes=notes)
    if fmt is GraphFormat.JSON:
        return render_json(graph)
    if title is None:
        return render_html(graph)
    return render_html(graph, title=title)

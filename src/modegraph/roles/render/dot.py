"""Graphviz DOT of an escalation graph: one row per tier, one edge style per kind."""

from __future__ import annotations

import itertools

from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render._common import (
    EDGE_STYLE,
    MISSING_GROUP,
    auto_notes,
    groups,
    node_title,
    short_note,
)

__all__ = ["ROW_WIDTH", "quote", "render_dot"]


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, one line."""
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


ROW_WIDTH = 6
"""The most roles drawn side by side; a larger tier wraps onto more rows."""


def render_dot(graph: EscalationGraph, *, notes: bool = True) -> str:
    """The graph in DOT (``notes=False`` leaves the edge labels out).

    Each tier is a row of ``rank=same`` nodes, top to bottom, with its name in a
    plain-text node at the left (``class="row"`` in SVG); a tier of more than
    `ROW_WIDTH` roles wraps onto several rows. The rows are chained by invisible,
    heavy edges, so nothing can pull a role out of its tier's row. No clusters:
    with ``newrank`` Graphviz lets cluster boxes overlap. Delegate edges that go
    down shape the layout; the others do not (``constraint=false``). Notes are
    ``label``s on a small graph and ``xlabel``s (placed after the layout, so they
    do not widen it) on one of more than `AUTO_NOTES_MAX_EDGES` edges.
    """
    lines = [
        "digraph escalation {",
        '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.3, ranksep=0.7, newrank=true,'
        " outputorder=edgesfirst];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f8fafc", color="#64748b",'
        ' fontname="Helvetica", fontsize=11, margin="0.12,0.04"];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    ]
    row_of: dict[str, int] = {}
    anchors: list[str] = []
    for group in groups(graph):
        for part, slugs in enumerate(_wrap(group.slugs)):
            anchor = f"row:{group.key}:{part}"
            row_of.update((slug, len(anchors)) for slug in slugs)
            anchors.append(anchor)
            if part == 0:
                head = (
                    f"    {quote(anchor)} [label={quote(group.title)}, shape=plaintext,"
                    ' style="", fontcolor="#475569", fontsize=12, class="row"];'
                )
            else:
                head = f'    {quote(anchor)} [label="", shape=point, style=invis, class="row"];'
            lines.extend(["  {", "    rank=same;", head])
            for slug in slugs:
                title = node_title(graph, slug)
                label = f"{title}\n{slug}" if title != slug else slug
                attrs = [f"label={_label(label)}", f"tooltip={quote(_tooltip(graph, slug))}"]
                if group.key == MISSING_GROUP:
                    attrs.append('style="rounded,dashed"')
                    attrs.append('fillcolor="#ffffff"')
                    attrs.append('fontcolor="#6b7280"')
                lines.append(f"    {quote(slug)} [{', '.join(attrs)}];")
            lines.append("  }")
    for upper, lower in itertools.pairwise(anchors):
        lines.append(f"  {quote(upper)} -> {quote(lower)} [style=invis, weight=100];")
    # many notes as `label`s widen the layout several times over (6857pt for the
    # bundled library); as `xlabel`s they are placed after it and cost no width
    label_attr = "label" if auto_notes(graph) else "xlabel"
    for edge in graph.edges():
        style = EDGE_STYLE[edge.kind]
        attrs = [
            f"color={quote(style.color)}",
            f"style={style.dot_style}",
            f"class={quote(edge.kind.value)}",
        ]
        note = short_note(edge, limit=28) if notes else None
        if note:
            attrs.append(f"{label_attr}={quote(note)}")
            attrs.append(f"fontcolor={quote(style.color)}")
        downwards = row_of[edge.target] > row_of[edge.source]
        if edge.kind is not EdgeKind.DELEGATE or not downwards:
            attrs.append("constraint=false")
        lines.append(f"  {quote(edge.source)} -> {quote(edge.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _wrap(slugs: tuple[str, ...]) -> list[tuple[str, ...]]:
    """`slugs` cut into rows of at most `ROW_WIDTH`, as even as possible."""
    if not slugs:
        return []
    count = -(-len(slugs) // ROW_WIDTH)
    width = -(-len(slugs) // count)
    return [slugs[i : i + width] for i in range(0, len(slugs), width)]


def _label(text: str) -> str:
    """A multi-line DOT label: each line quoted like `quote`, joined by an escaped newline."""
    parts = [quote(line)[1:-1] for line in text.split("\n")]
    return '"' + "\\n".join(parts) + '"'


def _tooltip(graph: EscalationGraph, slug: str) -> str:
    node = graph.graph.nodes[slug]
    return str(node.get("description") or slug)

"""Graphviz DOT of an escalation graph: one cluster per tier, one edge style per kind."""

from __future__ import annotations

import itertools

from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render._common import EDGE_STYLE, MISSING_GROUP, groups, node_title, short_note

__all__ = ["quote", "render_dot"]


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, one line."""
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(graph: EscalationGraph, *, notes: bool = True) -> str:
    """The graph in DOT (``notes=False`` leaves the edge labels out).

    Tiers are clusters ranked top to bottom (chained by invisible edges); delegate
    edges shape the layout, escalate and report edges do not (``constraint=false``),
    so a role is drawn in its tier's row however its references point.
    """
    lines = [
        "digraph escalation {",
        '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.35, ranksep=1.1, newrank=true];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f8fafc", color="#64748b",'
        ' fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    rows = groups(graph)
    for index, row in enumerate(rows):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(
            f'    label={quote(row.title)}; labeljust=l; fontcolor="#475569"; fontsize=12;'
            ' style="rounded,dashed"; color="#cbd5e1"; margin=14;'
        )
        lines.append("    rank=same;")
        for slug in row.slugs:
            title = node_title(graph, slug)
            label = f"{title}\n{slug}" if title != slug else slug
            attrs = [f"label={_label(label)}", f"tooltip={quote(_tooltip(graph, slug))}"]
            if row.key == MISSING_GROUP:
                attrs.append('style="rounded,dashed"')
                attrs.append('fillcolor="#ffffff"')
                attrs.append('fontcolor="#6b7280"')
            lines.append(f"    {quote(slug)} [{', '.join(attrs)}];")
        lines.append("  }")
    for upper, lower in itertools.pairwise(rows):
        lines.append(
            f"  {quote(upper.slugs[0])} -> {quote(lower.slugs[0])} [style=invis, weight=10];"
        )
    for edge in graph.edges():
        style = EDGE_STYLE[edge.kind]
        attrs = [
            f"color={quote(style.color)}",
            f"style={style.dot_style}",
            f"class={quote(edge.kind.value)}",
        ]
        note = short_note(edge) if notes else None
        if note:
            attrs.append(f"label={quote(note)}")
            attrs.append(f"fontcolor={quote(style.color)}")
        if edge.kind is not EdgeKind.DELEGATE:
            attrs.append("constraint=false")
        lines.append(f"  {quote(edge.source)} -> {quote(edge.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _label(text: str) -> str:
    """A multi-line DOT label: each line quoted like `quote`, joined by an escaped newline."""
    parts = [quote(line)[1:-1] for line in text.split("\n")]
    return '"' + "\\n".join(parts) + '"'


def _tooltip(graph: EscalationGraph, slug: str) -> str:
    node = graph.graph.nodes[slug]
    return str(node.get("description") or slug)

"""What every renderer shares: node groups by tier, labels, edge styles."""

from __future__ import annotations

from dataclasses import dataclass

from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import Edge, EscalationGraph
from modegraph.roles.levels import Tier

__all__ = [
    "AUTO_NOTES_MAX_EDGES",
    "EDGE_STYLE",
    "MISSING_GROUP",
    "EdgeStyle",
    "Group",
    "auto_notes",
    "groups",
    "node_title",
    "short_note",
]

MISSING_GROUP = "missing"
"""Key of the group that holds references no mode of the catalog defines."""


@dataclass(frozen=True, slots=True)
class Group:
    """One row of a picture: the nodes of a tier, or the missing nodes."""

    key: str
    """`Tier` value, or `MISSING_GROUP`."""
    title: str
    """Heading shown over the row."""
    slugs: tuple[str, ...]
    """The nodes of the row, in catalog order."""


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """How one edge kind is drawn."""

    label: str
    """Legend text: ``delegates to``."""
    color: str
    """CSS / Graphviz colour."""
    mermaid_arrow: str
    """The Mermaid link: ``==>``, ``-->`` or ``-.->``."""
    dot_style: str
    """Graphviz ``style`` attribute: ``bold``, ``solid`` or ``dashed``."""
    dash: str
    """SVG ``stroke-dasharray`` (empty for a solid line)."""
    mermaid_long: str
    """The same Mermaid link one rank longer (``===>``, ``--->``, ``-..->``)."""


EDGE_STYLE: dict[EdgeKind, EdgeStyle] = {
    EdgeKind.DELEGATE: EdgeStyle("delegates to", "#2563eb", "==>", "bold", "", "===>"),
    EdgeKind.ESCALATE: EdgeStyle("escalates to", "#dc2626", "-->", "solid", "", "--->"),
    EdgeKind.REPORT: EdgeStyle("reports to", "#6b7280", "-.->", "dashed", "5 4", "-..->"),
}
"""One style per edge kind, shared by every picture so they read alike."""

_TITLES = {
    Tier.EXECUTIVE: "Executive",
    Tier.DIRECTOR: "Directors",
    Tier.LEAD: "Leads",
    Tier.WORKER: "Workers",
    Tier.ASSISTANT: "Assistants",
    Tier.OTHER: "Other roles",
}


def groups(graph: EscalationGraph) -> list[Group]:
    """The non-empty rows of a picture, top to bottom: tiers, then missing nodes."""
    by_key: dict[str, list[str]] = {tier.value: [] for tier in Tier}
    by_key[MISSING_GROUP] = []
    for slug in graph.slugs:
        key = MISSING_GROUP if graph.is_missing(slug) else graph.tier(slug).value
        by_key[key].append(slug)
    rows = [Group(t.value, _TITLES[t], tuple(by_key[t.value])) for t in Tier]
    rows.append(Group(MISSING_GROUP, "Not in the catalog", tuple(by_key[MISSING_GROUP])))
    return [row for row in rows if row.slugs]


def node_title(graph: EscalationGraph, slug: str) -> str:
    """``<emoji> <Name>`` for a mode, the slug for a missing node.

    The built-in orchestrator's name gets ``(built in)``: no file declares it.
    """
    node = graph.graph.nodes[slug]
    name = str(node.get("name") or slug)
    if node.get("built_in"):
        name += " (built in)"
    emoji = node.get("emoji")
    return f"{emoji} {name}" if emoji else name


def short_note(edge: Edge, limit: int = 40) -> str | None:
    """The edge's note on one line, cut to `limit` characters with an ellipsis."""
    if not edge.note:
        return None
    text = " ".join(edge.note.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


AUTO_NOTES_MAX_EDGES = 20
"""Edge labels are drawn by default only up to this many edges.

The bundled library has 65 edges: with a label on each, Mermaid and Graphviz
pictures turn into a wall of text. Notes stay one hover away in the HTML page
and in JSON, and ``--notes`` asks for them on any picture.
"""


def auto_notes(graph: EscalationGraph) -> bool:
    """Whether a picture of `graph` should label its edges when nobody said."""
    return int(graph.graph.number_of_edges()) <= AUTO_NOTES_MAX_EDGES

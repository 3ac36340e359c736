"""The escalation graph: a networkx MultiDiGraph of modes and their references."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
from pydantic import BaseModel, ConfigDict

from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind

__all__ = ["Edge", "EscalationGraph"]

ROUTING_KINDS: tuple[EdgeKind, ...] = (EdgeKind.DELEGATE, EdgeKind.ESCALATE)
"""Edge kinds that work may travel along."""


class Edge(BaseModel):
    """One reference from a mode to another, resolved."""

    model_config = ConfigDict(frozen=True)

    source: str
    """Slug of the mode that makes the reference."""
    target: str
    """Resolved slug of the target, or the reference as written when it is missing."""
    kind: EdgeKind
    """delegate, escalate or report."""
    note: str | None = None
    """The reference's inline note."""
    line: int | None = None
    """Line of the reference in the source file."""
    missing: bool = False
    """True when the target is not in the catalog."""


class EscalationGraph:
    """Modes as nodes, references as edges (kind, note, line)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for mode in catalog:
            self.graph.add_node(mode.slug, missing=False)
        for mode in catalog:
            for kind in EdgeKind:
                for ref in mode.references(kind):
                    resolved = catalog.resolve(ref.slug)
                    target = resolved or ref.slug
                    if resolved is None:
                        self.graph.add_node(target, missing=True)
                    self.graph.add_edge(
                        mode.slug,
                        target,
                        key=kind.value,
                        kind=kind,
                        note=ref.note,
                        line=ref.line,
                        missing=resolved is None,
                    )

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> EscalationGraph:
        """Build the graph of a catalog."""
        return cls(catalog)

    def targets(self, slug: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS) -> list[Edge]:
        """The edges out of `slug` of the given kinds, in declaration order."""
        wanted = set(kinds)
        if slug not in self.graph:
            return []
        return [
            Edge(source=slug, target=target, **data)
            for _, target, data in self.graph.out_edges(slug, data=True)
            if data["kind"] in wanted
        ]

    def reachable(self, entry: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS) -> list[str]:
        """Slugs reachable from `entry` along edges of the given kinds (entry first)."""
        wanted = tuple(kinds)
        seen = [entry]
        frontier = [entry]
        while frontier:
            nxt = []
            for slug in frontier:
                for edge in self.targets(slug, wanted):
                    if edge.target not in seen:
                        seen.append(edge.target)
                        nxt.append(edge.target)
            frontier = nxt
        return seen

"""The escalation graph: a networkx MultiDiGraph of modes and their references.

Nodes are slugs. Each node carries ``tier`` (`Tier`), ``level`` (`Level`),
``name``, ``emoji``, ``description``, ``path``, ``line``, ``built_in`` (True for
the built-in orchestrator, which no file declares) and ``missing`` (True for a
reference that names no mode of the catalog: it is drawn, dashed, instead of
failing). Each edge is keyed by its kind's value and carries ``kind``
(`EdgeKind`), ``note``, ``line``, ``missing``, ``order`` (declaration order) and
``implied`` (where an edge no file declares came from, else None).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any, NamedTuple

import networkx as nx
from pydantic import BaseModel, ConfigDict

from modegraph._gc import gc_paused
from modegraph.errors import CatalogError
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode
from modegraph.roles.levels import Level, Tier, parse_level

__all__ = ["ROUTING_KINDS", "Edge", "EdgeRow", "EscalationGraph"]

ROUTING_KINDS: tuple[EdgeKind, ...] = (EdgeKind.DELEGATE, EdgeKind.ESCALATE)
"""Edge kinds that work may travel along."""
_KIND_KEYS = tuple((kind, kind.value) for kind in EdgeKind)
"""Each edge kind with its edge key, in declaration order."""


class EdgeRow(NamedTuple):
    """An edge with the fields of `Edge` the lint reads, built without validation."""

    source: str
    """Slug of the mode that makes the reference."""
    target: str
    """Resolved slug of the target, or the reference as written when it is missing."""
    kind: EdgeKind
    """delegate, escalate or report."""
    line: int | None
    """Line of the reference in the source file."""
    missing: bool
    """True when the target is not in the catalog."""


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
    implied: str | None = None
    """Where an edge no file declares came from (a mode's text, the orchestrator role)."""


class EscalationGraph:
    """Modes as nodes, references as edges (kind, note, line)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        rows: list[EdgeRow] = []
        self._rows: list[EdgeRow] | None = rows
        for mode in catalog:
            self._add_mode(mode)
        order = 0
        resolved_names: dict[str, str | None] = {}  # a name resolves alike in every mode
        for mode in catalog:
            for kind, key in _KIND_KEYS:
                for ref in mode.references(kind):
                    name = ref.slug
                    if name in resolved_names:
                        resolved = resolved_names[name]
                    else:
                        resolved = resolved_names[name] = catalog.resolve(name)
                    target = resolved or name
                    if target not in self.graph:
                        self._add_missing(target)
                    if self.graph.has_edge(mode.slug, target, key=key):
                        continue  # the same reference twice: keep the first
                    self.graph.add_edge(
                        mode.slug,
                        target,
                        key=key,
                        kind=kind,
                        note=ref.note,
                        line=ref.line,
                        missing=resolved is None,
                        order=order,
                        implied=ref.implied_by,
                    )
                    rows.append(EdgeRow(mode.slug, target, kind, ref.line, resolved is None))
                    order += 1

    def _add_mode(self, mode: Mode) -> None:
        level = parse_level(mode.level)
        self.graph.add_node(
            mode.slug,
            missing=False,
            tier=level.tier,
            level=level,
            name=mode.name,
            emoji=mode.emoji,
            description=mode.description or mode.when_to_use,
            path=mode.source.path,
            line=mode.source.line,
            built_in=mode.source.layer == "built-in",
        )

    def _add_missing(self, slug: str) -> None:
        self.graph.add_node(
            slug,
            missing=True,
            tier=Tier.OTHER,
            level=Level(tier=Tier.OTHER),
            name=slug,
            emoji=None,
            description="Not in the catalog: a reference names this mode but no file defines it.",
            path=None,
            line=None,
            built_in=False,
        )

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> EscalationGraph:
        """Build the graph of a catalog."""
        with gc_paused():
            return cls(catalog)

    @classmethod
    def _with_graph(cls, catalog: Catalog, graph: nx.MultiDiGraph) -> EscalationGraph:
        made = cls.__new__(cls)
        made.catalog = catalog
        made.graph = graph
        made._rows = None
        return made

    def edge_rows(self) -> list[EdgeRow]:
        """Every edge in declaration order as a plain tuple (`edges()` without validation).

        A graph built from a catalog keeps them from its build, in one compact list,
        so that lint does not walk networkx's dicts of every edge again (at 10,000
        modes they are spread over about 100 MB). Any other graph (`subgraph`), or one
        whose networkx graph gained or lost edges since, reads them from the networkx
        graph; nothing in modegraph changes a built graph in place.
        """
        rows = self._rows
        if rows is not None and len(rows) == self.graph.number_of_edges():
            return rows
        found = [
            (data["order"], EdgeRow(u, v, data["kind"], data["line"], data["missing"]))
            for u, v, data in self.graph.edges(data=True)
        ]
        found.sort(key=lambda pair: pair[0])
        return [row for _, row in found]

    # -- nodes ---------------------------------------------------------------

    def __contains__(self, slug: object) -> bool:
        return slug in self.graph

    def __len__(self) -> int:
        return int(self.graph.number_of_nodes())

    @property
    def slugs(self) -> list[str]:
        """Every node, modes first in catalog order, then missing targets."""
        return list(self.graph.nodes)

    def tier(self, slug: str) -> Tier:
        """The tier of a node (`Tier.OTHER` for a missing one)."""
        tier: Tier = self.graph.nodes[slug]["tier"]
        return tier

    def is_missing(self, slug: str) -> bool:
        """True when `slug` is referenced but no mode of the catalog defines it."""
        return bool(self.graph.nodes[slug]["missing"])

    def _require(self, slug: str) -> None:
        if slug not in self.graph:
            raise CatalogError(
                f"no mode with slug {slug!r} in the graph; "
                "run `modegraph modes list` to see the slugs"
            )

    def _require_role(self, slug: str) -> None:
        """Like `_require`, and refuse a missing node: work can neither start nor end there."""
        self._require(slug)
        if self.is_missing(slug):
            referrers = list(dict.fromkeys(e.source for e in self.sources(slug, tuple(EdgeKind))))
            raise CatalogError(
                f"{slug} is referenced by {', '.join(referrers)} but no mode declares it; "
                "add a mode with this slug (or --modes its file), or fix the reference "
                "(`modegraph modes validate` lists it as dangling-reference)"
            )

    # -- edges ---------------------------------------------------------------

    def edges(self, kinds: Iterable[EdgeKind] = tuple(EdgeKind)) -> list[Edge]:
        """Every edge of the given kinds, in declaration order."""
        wanted = set(kinds)
        found = [
            (data["order"], _edge(u, v, data))
            for u, v, data in self.graph.edges(data=True)
            if data["kind"] in wanted
        ]
        return [edge for _, edge in sorted(found, key=lambda pair: pair[0])]

    def targets(self, slug: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS) -> list[Edge]:
        """The edges out of `slug` of the given kinds, in declaration order."""
        wanted = set(kinds)
        if slug not in self.graph:
            return []
        found = [
            (data["order"], _edge(slug, target, data))
            for _, target, data in self.graph.out_edges(slug, data=True)
            if data["kind"] in wanted
        ]
        return [edge for _, edge in sorted(found, key=lambda pair: pair[0])]

    def sources(self, slug: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS) -> list[Edge]:
        """The edges into `slug` of the given kinds, in declaration order."""
        wanted = set(kinds)
        if slug not in self.graph:
            return []
        found = [
            (data["order"], _edge(source, slug, data))
            for source, _, data in self.graph.in_edges(slug, data=True)
            if data["kind"] in wanted
        ]
        return [edge for _, edge in sorted(found, key=lambda pair: pair[0])]

    # -- queries -------------------------------------------------------------

    def reachable(self, entry: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS) -> list[str]:
        """Slugs reachable from `entry` along edges of the given kinds (entry first)."""
        return list(self._distances(entry, tuple(kinds)))

    def _distances(self, entry: str, kinds: tuple[EdgeKind, ...]) -> dict[str, int]:
        """Breadth-first hop counts from `entry` (insertion order = visit order)."""
        seen = {entry: 0}
        queue = deque([entry])
        while queue:
            slug = queue.popleft()
            for _, target in self._out(slug, kinds):
                if target not in seen:
                    seen[target] = seen[slug] + 1
                    queue.append(target)
        return seen

    def _out(self, slug: str, kinds: tuple[EdgeKind, ...]) -> list[tuple[int, str]]:
        """(declaration order, target) of the edges out of `slug`, sorted; no Edge objects."""
        adjacency = self.graph.succ.get(slug)
        if not adjacency:
            return []
        found = [
            (data["order"], target)
            for target, by_key in adjacency.items()
            for data in by_key.values()
            if data["kind"] in kinds
        ]
        found.sort()
        return found

    def path(
        self, source: str, target: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS
    ) -> list[Edge] | None:
        """The shortest chain of allowed handoffs from `source` to `target`.

        Edges are followed in their direction only. Among equally short chains the
        one using the earliest-declared edges wins, so the answer is stable. Both
        ends must be roles of the catalog: a chain that ends at a missing node is a
        handoff the coordinator would refuse, so it is never returned.

        Returns:
            The edges in order (empty when `source == target`), or None when there
            is no chain.

        Raises:
            CatalogError: when `source` or `target` is not a node of the graph, or is
                a missing node (referenced, but no mode declares it); the message
                names the modes that reference it.
        """
        self._require_role(source)
        self._require_role(target)
        wanted = tuple(kinds)
        came_from: dict[str, str | None] = {source: None}
        queue = deque([source])
        while queue and target not in came_from:
            slug = queue.popleft()
            for _, nxt in self._out(slug, wanted):
                if nxt not in came_from:
                    came_from[nxt] = slug
                    queue.append(nxt)
        if target not in came_from:
            return None
        hops: list[tuple[str, str]] = []
        step: str = target
        while (before := came_from[step]) is not None:
            hops.append((before, step))
            step = before
        hops.reverse()
        # the first-declared edge of an allowed kind for each hop
        return [next(e for e in self.targets(u, wanted) if e.target == v) for u, v in hops]

    def closest_reachable(
        self, source: str, target: str, kinds: Iterable[EdgeKind] = ROUTING_KINDS
    ) -> str | None:
        """The role reachable from `source` that comes nearest to `target`.

        "Nearest" counts hops between the two with edge direction ignored and
        every edge kind allowed; ties go to the role closer in tier to `target`,
        then to the one fewer hops from `source`. Used to explain a missing path:
        "no path from A to B; the closest A reaches is C".

        Missing nodes are never the answer: they are not roles work can go to.

        Returns:
            A slug other than `source` (or `target` itself when it is reachable),
            or None when `source` reaches no role that is connected to `target`.

        Raises:
            CatalogError: when `source` or `target` is not a node of the graph.
        """
        self._require(source)
        self._require(target)
        from_source = self._distances(source, tuple(kinds))
        if target in from_source and not self.is_missing(target):
            return target
        undirected = self.graph.to_undirected(as_view=True)
        to_target: dict[str, int] = nx.single_source_shortest_path_length(undirected, target)
        target_rank = self.tier(target).rank
        best: tuple[int, int, int, int] | None = None
        best_slug: str | None = None
        for index, (slug, hops) in enumerate(from_source.items()):
            if slug == source or slug not in to_target or self.is_missing(slug):
                continue
            key = (to_target[slug], abs(self.tier(slug).rank - target_rank), hops, index)
            if best is None or key < best:
                best, best_slug = key, slug
        return best_slug

    def subgraph(self, entry: str, depth: int | None = None) -> EscalationGraph:
        """The part of the graph reachable from `entry` along delegate/escalate edges.

        Args:
            entry: The slug to start from.
            depth: The most handoffs to follow (0 = the entry alone); None for no limit.

        Returns:
            A new graph over the same catalog with the reached nodes and every edge
            (of any kind) between them.

        Raises:
            CatalogError: when `entry` is not a node of the graph.
        """
        self._require(entry)
        distances = self._distances(entry, ROUTING_KINDS)
        keep = [s for s, hops in distances.items() if depth is None or hops <= depth]
        kept = set(keep)
        # keep catalog order for stable pictures
        ordered = [slug for slug in self.graph.nodes if slug in kept]
        view = self.graph.subgraph(ordered)
        sub = nx.MultiDiGraph()
        sub.add_nodes_from((slug, self.graph.nodes[slug]) for slug in ordered)
        sub.add_edges_from(view.edges(keys=True, data=True))
        return EscalationGraph._with_graph(self.catalog, sub)


def _edge(source: str, target: str, data: dict[str, Any]) -> Edge:
    return Edge(
        source=source,
        target=target,
        kind=data["kind"],
        note=data["note"],
        line=data["line"],
        missing=data["missing"],
        implied=data.get("implied"),
    )

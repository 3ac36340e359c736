"""The coordinator's routing decisions: pure functions over the escalation graph.

A handoff is checked, in this order, and the first failing check refuses it:

1. the target is a role of the catalog (else: unknown role);
2. the target is not a dangling reference (else: referenced but missing);
3. the requesting role has a delegate or escalate edge to it (else: not allowed);
4. guards: the target is not already in the escalation chain (A -> B -> A), the
   child would not be deeper than `max_depth`, the run has room for one more
   subtask under `max_subtasks`.

Checks 1-3 raise `HandoffRefused`; a guard (4) raises `GuardTripped`, and the run
ends `blocked`. The journal node catches both, records the refusal and tells the
requesting role.
"""

from __future__ import annotations

from modegraph.coordinator.policy import Guard, Policy
from modegraph.errors import GuardTripped, HandoffRefused
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import Edge, EscalationGraph

__all__ = ["Routes", "check_handoff"]


class Routes:
    """The allowed edges of every role, read once from the escalation graph."""

    def __init__(self, *, catalog: Catalog, graph: EscalationGraph) -> None:
        self.catalog = catalog
        self.graph = graph
        self._cache: dict[str, list[Edge]] = {}

    def edges(self, slug: str) -> list[Edge]:
        """Delegate and escalate edges out of `slug`, dangling ones included, first wins."""
        edges = self._cache.get(slug)
        if edges is None:
            seen: dict[str, Edge] = {}
            for edge in self.graph.targets(slug):
                seen.setdefault(edge.target, edge)
            edges = list(seen.values())
            self._cache[slug] = edges
        return edges

    def allowed(self, slug: str) -> list[Edge]:
        """The edges a handoff from `slug` may follow (targets present in the catalog)."""
        return [e for e in self.edges(slug) if not e.missing]

    def edge(self, source: str, target: str) -> Edge | None:
        """The edge from `source` to `target`, or None."""
        return next((e for e in self.edges(source) if e.target == target), None)

    def describe_allowed(self, slug: str) -> str:
        """`a, b (escalate)` or `none` for messages."""
        names = [
            e.target if e.kind is EdgeKind.DELEGATE else f"{e.target} ({e.kind.value})"
            for e in self.allowed(slug)
        ]
        return ", ".join(names) or "none"


def check_handoff(
    *,
    routes: Routes,
    policy: Policy,
    source: str,
    target: str,
    chain: list[str],
    depth: int,
    subtasks: int,
) -> Edge:
    """The edge the handoff goes along, when it may go ahead.

    Args:
        routes: The escalation graph's edges.
        policy: The run's guards.
        source: Slug of the requesting role.
        target: The target as the role named it.
        chain: Slugs from the root's role to the requesting role.
        depth: Depth of the requesting subtask.
        subtasks: Subtasks created or reserved so far (the root not counted).

    Raises:
        HandoffRefused: the escalation graph does not allow it (checks 1-3).
        GuardTripped: a guard stops it (check 4); the run ends blocked.
    """
    edge = routes.edge(source, target)
    if edge is None or edge.missing:
        # the list of allowed targets is only for these messages: built when refused
        allowed = routes.describe_allowed(source)
        if edge is None and target not in routes.catalog:
            raise HandoffRefused(
                f"{target!r} is not a role of the catalog; {source} may hand off to: {allowed}"
            )
        if edge is not None:
            raise HandoffRefused(
                f"{target!r} is referenced by {source} but missing from the catalog (dangling "
                f"reference); add the mode or fix the reference; {source} may hand off to: "
                f"{allowed}"
            )
        raise HandoffRefused(
            f"{source} has no delegate or escalate edge to {target}; "
            f"{source} may hand off to: {allowed}"
        )
    if target in chain:
        loop = " -> ".join([*chain[chain.index(target) :], target])
        raise GuardTripped(
            f"guard: {target} is already in this escalation chain ({loop}); "
            "a role never works twice in one chain",
            guard=Guard.CHAIN,
        )
    if depth + 1 > policy.max_depth:
        raise GuardTripped(
            f"guard: handing off to {target} would reach depth {depth + 1}, deeper than "
            f"{policy.limit('max_depth')}",
            guard=Guard.MAX_DEPTH,
        )
    if subtasks >= policy.max_subtasks:
        raise GuardTripped(
            f"guard: the run already has {subtasks} subtask{'' if subtasks == 1 else 's'}, "
            f"the most {policy.limit('max_subtasks')} allows",
            guard=Guard.MAX_SUBTASKS,
        )
    return edge

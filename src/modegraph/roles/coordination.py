"""Who coordinates a catalog: implied edges, the orchestrator role, and the entry rule.

`coordinate(catalog, entry=..., edges=...)` is what `run`, `route`, `test`,
`graph` and `modes` all call, so they all see the same roles and edges:

1. **Implied edges** (unless `edges=EdgeMode.DECLARED`): a mode that declares no
   delegate or escalate reference, but whose own text hands work to named slugs,
   gets those edges (`modegraph.modes.catalog.implied`).
2. **The entry** (`Entry`), first rule that applies:
   - `given`: the `--mode SLUG` asked for (`orchestrator` asks for the
     orchestrator role, built in unless the catalog has a mode of that slug);
   - `coordinator`, alone: a catalog of one mode enters it;
   - `coordinator`: the catalog's own coordinator, when there is one that can
     reach at least half of the catalog's roles. Candidates are the modes with a
     delegate edge to another mode of the catalog that can reach (along delegate
     and escalate edges) at least half of its roles. The best one sits highest in
     the hierarchy (its level's tier), then is handed work by no other mode (a
     coordinator is not itself delegated to), then reaches the most roles along
     delegate edges, then along delegate and escalate edges, then delegates to
     the most roles directly, then comes first in the catalog;
   - `orchestrator`: otherwise, the orchestrator role, which may hand work to
     every role (`modegraph.modes.catalog.orchestrator`): the catalog declares
     no delegate edge at all (most Roo Code and Claude Code catalogs), or its
     best coordinator would leave most roles out of reach (a flat folder of
     agents next to a small hierarchy).
3. **The orchestrator role** is added to the catalog when the entry is it.

The rule needs each role's delegate and escalate targets and what it reaches along
them: `_Handoffs` works them out from plain dicts, the way `EscalationGraph` resolves
references, so coordinating (and `modegraph modes list`) does not import networkx.
`tests/roles/test_coordination_light.py` checks that both give the same answers.

Never imports LangGraph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from modegraph._model import FrozenModel
from modegraph.findings import Finding
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.catalog.implied import EdgeMode, with_implied_edges
from modegraph.modes.catalog.orchestrator import (
    BUILT_IN_LAYER,
    ORCHESTRATOR_SLUG,
    with_orchestrator,
)
from modegraph.modes.model import EdgeKind
from modegraph.roles.levels import parse_level

__all__ = ["Coordination", "EdgeMode", "Entry", "EntryRule", "coordinate"]

_REACH_SHARE = 0.5
"""The least share of the catalog's roles the catalog's own coordinator must reach to be
entered; below it the orchestrator role, which reaches every role, is entered instead."""


class EntryRule(StrEnum):
    """Why the entry role was chosen."""

    GIVEN = "given"
    """`--mode SLUG`."""
    COORDINATOR = "coordinator"
    """The catalog's own coordinator."""
    ORCHESTRATOR = "orchestrator"
    """The orchestrator role: the catalog (or most of it) declares no edges."""


class Entry(FrozenModel):
    """The role a run starts at, and why."""

    slug: str
    """The entry role's slug."""
    rule: EntryRule
    """Which rule chose it."""
    reason: str
    """Why, in a sentence (the journal, `--json` and `route` show it)."""
    built_in: bool = False
    """True when the entry is modegraph's built-in orchestrator (no file declares it)."""


@dataclass(frozen=True)
class Coordination:
    """A catalog made ready to coordinate: its edges, its entry, what was added."""

    catalog: Catalog
    """The catalog with implied edges (unless declared only) and, when it is the
    entry, the orchestrator role."""
    entry: Entry | None
    """The entry role; None for an empty catalog."""
    edges: EdgeMode = EdgeMode.ALL
    """Which edges were used."""
    findings: list[Finding] = field(default_factory=list)
    """What coordination added: `implied-edge`, `implied-target-missing` and
    `built-in-orchestrator` findings (also in `catalog.findings`)."""


def coordinate(
    catalog: Catalog, *, entry: str | None = None, edges: EdgeMode = EdgeMode.ALL
) -> Coordination:
    """Implied edges, the entry role and the orchestrator role of `catalog` (see module doc).

    Args:
        catalog: The catalog as loaded.
        entry: `--mode SLUG`, or None for the entry rule. A slug the catalog does not
            hold is returned as given; `check_entry` refuses it later with a suggestion.
        edges: `EdgeMode.DECLARED` leaves implied edges out.

    Returns:
        The coordination. Call it on a catalog as loaded, once: its catalog already
        holds the implied edges.
    """
    before = len(catalog.findings)
    working = with_implied_edges(catalog) if edges is EdgeMode.ALL else catalog
    if not len(working):
        return Coordination(catalog=working, entry=None, edges=edges)
    if entry is not None:
        chosen, cause = _given(working, entry), f"--mode {entry}"
    else:
        chosen, cause = _by_rule(working)
    if chosen.slug == ORCHESTRATOR_SLUG and chosen.rule is not EntryRule.COORDINATOR:
        working = with_orchestrator(working, why=cause)
        role = working[ORCHESTRATOR_SLUG]
        chosen = chosen.model_copy(update={"built_in": role.source.layer == BUILT_IN_LAYER})
    return Coordination(
        catalog=working, entry=chosen, edges=edges, findings=working.findings[before:]
    )


def _given(catalog: Catalog, slug: str) -> Entry:
    if slug == ORCHESTRATOR_SLUG:
        own = catalog.get(slug)
        whose = "built in" if own is None or own.source.layer == BUILT_IN_LAYER else "its own"
        return Entry(
            slug=slug,
            rule=EntryRule.GIVEN,
            reason=f"--mode {slug}: the orchestrator role ({whose}), which may hand work to "
            f"every role of the catalog",
        )
    return Entry(slug=slug, rule=EntryRule.GIVEN, reason=f"--mode {slug}")


class _Edge(Protocol):
    @property
    def target(self) -> str: ...
    @property
    def missing(self) -> bool: ...


class _Graph(Protocol):
    """What the entry rule asks of a graph (`EscalationGraph` answers it too)."""

    def targets(self, slug: str, kinds: Iterable[EdgeKind] = ...) -> Sequence[_Edge]: ...
    def reachable(self, entry: str, kinds: Iterable[EdgeKind] = ...) -> list[str]: ...


@dataclass(frozen=True)
class _Target:
    target: str
    kind: EdgeKind
    missing: bool


_ROUTING = (EdgeKind.DELEGATE, EdgeKind.ESCALATE)


class _Handoffs:
    """The references of a catalog's modes, resolved as `EscalationGraph` resolves them.

    Per mode, its references kind by kind in declaration order, each target (the
    resolved slug, or the reference as written when it names no mode) once per kind.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._out: dict[str, list[_Target]] = {}
        for mode in catalog:
            out = self._out.setdefault(mode.slug, [])
            seen: set[tuple[str, EdgeKind]] = {(t.target, t.kind) for t in out}
            for kind in EdgeKind:
                for ref in mode.references(kind):
                    resolved = catalog.resolve(ref.slug)
                    target = resolved or ref.slug
                    if (target, kind) in seen:
                        continue  # the same reference twice: keep the first
                    seen.add((target, kind))
                    out.append(_Target(target, kind, resolved is None))

    def targets(self, slug: str, kinds: Iterable[EdgeKind] = _ROUTING) -> list[_Target]:
        """The targets of `slug` of the given kinds, kind by kind in declaration order."""
        wanted = set(kinds)
        return [t for t in self._out.get(slug, ()) if t.kind in wanted]

    def reachable(self, entry: str, kinds: Iterable[EdgeKind] = _ROUTING) -> list[str]:
        """Slugs reachable from `entry` along edges of the given kinds (entry first)."""
        wanted = tuple(kinds)
        seen = {entry: None}
        queue = deque([entry])
        while queue:
            for edge in self.targets(queue.popleft(), wanted):
                if edge.target not in seen:
                    seen[edge.target] = None
                    queue.append(edge.target)
        return list(seen)


def _by_rule(catalog: Catalog, graph: _Graph | None = None) -> tuple[Entry, str]:
    """The entry the rule picks, and its cause in a few words.

    `graph` answers the rule's questions about edges (default: `_Handoffs`, plain
    dicts); the tests pass an `EscalationGraph` to check both agree.
    """
    if graph is None:
        graph = _Handoffs(catalog)
    total = len(catalog)
    if total == 1:
        slug = catalog.slugs[0]
        entry = Entry(
            slug=slug,
            rule=EntryRule.COORDINATOR,
            reason=f"{slug} is the catalog's only role",
            built_in=catalog[slug].source.layer == BUILT_IN_LAYER,
        )
        return entry, "it is the only role"
    best = _best_coordinator(catalog, graph)
    if best is not None and best[2]:
        slug, reached, _ = best
        cause = f"it can reach {reached} of the catalog's {total} roles"
        entry = Entry(
            slug=slug,
            rule=EntryRule.COORDINATOR,
            reason=f"{slug} is the catalog's coordinator: {cause} along delegate and "
            "escalate edges",
            built_in=catalog[slug].source.layer == BUILT_IN_LAYER,
        )
        return entry, cause
    if best is not None:
        slug, reached, _ = best
        why = (
            f"the catalog's best coordinator, {slug}, can reach only {reached} of its {total} roles"
        )
    elif any(graph.targets(s) for s in catalog.slugs):
        why = f"none of the catalog's {total} roles delegates to another"
    else:
        why = f"none of the catalog's {total} roles declares a delegate or escalate edge"
    own = catalog.get(ORCHESTRATOR_SLUG)
    whose = "built in" if own is None else "the catalog's own orchestrator mode"
    entry = Entry(
        slug=ORCHESTRATOR_SLUG,
        rule=EntryRule.ORCHESTRATOR,
        reason=f"{why}; the orchestrator role ({whose}) may hand work to every role, "
        "as Roo Code's Orchestrator and Claude Code's main thread do",
    )
    return entry, why


def _best_coordinator(catalog: Catalog, graph: _Graph) -> tuple[str, int, bool] | None:
    """The catalog's best coordinator, how many roles it reaches, and whether that is enough.

    None when no mode delegates to another. When none reaches `_REACH_SHARE` of the
    roles, the one that reaches the most is returned (for the message), with False.
    """
    delegates: dict[str, list[str]] = {}
    for slug in catalog.slugs:
        targets = [
            e.target
            for e in graph.targets(slug, (EdgeKind.DELEGATE,))
            if not e.missing and e.target != slug
        ]
        if targets:
            delegates[slug] = targets
    if not delegates:
        return None
    handed = {t for targets in delegates.values() for t in targets}
    order = {slug: index for index, slug in enumerate(catalog.slugs)}
    every = {slug: len([s for s in graph.reachable(slug) if s in catalog]) for slug in delegates}
    enough = [s for s in delegates if every[s] >= len(catalog) * _REACH_SHARE]
    if not enough:
        widest = min(
            delegates,
            key=lambda s: (-every[s], parse_level(catalog[s].level).tier.rank, order[s]),
        )
        return widest, every[widest], False

    def key(slug: str) -> tuple[int, bool, int, int, int, int]:
        rank = parse_level(catalog[slug].level).tier.rank
        down = _reach(slug, delegates)
        return (rank, slug in handed, -down, -every[slug], -len(delegates[slug]), order[slug])

    best = min(enough, key=key)
    return best, every[best], True


def _reach(start: str, delegates: dict[str, list[str]]) -> int:
    """Roles reachable from `start` along delegate edges, itself included."""
    seen = {start}
    queue = deque([start])
    while queue:
        for target in delegates.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return len(seen)

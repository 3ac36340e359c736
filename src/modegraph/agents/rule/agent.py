"""`RuleAgent`: the offline, deterministic default agent. It costs no LLM call.

On a first turn it routes the goal (`_routes.Router`): each clause is handed to
the allowed target that covers it, kept by the role when its own profile covers
it, or reported as uncovered (`AgentReport.uncovered`) with the closest targets
and their scores. Clauses for the same target become one handoff, whose reason
names the words that matched, the fields they matched in and the scores. When
nothing is handed off and nothing is kept, the turn ends `UNASSIGNED`.

On an integration turn (children's results are in) it merges the results and
reports the uncovered parts again. After refusals it keeps the refused work: it
never argues with the coordinator. Every summary says that the work was planned
and routed, and that without a model none of it was carried out.

A goal longer than `MAX_GOAL_CHARS` is refused with a `GoalError` before any
routing: routing is linear in the goal's length, and the limit keeps a turn
well under a second.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from modegraph.agents.protocol import (
    AgentReport,
    AllowedTarget,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
    UncoveredPart,
)
from modegraph.agents.rule._profiles import Profile, profile_of
from modegraph.agents.rule._routes import (
    COORDINATOR_SCORE,
    FOREIGN_SHARE,
    REACH_HOPS,
    ClauseRoute,
    Disposition,
    Router,
    is_coordinator,
)
from modegraph.agents.rule._text_match import Vocabulary
from modegraph.agents.rule._wording import (
    explain,
    first_summary,
    integration_summary,
    reason,
    refusal_summary,
    sentence,
    uncovered_part,
)
from modegraph.errors import GoalError
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import Mode

__all__ = ["MAX_GOAL_CHARS", "ClauseRoute", "Disposition", "RuleAgent"]

MAX_GOAL_CHARS = 20_000
"""The longest goal a run takes and the rule agent routes (characters; about 3,000
words, eight pages). Longer text belongs in a file the goal names; routing time
grows linearly with the goal."""


class RuleAgent:
    """Routes clauses of the goal to the allowed target whose mode profile fits best.

    Args:
        catalog: The catalog, for term weights (IDF) over every mode's profile and
            to know a role that may hand work to every other mode (a coordinator).
            Without it the weights come from the role and its allowed targets.
        min_score: The least score (matched IDF mass, weighted by field, over the
            clause's IDF mass) a target needs to cover a clause.
        margin: How much a worker's target must beat the role's own score by, as a ratio.
    """

    def __init__(
        self,
        *,
        catalog: Catalog | None = None,
        min_score: float = 0.7,
        margin: float = 1.25,
    ) -> None:
        self._min_score = min_score
        self._margin = margin
        self._lock = threading.Lock()
        self._profiles: dict[tuple[str, str | None], Profile] = {}
        self._vocabulary: Vocabulary | None = None
        self._slugs: frozenset[str] = frozenset()
        self._index: _CatalogIndex | None = None
        if catalog is not None and len(catalog):
            index = self._index = _index_of(catalog)
            self._lock, self._profiles, self._vocabulary = (
                index.lock,
                index.profiles,
                index.vocabulary,
            )
            self._slugs = frozenset(mode.slug for mode in index.modes)

    def run(self, turn: RoleTurn) -> AgentReport:
        """Do the turn: route the goal's clauses, or integrate the children's results.

        Raises:
            GoalError: The goal is longer than `MAX_GOAL_CHARS`.
        """
        if turn.results:
            return self._integrate(turn)
        if turn.refusals:
            return self._keep_after_refusal(turn)
        return self._first_turn(turn)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        """Same as `run`: the rule agent never waits on anything."""
        return self.run(turn)

    # -- routing ------------------------------------------------------------

    def route(self, turn: RoleTurn) -> list[ClauseRoute]:
        """The clauses of the turn's goal and where each goes.

        Raises:
            GoalError: The goal is longer than `MAX_GOAL_CHARS`.
        """
        if len(turn.goal) > MAX_GOAL_CHARS:
            raise GoalError(
                f"the goal is {len(turn.goal):,} characters long; the rule agent routes goals "
                f"of at most {MAX_GOAL_CHARS:,} characters. Shorten it: put the long text "
                "(a log, a spec, a pasted file) in a file in the workspace and name the "
                "file in the goal, or split the goal into several runs"
            )
        return self._router(turn).route(turn.goal)

    def _router(self, turn: RoleTurn) -> Router:
        """The router of one turn (the goal's length is checked by the caller)."""
        targets = [t for t in turn.allowed if t.mode.slug not in turn.chain]
        return Router(
            own=self._profile(turn.mode),
            targets=[self._profile(t.mode, t.note) for t in targets],
            reach=[self._reach(t.mode.slug, turn) for t in targets],
            vocabulary=self._vocabulary_for(turn.mode, targets),
            coordinator=self._coordinates(turn),
            min_score=self._min_score,
            margin=self._margin,
        )

    def _reach(self, target: str, turn: RoleTurn) -> list[tuple[Profile, int]]:
        """The modes `target` hands work on to, up to `REACH_HOPS` delegate hops, with hops.

        Not the role itself, nor any mode of the chain; empty without a catalog.
        """
        if self._index is None:
            return []
        seen = {target, turn.mode.slug, *turn.chain}
        found: list[tuple[Profile, int]] = []
        frontier = [target]
        for hops in range(1, REACH_HOPS + 1):
            following: list[str] = []
            for slug in frontier:
                for nxt in self._index.delegates.get(slug, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        following.append(nxt)
                        found.append((self._profile(self._index.by_slug[nxt]), hops))
            frontier = following
        return found

    # -- turns --------------------------------------------------------------

    def _uncovered(
        self, turn: RoleTurn, routes: Sequence[ClauseRoute]
    ) -> tuple[UncoveredPart, ...]:
        coordinator = self._router(turn).coordinator
        return tuple(
            uncovered_part(
                r,
                min_score=COORDINATOR_SCORE if coordinator else self._min_score,
                foreign_share=FOREIGN_SHARE,
                role=turn.mode.slug if coordinator else None,
            )
            for r in routes
            if r.disposition is Disposition.UNCOVERED
        )

    def _first_turn(self, turn: RoleTurn) -> AgentReport:
        routes = self.route(turn)
        by_target: dict[str, list[ClauseRoute]] = {}
        kept = [r.clause for r in routes if r.disposition is Disposition.KEPT]
        for route in routes:
            if route.target is not None:
                by_target.setdefault(route.target, []).append(route)
        allowed = {t.mode.slug: t for t in turn.allowed}
        handoffs = tuple(
            HandoffRequest(
                target=slug,
                goal=sentence("; ".join(r.clause for r in group)),
                reason=reason(group, allowed[slug]),
            )
            for slug, group in by_target.items()
        )
        uncovered = self._uncovered(turn, routes)
        unassigned = not handoffs and not kept and bool(uncovered)
        if unassigned:
            outcome = "Unassigned"
        elif uncovered:
            outcome = "Partial"
        else:
            outcome = "Delegated" if handoffs else "Planned"
        return AgentReport(
            status=ReportStatus.UNASSIGNED if unassigned else ReportStatus.COMPLETED,
            summary=first_summary(turn.mode, kept, handoffs, uncovered),
            outcome=outcome,
            handoffs=handoffs,
            notes=tuple(explain(r, turn.mode.slug) for r in routes),
            uncovered=uncovered,
        )

    def _integrate(self, turn: RoleTurn) -> AgentReport:
        done = [r for r in turn.results if r.status is ReportStatus.COMPLETED]
        routes = self.route(turn)
        kept = [r.clause for r in routes if r.disposition is Disposition.KEPT]
        uncovered = self._uncovered(turn, routes)
        references = tuple(dict.fromkeys(ref for r in turn.results for ref in r.references))
        whole = len(done) == len(turn.results) and not uncovered
        return AgentReport(
            summary=integration_summary(
                turn.mode,
                kept,
                turn.results,
                turn.refusals,
                uncovered,
                coordinator=self._coordinates(turn),
            ),
            outcome="Routed" if whole else "Partial",
            references=references,
            notes=tuple(f"{r.role}: {r.summary}" for r in turn.results),
            uncovered=uncovered,
        )

    def _keep_after_refusal(self, turn: RoleTurn) -> AgentReport:
        summary = refusal_summary(turn.mode, turn.refusals, coordinator=self._coordinates(turn))
        return AgentReport(summary=summary, outcome="Planned")

    def _coordinates(self, turn: RoleTurn) -> bool:
        """Whether the turn's role only coordinates (`is_coordinator`): it keeps no work."""
        targets = [t for t in turn.allowed if t.mode.slug not in turn.chain]
        return is_coordinator(turn.mode, targets, self._slugs)

    # -- profiles -------------------------------------------------------------

    def _profile(self, mode: Mode, note: str | None = None) -> Profile:
        key = (mode.slug, note)
        with self._lock:
            profile = self._profiles.get(key)
            if profile is None:
                profile = profile_of(mode, note=note)
                self._profiles[key] = profile
            return profile

    def _vocabulary_for(self, mode: Mode, targets: Sequence[AllowedTarget]) -> Vocabulary:
        if self._vocabulary is not None:
            return self._vocabulary
        profiles = [self._profile(mode), *(self._profile(t.mode, t.note) for t in targets)]
        return Vocabulary(profiles)


@dataclass(frozen=True)
class _CatalogIndex:
    """Profiles and term weights of one catalog, shared by every agent over it."""

    modes: tuple[Mode, ...]
    """The catalog's modes when the index was built (checked by identity on reuse)."""
    lock: threading.Lock
    """Guards `profiles`."""
    profiles: dict[tuple[str, str | None], Profile]
    """Profile per (slug, edge note); edge-note profiles are added as turns need them."""
    vocabulary: Vocabulary
    """IDF over the profiles of every mode of the catalog, each with the notes of the
    edges that lead to it (a word only an edge note uses still counts)."""
    by_slug: dict[str, Mode]
    """The catalog's modes by slug."""
    delegates: dict[str, tuple[str, ...]]
    """Per mode, the modes its delegate references resolve to, in order."""


_INDEXES: weakref.WeakKeyDictionary[Catalog, _CatalogIndex] = weakref.WeakKeyDictionary()
"""Per catalog: its index. A runner builds a `RuleAgent` per task over one catalog; the
profiles and IDF of every mode are the same each time. Held weakly: a catalog that is
dropped takes its index with it."""

_INDEXES_LOCK = threading.Lock()


def _index_of(catalog: Catalog) -> _CatalogIndex:
    """The catalog's index, built on first use and rebuilt if its modes changed."""
    modes = tuple(catalog)
    with _INDEXES_LOCK:
        index = _INDEXES.get(catalog)
        if index is not None and len(index.modes) == len(modes):
            if all(a is b for a, b in zip(index.modes, modes, strict=True)):
                return index
        profiles: dict[tuple[str, str | None], Profile] = {
            (mode.slug, None): profile_of(mode) for mode in modes
        }
        notes: dict[str, list[str]] = {}
        delegates: dict[str, tuple[str, ...]] = {}
        for mode in modes:
            resolved = (catalog.resolve(ref.slug) for ref in mode.delegates_to)
            delegates[mode.slug] = tuple(dict.fromkeys(s for s in resolved if s is not None))
            for ref in (*mode.delegates_to, *mode.escalates_to):
                slug = catalog.resolve(ref.slug)
                if ref.note and slug is not None:
                    notes.setdefault(slug, []).append(ref.note)
        documents = [
            profile_of(mode, note="\n".join(notes[mode.slug])) if mode.slug in notes else profile
            for mode, profile in zip(modes, profiles.values(), strict=True)
        ]
        index = _CatalogIndex(
            modes=modes,
            lock=threading.Lock(),
            profiles=profiles,
            vocabulary=Vocabulary(documents),
            by_slug={mode.slug: mode for mode in modes},
            delegates=delegates,
        )
        _INDEXES[catalog] = index
        return index

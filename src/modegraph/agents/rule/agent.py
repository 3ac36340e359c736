"""`RuleAgent`: the offline, deterministic default agent. It costs no LLM call.

On a first turn it cuts the goal into clauses (`_clauses`), scores each clause
against the profile of every allowed target and of its own role (`_text_match`),
hands off the clauses that clearly belong to a target and keeps the rest. Clearly
means all of: a score floor; a margin over the role's own score; part of the score
from words the role itself does not use as much (`plan` stays with a planner);
absolute evidence (a word in the target's name, tags, stack or edge note, or two
in its description); and no near tie with another target. A clause such as
`Add a schema with migrations and OAuth2 login` is cut at `with` and `and` when
its parts go to different places. Clauses for the same target become one
handoff. Each handoff's reason names the words that matched and the fields they
matched in. The report says what the role does with the kept clauses, following
its workflow.

On an integration turn (children's results are in) it completes, merging the
results. After refusals it completes too, keeping the refused work: it never
argues with the coordinator.

Longer than 400 lines: the routing rules (clauses, modifiers, evidence, ties)
read as one decision procedure, documented rule by rule.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from modegraph.agents.protocol import (
    AgentReport,
    AllowedTarget,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
)
from modegraph.agents.rule._clauses import Fragment, fragments, items, joined, modifier_split
from modegraph.agents.rule._text_match import (
    Match,
    Profile,
    Vocabulary,
    clause_terms,
    content_terms,
    profile_of,
)
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import Mode

__all__ = ["ClauseRoute", "RuleAgent"]

_HEAD_TERMS = 2
"""The least known terms the head of a clause needs to stand alone after a modifier split."""

_OWN_EVIDENCE = 0.5
"""The share of the score floor a target must reach on terms that are more its own."""

_MIN_EVIDENCE = 1.75
"""The least evidence (`Match.evidence`) a target needs: one term in its name, tags,
stack or edge note (a same-family word there, 3 x 0.6, reaches it), or two in
its description and capabilities. One word of a capability list is not enough to
hand a clause over."""

_ITEM_SHARE = 0.75
"""Modifier items leave their head only when, read with it, their target scores at
least this share of the head's target: a side remark stays with the main job."""

_RIVAL_MARGIN = 1.1
"""How much the best target must beat the next one by: a near tie is no clear call."""

_OWN_SHARE = 0.5
"""A term is more a target's own when the role's profile weighs it less than this share."""

_SHORT = 2
"""A fragment of at most this many words joins the one before it (`signup and login`)."""


@dataclass(frozen=True)
class ClauseRoute:
    """Where one clause goes and why."""

    clause: str
    """The clause, as written in the goal."""
    target: str | None
    """Slug of the target it is handed to, or None when the role keeps it."""
    best: Match | None
    """The best target's match."""
    own: Match
    """The role's own match."""


class RuleAgent:
    """Routes clauses of the goal to the allowed target whose mode profile fits best.

    Args:
        catalog: The catalog, for term weights (IDF) over every mode's profile.
            Without it the weights come from the role and its allowed targets.
        min_score: The least score (matched IDF mass, weighted by field, over the
            clause's IDF mass) a target needs to take a clause.
        margin: How much a target must beat the role's own score by, as a ratio.
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
        if catalog is not None and len(catalog):
            index = _index_of(catalog)
            self._lock, self._profiles, self._vocabulary = (
                index.lock,
                index.profiles,
                index.vocabulary,
            )

    def run(self, turn: RoleTurn) -> AgentReport:
        """Do the turn: route the goal's clauses, or integrate the children's results."""
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
        """The clauses of the turn's goal and where each goes."""
        targets = [t for t in turn.allowed if t.mode.slug not in turn.chain]
        vocabulary = self._vocabulary_for(turn.mode, targets)
        own_profile = self._profile(turn.mode)
        target_profiles = [self._profile(t.mode, t.note) for t in targets]

        def scores(text: str) -> tuple[Match, list[Match]]:
            terms, action = clause_terms(text)
            own = vocabulary.match(terms, own_profile, action=action)
            return own, [vocabulary.match(terms, p, action=action) for p in target_profiles]

        def decide(text: str) -> ClauseRoute:
            own, matches = scores(text)
            ranked = sorted(matches, key=lambda m: -m.score)
            best = ranked[0] if ranked else None
            rival = ranked[1].score if len(ranked) > 1 else 0.0
            if (
                best is not None
                and self._beats(best, own, self._min_score)
                and best.score >= rival * _RIVAL_MARGIN
            ):
                return ClauseRoute(clause=text, target=best.slug, best=best, own=own)
            return ClauseRoute(clause=text, target=None, best=best, own=own)

        def weigh(text: str) -> dict[str, float]:
            return {m.slug: m.score for m in scores(text)[1]}

        routes: list[ClauseRoute] = []
        for grouped in self._group(turn.goal, fragments(turn.goal), decide):
            routes.extend(self._split_modifier(grouped, decide, weigh, vocabulary))
        return routes

    def _beats(self, best: Match, own: Match, floor: float) -> bool:
        """True when a target clearly takes the clause from the role.

        Its score must reach `floor` and beat the role's own by the margin, and it
        must do so on its own evidence: counting only the terms the role's profile
        lacks or weighs less than half as much, the target still reaches half the
        floor. A clause whose words the role uses about as much itself (`plan` for a
        project manager) stays with the role even when a target weighs them more.
        """
        return (
            best.score >= floor
            and best.score >= own.score * self._margin
            and best.score > own.score
            and best.score_beyond(own, share=_OWN_SHARE) >= floor * _OWN_EVIDENCE
            and best.evidence >= _MIN_EVIDENCE
        )

    def _split_modifier(
        self,
        route: ClauseRoute,
        decide: Callable[[str], ClauseRoute],
        weigh: Callable[[str], dict[str, float]],
        vocabulary: Vocabulary,
    ) -> list[ClauseRoute]:
        """`Add a Postgres schema with migrations and OAuth2 login`: parts may part.

        The clause is cut at `with`/`using`/`including`/`via` into a head and the
        modifier's list items (`migrations`, `OAuth2 login`), and each is decided on
        its own. Items no profile knows a word of (`signup`) go with the next item
        that is routed, else the one before.

        A head that says enough to stand alone (two or more known terms) keeps the
        items that go where it goes; the items for another target leave a head
        routed elsewhere only when, read with the head, that target scores at least
        `_ITEM_SHARE` of the head's (`agree a contract with the payments team about
        their events` stays whole: its events are not what it is about). A thin head
        (`fit the van with brake discs and a battery`) is only context: the clause
        is cut when its items go to two or more places, else it stays whole.
        """
        parts = modifier_split(route.clause)
        if parts is None:
            return [route]
        head_text, modifier = parts
        decided = [(text, decide(text)) for text in items(modifier)]
        thin = len(vocabulary.known_terms(content_terms(head_text))) < _HEAD_TERMS
        head = route if thin else decide(head_text)

        def leaves(target: str | None) -> bool:
            """Whether the items for `target` hold their own against the head, together."""
            if thin or target is None or target == head.target or head.target is None:
                return True
            texts = [text for text, r in decided if r.target == target]
            both = weigh(f"{head_text} with {' and '.join(texts)}")
            return both.get(target, 0.0) >= both.get(head.target, 0.0) * _ITEM_SHARE

        owner: list[str | None] = [
            r.target if leaves(r.target) else head.target for _, r in decided
        ]
        blank = [not vocabulary.known_terms(content_terms(text)) for text, _ in decided]
        for index in range(len(decided)):
            if blank[index]:
                after = [owner[i] for i in range(index + 1, len(decided)) if not blank[i]]
                before = [owner[i] for i in range(index) if not blank[i]]
                owner[index] = (after or before or [head.target])[0]
        groups: dict[str | None, list[str]] = {}
        for (text, _), target in zip(decided, owner, strict=True):
            groups.setdefault(target, []).append(text)
        if len(groups) < 2 if thin else set(groups) == {head.target}:
            return [route]
        routes: list[ClauseRoute] = []
        if not thin:
            kept = groups.pop(head.target, [])
            head_clause = f"{head_text} with {' and '.join(kept)}" if kept else head_text
            again = decide(head_clause) if kept else head
            routes.append(ClauseRoute(head_clause, head.target, again.best, again.own))
        for target, texts in groups.items():
            item = decide(" and ".join(texts))
            detail = f"{' and '.join(texts)} (for: {head_text})"
            routes.append(ClauseRoute(detail, target, item.best, item.own))
        return routes

    def _group(
        self, goal: str, pieces: Sequence[Fragment], decide: Callable[[str], ClauseRoute]
    ) -> list[ClauseRoute]:
        routes: list[ClauseRoute] = []
        first: Fragment | None = None
        last: Fragment | None = None
        current: ClauseRoute | None = None
        for piece in pieces:
            if first is None or last is None or current is None:
                first, last, current = piece, piece, decide(piece.text)
                continue
            if not piece.hard:
                alone = decide(piece.text)
                if len(piece.text.split()) <= _SHORT or alone.target == current.target:
                    last = piece
                    current = decide(joined(goal, first, last))
                    continue
            routes.append(current)
            first, last, current = piece, piece, decide(piece.text)
        if current is not None:
            routes.append(current)
        return routes

    # -- turns --------------------------------------------------------------

    def _first_turn(self, turn: RoleTurn) -> AgentReport:
        routes = self.route(turn)
        by_target: dict[str, list[ClauseRoute]] = {}
        kept: list[str] = []
        notes: list[str] = []
        for route in routes:
            notes.append(_explain(route, turn.mode.slug))
            if route.target is None:
                kept.append(route.clause)
            else:
                by_target.setdefault(route.target, []).append(route)
        allowed = {t.mode.slug: t for t in turn.allowed}
        handoffs = tuple(
            HandoffRequest(
                target=slug,
                goal=_sentence("; ".join(r.clause for r in group)),
                reason=_reason(group, allowed[slug]),
            )
            for slug, group in by_target.items()
        )
        summary = _plan(turn.mode, kept, handoffs)
        return AgentReport(
            summary=summary,
            outcome="Delegated" if handoffs else "Success",
            handoffs=handoffs,
            notes=tuple(notes),
        )

    def _integrate(self, turn: RoleTurn) -> AgentReport:
        done = [r for r in turn.results if r.status is ReportStatus.COMPLETED]
        kept = [r.clause for r in self.route(turn) if r.target is None]
        references = tuple(dict.fromkeys(ref for r in turn.results for ref in r.references))
        parts = []
        if kept:
            parts.append(f"{turn.mode.name} did {'; '.join(repr(k) for k in kept)}.")
        parts.append(
            f"Integrated {len(turn.results)} result(s), {len(done)} completed: "
            + "; ".join(f"{r.role} ({r.status.value}): {r.goal}" for r in turn.results)
            + "."
        )
        if turn.refusals:
            parts.append("Kept after refusal: " + "; ".join(turn.refusals))
        return AgentReport(
            summary=" ".join(parts),
            outcome="Partial" if len(done) < len(turn.results) else "Success",
            references=references,
            notes=tuple(f"{r.role}: {r.summary}" for r in turn.results),
        )

    def _keep_after_refusal(self, turn: RoleTurn) -> AgentReport:
        return AgentReport(
            summary=(
                f"{turn.mode.name} keeps the work its refused handoffs asked for: "
                + "; ".join(turn.refusals)
                + _workflow_clause(turn.mode)
            ),
            outcome="Success",
        )

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
        for mode in modes:
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
        )
        _INDEXES[catalog] = index
        return index


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


_FIELD_NAMES = {
    "name": "name",
    "tags": "tags",
    "note": "edge note",
    "stack": "stack",
    "categories": "categories",
    "description": "description",
    "capabilities": "capabilities",
    "role": "role definition",
    "workflow": "workflow",
}


def _reason(group: Sequence[ClauseRoute], target: AllowedTarget) -> str:
    words: list[str] = []
    fields: list[str] = []
    for route in group:
        if route.best is not None:
            words.extend(w for w in route.best.matched if w not in words)
            fields.extend(f for f in route.best.fields if f not in fields)
    named = [_FIELD_NAMES.get(f, f) for f in fields if f != "note"][:3]
    where = f"{target.mode.slug}'s {', '.join(named)}" if named else target.mode.slug
    if "note" in fields and target.note:
        where += f" and the edge note '{target.note}'"
    scores = "; ".join(f"{r.best.score:.1f} vs own {r.own.score:.1f}" for r in group if r.best)
    return f"{', '.join(repr(w) for w in words[:5])} matched {where} (score {scores})"


def _explain(route: ClauseRoute, own: str) -> str:
    best = route.best
    where = route.target or own
    detail = f"own {route.own.score:.2f}"
    if best is not None:
        detail = f"best target {best.slug} {best.score:.2f}, " + detail
    return f"{route.clause!r} -> {where} ({detail})"


def _workflow_clause(mode: Mode) -> str:
    if not mode.workflow:
        return "."
    steps = [s.rstrip(".") for s in mode.workflow[1:4]] or [mode.workflow[0].rstrip(".")]
    return ", following its workflow: " + "; ".join(steps) + "."


def _plan(mode: Mode, kept: Sequence[str], handoffs: Sequence[HandoffRequest]) -> str:
    parts: list[str] = []
    if handoffs:
        parts.append("Hands off " + "; ".join(f"{h.target}: {h.goal}" for h in handoffs) + ".")
    if kept:
        parts.append(
            f"{mode.name} does {'; '.join(repr(k) for k in kept)} itself" + _workflow_clause(mode)
        )
    elif handoffs:
        parts.append(f"{mode.name} integrates the results when they come back.")
    return " ".join(parts) or f"{mode.name} found nothing to do."

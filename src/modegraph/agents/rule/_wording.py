"""What the rule agent says: summaries, handoff reasons, notes and uncovered parts.

The rule agent plans and routes; without a model it carries out none of the work.
Every summary says so plainly, and nothing in it reads as if the work was done:
a kept clause is one the role *would* do, a handed-off clause is *handed off*, an
uncovered clause is *not covered by any role* and lists the closest roles with
their scores.
"""

from __future__ import annotations

from collections.abc import Sequence

from modegraph.agents.protocol import (
    AllowedTarget,
    Candidate,
    ChildResult,
    HandoffRequest,
    UncoveredPart,
)
from modegraph.agents.rule._profiles import FIELD_NAMES
from modegraph.agents.rule._routes import MIN_EVIDENCE, OWN_EVIDENCE, OWN_SCORE, ClauseRoute
from modegraph.modes.model import Mode

__all__ = [
    "NO_MODEL",
    "explain",
    "first_summary",
    "integration_summary",
    "reason",
    "refusal_summary",
    "sentence",
    "uncovered_part",
]

NO_MODEL = "the offline rule agent planned and routed this; without a model no work was carried out"
"""Said in every summary the rule agent writes."""


def sentence(text: str) -> str:
    """`text` with its first letter upper-cased."""
    return text[:1].upper() + text[1:] if text else text


def _scores(route: ClauseRoute) -> str:
    best = route.best
    own = f"own {route.own.score:.2f}"
    if best is None:
        return own
    if best.score <= 0.0:
        return f"no target shares a word, {own}"
    return f"best target {best.slug} {best.score:.2f}, {own}"


def _own_reason(route: ClauseRoute) -> str:
    """Why the role itself does not keep an uncovered clause, in its own scores."""
    own = route.own
    if own.score < OWN_SCORE:
        return f"the role's own score is {own.score:.2f}, under the {OWN_SCORE:.2f} it needs"
    if own.evidence < OWN_EVIDENCE:
        return (
            f"the role's own score is {own.score:.2f}, but on too little evidence "
            f"({own.evidence:.2f}, it needs {OWN_EVIDENCE:.2f} to keep it)"
        )
    return (
        f"the role's own score is {own.score:.2f}, but only on the clause's leading verb, "
        "which says nothing of whose work it is"
    )


def explain(route: ClauseRoute, own: str) -> str:
    """One note per clause: where it went, with the scores that decided it."""
    where = {
        "handoff": f"-> {route.target}",
        "kept": f"-> {own} (kept)",
        "uncovered": "-> uncovered",
    }[route.disposition.value]
    return f"{route.clause!r} {where} ({_scores(route)})"


def reason(group: Sequence[ClauseRoute], target: AllowedTarget) -> str:
    """Why `target` gets `group`: the words that matched, the fields, the scores."""
    words: list[str] = []
    fields: list[str] = []
    for route in group:
        if route.best is not None:
            words.extend(w for w in route.best.matched if w not in words)
            fields.extend(f for f in route.best.fields if f not in fields)
    named = list(dict.fromkeys(FIELD_NAMES.get(f, f) for f in fields if f != "note"))[:3]
    vias = {r.best.via for r in group if r.best is not None}
    via = next(iter(vias)) if len(vias) == 1 else None  # every match came through it
    owner = via or target.mode.slug
    where = f"{owner}'s {', '.join(named)}" if named else owner
    if via is not None:
        where += f", a role {target.mode.slug} hands work on to"
    elif "note" in fields and target.note:
        where += f" and the edge note '{target.note}'"
    scores = "; ".join(f"{r.best.score:.1f} vs own {r.own.score:.1f}" for r in group if r.best)
    return f"{', '.join(repr(w) for w in words[:5])} matched {where} (score {scores})"


def uncovered_part(
    route: ClauseRoute, *, min_score: float, foreign_share: float, role: str | None = None
) -> UncoveredPart:
    """The report's entry for a clause nobody covers, with its closest targets.

    `role` names a coordinator taking the turn: it only coordinates, so it keeps no part.
    """
    tied_pair = route.closest[:2]  # the router's own order: the pair it could not call
    ranked = sorted(route.closest, key=lambda m: -m.score)  # stable: ties keep that order
    closest = tuple(Candidate(slug=m.slug, score=round(m.score, 2)) for m in ranked)
    if route.foreign >= foreign_share:
        why = f"{route.foreign:.0%} of its words are in no role's profile"
    elif route.stray and route.errand:
        what = ", ".join(repr(w) for w in route.stray)
        why = (
            f"it is an errand of your own (my {what}): no role's name says it works "
            "with that, and prompts that use its words mean something else"
        )
    elif route.stray:
        what = ", ".join(repr(w) for w in route.stray)
        why = (
            f"what it asks for ({what}) is no role's work: no role's name or description "
            "says so, at most one prompt mentions it in passing"
        )
    elif route.tie and len(tied_pair) > 1:
        pair = sorted(tied_pair, key=lambda m: -m.score)
        tied = " and ".join(f"{m.slug} {m.score:.2f}" for m in pair)
        why = f"its closest targets nearly tie ({tied}): no clear call"
    elif (
        route.best is not None
        and route.best.score >= min_score
        and route.best.evidence >= MIN_EVIDENCE
    ):
        words = ", ".join(repr(w) for w in route.best.matched[:3])
        why = (
            f"{route.best.slug} scores {route.best.score:.2f}, but on {words}, which do not "
            "say what kind of work it is (a common or everyday leading verb, a generic noun, "
            "or a single word of the body of its prompt)"
        )
    elif route.best is not None and route.best.score >= min_score:
        words = ", ".join(repr(w) for w in route.best.matched[:3]) or "few words"
        why = (
            f"{route.best.slug} scores {route.best.score:.2f}, but on too little evidence "
            f"({words}: {route.best.evidence:.2f}, it needs {MIN_EVIDENCE:.2f}: one word in "
            "a role's name, tags or stack, or two in its description)"
        )
    elif closest:
        why = f"no target reaches the covering score {min_score:.2f}"
    else:
        why = "no target's profile shares a word with it"
    if role is not None:
        why += f"; {role} only coordinates: it keeps no part of the goal itself"
    else:
        why += f"; {_own_reason(route)}"
    return UncoveredPart(text=route.clause, closest=closest, reason=why)


def _workflow_clause(mode: Mode) -> str:
    if not mode.workflow:
        return ""
    steps = [s.rstrip(".") for s in mode.workflow[1:4]] or [mode.workflow[0].rstrip(".")]
    return ", following its workflow: " + "; ".join(steps)


def _uncovered_text(parts: Sequence[UncoveredPart]) -> str:
    listed = []
    for part in parts:
        closest = ", ".join(f"{c.slug} {c.score:.2f}" for c in part.closest) or "none"
        listed.append(f"{part.text!r} (closest: {closest})")
    return "No role covers " + "; ".join(listed) + ": not done."


def first_summary(
    mode: Mode,
    kept: Sequence[str],
    handoffs: Sequence[HandoffRequest],
    uncovered: Sequence[UncoveredPart],
) -> str:
    """The plan of a first turn: what goes where, what the role would keep, what nobody covers."""
    parts: list[str] = []
    if handoffs:
        parts.append("Hands off " + "; ".join(f"{h.target}: {h.goal}" for h in handoffs) + ".")
    if kept:
        parts.append(
            f"{mode.name} would do {'; '.join(repr(k) for k in kept)} itself"
            + _workflow_clause(mode)
            + "."
        )
    elif handoffs:
        parts.append(f"{mode.name} integrates the results when they come back.")
    if uncovered:
        parts.append(_uncovered_text(uncovered))
    if not parts:
        parts.append(f"{mode.name} found nothing to route.")
    parts.append(sentence(NO_MODEL) + ".")
    return " ".join(parts)


def integration_summary(
    mode: Mode,
    kept: Sequence[str],
    results: Sequence[ChildResult],
    refusals: Sequence[str],
    uncovered: Sequence[UncoveredPart],
    *,
    coordinator: bool = False,
) -> str:
    """The integration turn: the children's results merged, nothing claimed as done.

    `coordinator`: the role only coordinates, so it does not take over the work of its
    refused handoffs either; that work is said not to be done.
    """
    done = sum(1 for r in results if r.status.value == "completed")
    parts = [
        f"Integrated {len(results)} result(s), {done} completed: "
        + "; ".join(f"{r.role} ({r.status.value}): {r.goal}" for r in results)
        + "."
    ]
    if kept:
        parts.append(
            f"{mode.name} kept {'; '.join(repr(k) for k in kept)} for itself "
            "(planned, not carried out)."
        )
    if refusals:
        parts.append(_refused_work(mode, refusals, coordinator) + ".")
    if uncovered:
        parts.append(_uncovered_text(uncovered))
    parts.append(sentence(NO_MODEL) + ".")
    return " ".join(parts)


def refusal_summary(mode: Mode, refusals: Sequence[str], *, coordinator: bool = False) -> str:
    """After refused handoffs: the role would keep that work (a plan, not work done).

    A role that only coordinates keeps none of it: that work is said not to be done.
    """
    if coordinator:
        return f"{_refused_work(mode, refusals, coordinator)}. {sentence(NO_MODEL)}."
    return (
        f"{mode.name} would keep the work its refused handoffs asked for: "
        + "; ".join(refusals)
        + _workflow_clause(mode)
        + ". "
        + sentence(NO_MODEL)
        + "."
    )


def _refused_work(mode: Mode, refusals: Sequence[str], coordinator: bool) -> str:
    if coordinator:
        return (
            f"{mode.name} only coordinates, so the work of its refused handoffs was not "
            "done: " + "; ".join(refusals)
        )
    return (
        f"{mode.name} would do the work of its refused handoffs itself (planned, not "
        "carried out): " + "; ".join(refusals)
    )

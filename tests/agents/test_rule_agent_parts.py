"""RuleAgent: a part of a goal that no role fits is never folded into another part.

Issue 12, "never call undone work done": a request of its own that nobody covers
(after a sentence end, after `also`, or in a list of requests) is reported
uncovered, not handed to the role of the clause next to it; a subordinate clause
(`when ...`) describes its own request and does not make it a detail of another job.
The goals are routed on the project's own Claude agents folder
(`tests/catalogs/claude_agents`) with a coordinator that may hand work to every agent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from orchestrator_turn import ENTRY
from orchestrator_turn import first_turn as run

from modegraph.agents import ReportStatus
from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._routes import ClauseRoute, Disposition, Router, own_request
from modegraph.agents.rule._text_match import Match, Vocabulary
from modegraph.agents.rule._wording import explain, uncovered_part
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths


@pytest.fixture(scope="module")
def claude_agents() -> Catalog:
    path = Path(__file__).resolve().parents[1] / "catalogs" / "claude_agents"
    return Catalog([*load_paths([path]).modes, ENTRY])


@pytest.mark.parametrize(
    "goal",
    [
        "Tune the slow reporting queries in Postgres. Also organise the schedule for our "
        "team offsite.",
        "Tune the slow reporting queries in Postgres and also organise the schedule for our "
        "team offsite",
    ],
)
def test_an_uncovered_request_is_never_folded_into_the_part_before_it(
    claude_agents: Catalog, goal: str
) -> None:
    """Its words are the catalog's (`schedule`, `team`), so it is no foreign clause, but
    it asks for work of its own that the Postgres role has no word of: it stands apart."""
    report = run(claude_agents, goal)
    assert [h.target for h in report.handoffs] == ["postgres-pro"]
    assert "offsite" not in report.handoffs[0].goal
    assert [u.text for u in report.uncovered] == ["organise the schedule for our team offsite"]
    assert report.status is ReportStatus.COMPLETED
    assert report.outcome == "Partial"


def test_a_subordinate_clause_does_not_make_its_request_a_detail(claude_agents: Catalog) -> None:
    """`... when the user rotates the phone during checkout` pulls the Flutter clause's
    score under the confident Kubernetes one; read without it, the clause is the
    Flutter expert's own job, not a detail of the deployment."""
    goal = (
        "Debug the Flutter app freezing when the user rotates the phone during checkout, "
        "and set up a Kubernetes deployment with Helm for the backend"
    )
    report = run(claude_agents, goal)
    assert [h.target for h in report.handoffs] == ["flutter-expert", "kubernetes-specialist"]
    assert "Helm" not in report.handoffs[0].goal
    assert "Flutter" not in report.handoffs[1].goal


def _profile(slug: str, weights: dict[str, float]) -> Profile:
    return Profile(slug=slug, weights=weights, origin={t: "description" for t in weights})


def test_a_follow_up_does_not_turn_its_job_into_a_detail_of_another() -> None:
    """The storefront job scores 1.0 alone; with the follow-up joined to it (the web
    role shares `storefront`, nobody covers the rest) it falls under 0.6. It was
    then taken for a faint detail of the cluster job, and the whole goal, decided
    again, went to the web role: the cluster part was folded into it."""
    web = _profile("web-dev", {"migrat": 1.0, "storefront": 1.0, "bundler": 1.0})
    ops = _profile("cluster-ops", {"cluster": 1.0, "chart": 1.0, "roll": 1.0})
    misc = _profile("misc", dict.fromkeys(["smok", "basket", "coupon", "banner", "wishlist"], 0.05))
    others = [_profile(f"other-{i}", {f"word{i}": 1.0}) for i in range(5)]
    own = _profile("orchestrator", {"plan": 3.0})
    targets = [web, ops, misc, *others]
    router = Router(
        own=own,
        targets=targets,
        vocabulary=Vocabulary([*targets, own]),
        coordinator=True,
        min_score=0.7,
        margin=1.25,
    )
    goal = (
        "Migrate the storefront bundler, add smoke checks for the storefront basket coupon "
        "banner wishlist, and roll out the cluster charts"
    )
    routes = router.route(goal)
    assert [(r.target, r.clause) for r in routes] == [
        (
            "web-dev",
            "Migrate the storefront bundler, add smoke checks for the storefront basket "
            "coupon banner wishlist",
        ),
        ("cluster-ops", "roll out the cluster charts"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("organise the schedule for our team offsite", True),
        ("add a regression test", True),
        ("make it fast", False),
        ("answers 202 right away", False),
        ("the api and worker deployments", False),
    ],
)
def test_what_asks_for_work_of_its_own(text: str, expected: bool) -> None:
    assert own_request(text) is expected


def _match(slug: str, score: float, evidence: float) -> Match:
    return Match(slug=slug, score=score, matched=(), evidence=evidence)


def test_an_uncovered_part_gives_reasons_that_agree_with_its_scores() -> None:
    """A role whose own score passes the floor on too little evidence does not keep the
    clause: the reason says so instead of `it keeps a clause from 0.30` beside 1.14;
    and a best target scoring 0 is no target at all."""
    route = ClauseRoute(
        clause="count the chairs",
        target=None,
        best=_match("api-builder", 0.0, 0.0),
        own=_match("worker", 1.14, 0.6),
        disposition=Disposition.UNCOVERED,
    )
    part = uncovered_part(route, min_score=0.4, foreign_share=0.5)
    assert "1.14" in part.reason
    assert "too little evidence" in part.reason
    assert "keeps a clause from" not in part.reason
    assert part.closest == ()
    note = explain(route, "worker")
    assert "api-builder" not in note
    assert "no target shares a word" in note
    low = ClauseRoute("count the chairs", None, None, _match("worker", 0.1, 3.0))
    reason = uncovered_part(low, min_score=0.4, foreign_share=0.5).reason
    assert "0.10, under the 0.30" in reason

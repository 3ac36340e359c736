"""RuleAgent: each part of a goal is routed as it would be alone (routing round 8).

Found by a new user on public catalogs (wshobson plugins, Pheromind, SPARC, a CrewAI
crew, Roo Commander, jtgsystems `custom_modes.d`), reproduced here on small
hand-made profiles:

- `Review this pull request for security issues and write the changelog`: the
  changelog request, which no role covers, has one word besides its verb; it was read
  as a detail of the review, and the whole goal, decided again, went to another role.
  A request whose verb takes an object of its own (`the changelog`, `our competitors`)
  is a request of its own, whatever its length.
- `Fix the flaky login test and document the fix in the README`: the fix scored under
  the confident score next to the docs job and was joined to it as a detail, so the
  docs writer, which cannot hand work on, reported the fix uncovered. A request of its
  own joins another job only as its follow-up (that job's role has a word of it).
- `Create a Python script` for a worker with two Python roles as targets that tie: the
  worker kept it with its own score under `OWN_SCORE`; a near tie does not make a role
  keep what it could not do.
- `Brainstorm data product ideas ... and write the PoC documentation` was one clause:
  `brainstorm` opens a request.
"""

from __future__ import annotations

from rule_router import coordinator_router

from modegraph.agents.rule._clauses import fragments
from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._routes import OWN_SCORE, Disposition, Router, own_request
from modegraph.agents.rule._text_match import Vocabulary


def prof(slug: str, weights: dict[str, float]) -> Profile:
    """A profile whose terms weigh as a description (1 and more) or a prompt's body."""
    origin = {t: "description" if w >= 1.0 else "role" for t, w in weights.items()}
    return Profile(slug=slug, weights=weights, origin=origin)


def others(count: int = 6) -> list[Profile]:
    """Filler roles whose prompts share the common verbs and words of the goals."""
    shared = {"write": 0.75, "fix": 0.3, "build": 0.75, "creat": 0.75}
    return [prof(f"role-{i}", {f"word{i}": 3.0} | shared) for i in range(count)]


def test_a_request_with_an_object_of_its_own_is_a_request_of_its_own() -> None:
    assert own_request("write the changelog")
    assert own_request("Research our competitors")
    assert not own_request("make it fast")
    assert not own_request("deploy it")


def test_an_uncovered_one_word_request_is_not_folded_into_the_part_before_it() -> None:
    reviewer = prof(
        "code-reviewer", {"review": 3.0, "secur": 1.5, "pull": 1.5, "request": 1.5, "issu": 1.5}
    )
    writer = prof("docs-writer", {"doc": 3.0, "readm": 1.5, "changelog": 1.5})
    router = coordinator_router(
        [reviewer, writer], others(), prof("orchestrator", {"coordinat": 3.0})
    )
    routes = router.route("Review this pull request for security issues and write the changelog")
    assert [(r.clause, r.disposition, r.target) for r in routes] == [
        ("Review this pull request for security issues", Disposition.HANDOFF, "code-reviewer"),
        ("write the changelog", Disposition.UNCOVERED, None),
    ]


LOGIN_TESTS = {"login": 0.75, "test": 0.75}
"""Words two filler prompts mention in passing (they weigh in the clause's score)."""


def test_a_faint_request_of_its_own_keeps_its_role_next_to_a_confident_job() -> None:
    debugger = prof("debug", {"debug": 3.0, "flaky": 1.5, "fix": 0.3})
    writer = prof("docs-writer", {"doc": 3.0, "document": 1.5, "readm": 1.5})
    fill = [
        prof(f"role-{i}", {f"word{i}": 3.0, "fix": 0.3} | (LOGIN_TESTS if i < 2 else {}))
        for i in range(6)
    ]
    router = coordinator_router([debugger, writer], fill, prof("orchestrator", {"coordinat": 3.0}))
    goal = "Fix the flaky login test and document the fix in the README"
    first = router.decide("Fix the flaky login test")
    assert first.target == "debug" and first.best is not None and first.best.score < 0.6
    routes = router.route(goal)
    assert [(r.clause, r.target) for r in routes] == [
        ("Fix the flaky login test", "debug"),
        ("document the fix in the README", "docs-writer"),
    ]


def test_a_faint_follow_up_still_joins_the_job_whose_role_has_its_words() -> None:
    web = prof("web-dev", {"storefront": 3.0, "bundler": 3.0, "migrat": 1.5, "check": 0.75})
    checks = prof("smoke-tester", {"smoke": 1.5, "basket": 0.75})
    router = coordinator_router([web, checks], others(), prof("orchestrator", {"coordinat": 3.0}))
    routes = router.route(
        "Migrate the storefront bundler and add smoke checks for the storefront basket"
    )
    assert [r.target for r in routes] == ["web-dev"]


def _worker(*targets: Profile) -> Router:
    own = prof("mode-orchestrator", {"orchestrat": 3.0, "mode": 1.5, "script": 0.3})
    fill = others()
    return Router(
        own=own,
        targets=list(targets),
        vocabulary=Vocabulary([*targets, *fill, own]),
        coordinator=False,
        min_score=0.7,
        margin=1.25,
    )


def test_a_worker_does_not_keep_what_it_cannot_do_because_two_targets_tie() -> None:
    router = _worker(
        prof("python-developer", {"python": 3.0, "develop": 1.5}),
        prof("python-pro", {"python": 3.0, "pro": 3.0}),
        prof("django-developer", {"django": 3.0, "python": 1.5}),
    )
    route = router.decide("Create a Python script")
    assert route.own.score < OWN_SCORE
    assert route.disposition is Disposition.HANDOFF
    assert route.target == "python-developer"


def test_a_worker_still_keeps_a_near_tie_it_can_do_itself() -> None:
    router = _worker(
        prof("python-developer", {"python": 3.0, "develop": 1.5}),
        prof("python-pro", {"python": 3.0, "pro": 3.0}),
    )
    router._own = prof("mode-orchestrator", {"orchestrat": 3.0, "python": 1.5, "script": 1.5})
    route = router.decide("Create a Python script")
    assert route.own.score >= OWN_SCORE
    assert route.disposition is Disposition.KEPT


def test_brainstorm_opens_a_request() -> None:
    goal = "Brainstorm data product ideas for retail analytics and write the PoC documentation"
    assert [f.text for f in fragments(goal)] == [
        "Brainstorm data product ideas for retail analytics",
        "write the PoC documentation",
    ]


def test_a_generic_noun_only_an_edge_note_says_is_not_the_role_s_work() -> None:
    """The edge to the writer is `For READMEs, user guides and release notes`: `user`
    there names what the guides are for, so `Add a user profile page` is not the
    writer's; a role named for users (`user-researcher`) would be named for it."""
    words = {"readm": 3.0, "guid": 3.0, "user": 3.0, "releas": 3.0, "note": 3.0}
    writer = Profile(
        slug="technical-writer",
        weights=words | {"document": 1.5, "page": 1.5},
        origin=dict.fromkeys(words, "note") | {"document": "description", "page": "description"},
    )
    database = prof("database-specialist", {"databas": 3.0, "tabl": 1.5, "profil": 1.5})
    router = coordinator_router(
        [writer, database], others(), prof("orchestrator", {"coordinat": 3.0})
    )
    route = router.decide("Add a user profile page")
    assert route.disposition is Disposition.UNCOVERED
    assert route.target is None
    named = Profile(
        slug="user-researcher",
        weights={"user": 3.0, "research": 3.0, "interview": 1.5},
        origin={"user": "name", "research": "name", "interview": "description"},
    )
    router = coordinator_router(
        [named, database], others(), prof("orchestrator", {"coordinat": 3.0})
    )
    assert router.decide("Interview five users").target == "user-researcher"

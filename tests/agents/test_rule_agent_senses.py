"""RuleAgent: one word of a clause is no proof of the kind of work; two words meeting are.

Found by a new user on the public wshobson plugins catalog, reproduced here on small
hand-made profiles:

- `Build a Docker image for the service` went to an image generator on `image` in its
  name, while the roles whose prompts speak of Docker images scored just below;
- `Refactor the React checkout form to use hooks` was reported uncovered: the best
  match was a refactoring role on the common verb and `React` in its prompt, and the
  front-end role, with `React` in its description and `hooks` in its prompt, was
  never considered (putting the next covering role first picked the payments role,
  on `checkout` alone).

A name word that only its role has (`GraphQL`) still decides.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from orchestrator_turn import ENTRY, first_turn
from rule_router import coordinator_router

from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._routes import Disposition, Router
from modegraph.agents.rule._text_match import content_terms, family_of, stem
from modegraph.agents.rule._wording import uncovered_part
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths

CHORES = Path(__file__).resolve().parent / "chores_catalog"


def prof(slug: str, weights: dict[str, float]) -> Profile:
    """A profile whose terms weigh as a description (1 and more) or a prompt's body."""
    origin = {t: "description" if w >= 1.0 else "role" for t, w in weights.items()}
    return Profile(slug=slug, weights=weights, origin=origin)


def coordinator(*targets: Profile) -> Router:
    """An orchestrator over `targets` and six roles whose prompts share common words."""
    others = [
        prof(
            f"role-{i}",
            {f"word{i}": 3.0, "docker": 0.75, "build": 0.75, "refactor": 0.75}
            | {"servic": 0.75, "react": 0.75, "api": 0.75},
        )
        for i in range(6)
    ]
    own = prof("orchestrator", {"plan": 3.0})
    return coordinator_router(targets, others, own)


def test_a_name_word_in_another_sense_does_not_beat_prompts_of_the_domain() -> None:
    router = coordinator(
        prof("image-maker", {"imag": 3.0, "pictur": 1.5}),
        prof(
            "ship-engineer",
            {"releas": 1.5, "docker": 0.75, "imag": 0.75, "build": 0.3, "servic": 1.1},
        ),
        *(prof(f"pics-{i}", {f"pics{i}": 3.0, "imag": 0.75}) for i in range(3)),
    )
    goal = "Build a Docker image for the service"
    route = router.decide(goal)
    assert route.disposition is Disposition.HANDOFF
    assert route.target == "ship-engineer"
    scores = {m.slug: m.score for m in router.scores(goal)[1]}
    assert scores["image-maker"] > scores["ship-engineer"]  # `image` in its name, alone


def test_a_role_on_two_words_of_the_clause_beats_one_on_a_common_verb() -> None:
    router = coordinator(
        prof(
            "refactoring-modernizer",
            {"refactor": 3.0, "legacy": 1.5, "react": 0.75, "form": 0.75},
        ),
        prof("payments", {"checkout": 1.5, "stripe": 1.5}),
        prof("shop-dev", {"checkout": 0.75, "cart": 1.5}),
        prof(
            "frontend-dev",
            {"react": 1.5, "component": 1.5, "hook": 0.75, "form": 0.75, "render": 0.75},
        ),
        prof("vue-dev", {"vue": 3.0, "react": 0.75, "hook": 0.75}),
    )
    route = router.decide("Refactor the React checkout form to use hooks")
    assert route.disposition is Disposition.HANDOFF
    assert route.target == "frontend-dev"


def test_a_name_word_only_its_role_has_still_decides() -> None:
    router = coordinator(
        prof("graphql-architect", {"graphql": 3.0, "schema": 1.5}),
        prof("api-documenter", {"api": 3.0, "catalog": 0.75, "refer": 1.5}),
    )
    route = router.decide("Put a GraphQL API over the product catalog")
    assert route.target == "graphql-architect"


def test_copies_of_one_role_are_no_rivals() -> None:
    """One prompt shipped under two names (a plugin catalog) ties with itself on every
    clause; an orchestrator still hands the clause to it instead of calling it a tie."""
    body = {"react": 1.5, "component": 1.5, "hook": 0.75, "form": 0.75}
    twins = [
        Profile(slug=slug, weights=body, origin={t: "description" for t in body}, body="same")
        for slug in ("perf-frontend-dev", "mobile-frontend-dev")
    ]
    router = coordinator(*twins, prof("payments", {"checkout": 1.5, "stripe": 1.5}))
    route = router.decide("Refactor the React form to use hooks")
    assert route.disposition is Disposition.HANDOFF
    assert route.target in {"perf-frontend-dev", "mobile-frontend-dev"}
    assert not route.tie


# -- a chore whose object no role works with is reported, not attached --------------


def chores_router() -> Router:
    """An orchestrator over a team reviewer (`team` in its name), a PHP role whose prompt
    names Laravel Passport once, an API role and a front-end role."""
    return coordinator(
        prof("team-reviewer", {"team": 3.0, "review": 3.0, "pull": 1.5}),
        prof("php-dev", {"php": 3.0, "laravel": 1.5, "passport": 0.75, "oauth": 0.75}),
        prof("api-dev", {"api": 3.0, "oauth": 1.5, "express": 1.5, "login": 1.5}),
        prof(
            "frontend-dev",
            {"react": 1.5, "component": 1.5, "hook": 0.75, "form": 0.75, "render": 0.75},
        ),
    )


@pytest.mark.parametrize(
    ("goal", "target", "chore"),
    [
        (
            "Refactor the React form to use hooks and order pizza for the team",
            "frontend-dev",
            "order pizza for the team",
        ),
        (
            "Add OAuth login to the Express API and renew my passport",
            "api-dev",
            "renew my passport",
        ),
    ],
)
def test_a_chore_whose_object_no_role_works_with_is_uncovered(
    goal: str, target: str, chore: str
) -> None:
    """`team` is in a role's name and `passport` in one prompt, but no role works with
    pizza or passports: the object of the request decides that it is no role's work."""
    routes = chores_router().route(goal)
    assert [(r.disposition, r.target) for r in routes] == [
        (Disposition.HANDOFF, target),
        (Disposition.UNCOVERED, None),
    ]
    assert routes[1].clause == chore
    assert routes[1].stray


@pytest.mark.parametrize(
    "goal",
    [
        "Refactor the React form to use hooks and render the nav in a component",
        "Refactor the React form to use hooks and move those hooks into a helper",
    ],
)
def test_a_detail_in_words_of_software_work_stays_attached(goal: str) -> None:
    routes = chores_router().route(goal)
    assert [(r.disposition, r.target) for r in routes] == [(Disposition.HANDOFF, "frontend-dev")]


def test_the_report_says_why_a_chore_is_no_roles_work() -> None:
    route = chores_router().decide("renew my passport")
    reason = uncovered_part(route, min_score=0.3, foreign_share=0.5, role="orchestrator").reason
    assert "what it asks for ('passport') is no role's work" in reason


# -- front-end work is a kind of work of its own -------------------------------------


def test_front_end_words_are_one_kind_of_work() -> None:
    assert content_terms("polish the front end") == ["polish", "frontend"]
    assert "darkmod" in content_terms("a dark mode toggle")
    assert stem("frontend") in family_of(stem("toggle"))
    assert stem("flag") in family_of(stem("toggle"))  # a feature toggle is a flag


def test_a_ui_feature_and_its_tests_go_to_two_roles() -> None:
    """No prompt says `dark mode` or `toggle`; the front-end role's work is them. The
    tests are the test role's, not the whole goal (as on the public lst97 catalog)."""
    catalog = Catalog([*load_paths([CHORES]).modes, ENTRY])
    report = first_turn(
        catalog, "Add a dark mode toggle to the settings page and write tests for it"
    )
    assert [(h.target, h.goal) for h in report.handoffs] == [
        ("frontend-developer", "Add a dark mode toggle to the settings page"),
        ("test-automator", "Write tests for it"),
    ]
    assert report.uncovered == ()

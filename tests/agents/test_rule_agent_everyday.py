"""RuleAgent: everyday requests are not software work, and the kind of work decides.

Found by a new user on the public wshobson, 0xfurai, VoltAgent, Pheromind, SPARC and Roo
Commander catalogs, reproduced here on small hand-made profiles:

- `Plan the sprint` went to an SEO content planner: `plan`, and `sprint` through its
  kind of work (planning), both met the planner's one word `plans`, and counted as
  two pieces of evidence.
"""

from __future__ import annotations

from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._routes import Disposition, Router
from modegraph.agents.rule._text_match import Vocabulary


def prof(slug: str, weights: dict[str, float]) -> Profile:
    """A profile whose terms weigh as a description (1 and more) or a prompt's body."""
    origin = {t: "description" if w >= 1.0 else "role" for t, w in weights.items()}
    return Profile(slug=slug, weights=weights, origin=origin)


def coordinator(*targets: Profile, common: dict[str, float] | None = None) -> Router:
    """An orchestrator over `targets` and six roles whose prompts share `common` words."""
    shared = common if common is not None else {"plan": 0.75, "build": 0.75, "write": 0.75}
    others = [prof(f"role-{i}", {f"word{i}": 3.0} | shared) for i in range(6)]
    own = prof("orchestrator", {"coordinat": 3.0})
    return Router(
        own=own,
        targets=[*targets, *others],
        vocabulary=Vocabulary([*targets, *others, own]),
        coordinator=True,
        min_score=0.3,
        margin=1.25,
    )


def test_one_profile_word_met_by_two_clause_words_is_one_piece_of_evidence() -> None:
    router = coordinator(prof("content-planner", {"content": 3.0, "plan": 1.5, "seo": 3.0}))
    route = router.decide("Plan the sprint")
    assert route.disposition is Disposition.UNCOVERED
    assert route.best is not None and route.best.slug == "content-planner"
    assert route.best.terms == {"plan"}  # `sprint` met the same `plans`: not counted again
    # a role that has a word of the planning family of its own still gets it
    router = coordinator(prof("scrum-master", {"scrum": 3.0, "plan": 1.5, "backlog": 1.5}))
    route = router.decide("Plan the sprint")
    assert route.disposition is Disposition.HANDOFF
    assert route.target == "scrum-master"

"""RuleAgent: everyday requests are not software work, and the kind of work decides.

Found by a new user on the public wshobson, 0xfurai, VoltAgent, Pheromind, SPARC and Roo
Commander catalogs, reproduced here on small hand-made profiles:

- `Plan the sprint` went to an SEO content planner: `plan`, and `sprint` through its
  kind of work (planning), both met the planner's one word `plans`, and counted as
  two pieces of evidence.
- `pick up my dry cleaning` went to a Python expert whose description says `clean` code
  and whose prompt says `DRY`: software senses of everyday words. An object that is
  the asker's own (`my`) is software work only in an ordinary word of software or a
  word a role is named for.
- `Write a short story about a dragon` went to a spec writer: `write` in its name and
  `stories` (user stories) in its notes. In a clause mostly in words no role knows, a
  word the catalog does not work with is no evidence.
- `Build a React dashboard for sales metrics with charts` went to VoltAgent's
  sales-engineer (`sales` in its name, but the sales are what the dashboard is about)
  and, on 0xfurai, to react-native-expert rather than react-expert (`native` is a
  specialisation nobody asked for).
- `Train a sentiment classifier on our support tickets` was reported uncovered on
  VoltAgent as a near tie between the NLP engineer (`sentiment` in what it does) and a
  customer success manager whose prompt mentions sentiment, support and tickets.
"""

from __future__ import annotations

from rule_router import coordinator_router

from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._routes import Disposition, Router
from modegraph.agents.rule._text_match import stem
from modegraph.agents.rule._wording import uncovered_part


def prof(slug: str, weights: dict[str, float]) -> Profile:
    """A profile whose terms weigh as a description (1 and more) or a prompt's body."""
    origin = {t: "description" if w >= 1.0 else "role" for t, w in weights.items()}
    return Profile(slug=slug, weights=weights, origin=origin)


def coordinator(*targets: Profile, common: dict[str, float] | None = None) -> Router:
    """An orchestrator over `targets` and six roles whose prompts share `common` words."""
    shared = common if common is not None else {"plan": 0.75, "build": 0.75, "write": 0.75}
    others = [prof(f"role-{i}", {f"word{i}": 3.0} | shared) for i in range(6)]
    own = prof("orchestrator", {"coordinat": 3.0})
    return coordinator_router(targets, others, own)


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


def test_an_errand_of_ones_own_is_not_done_on_software_senses_of_its_words() -> None:
    python = prof("python-expert", {"python": 3.0, "clean": 1.5, "dry": 0.75, "idiom": 1.5})
    linters = [prof(f"lint-{i}", {f"lint{i}": 3.0, "clean": 0.75, "dry": 0.75}) for i in range(2)]
    router = coordinator(python, *linters)
    route = router.decide("pick up my dry cleaning")
    assert route.disposition is Disposition.UNCOVERED
    assert route.stray == ("dry", "cleaning")
    part = uncovered_part(route, min_score=0.7, foreign_share=0.5)
    assert "errand of your own (my 'dry', 'cleaning')" in part.reason
    # a word a role is named for is software work, `my` or not
    assert router.decide("tune my python idioms").target == "python-expert"


def test_in_a_foreign_clause_a_word_the_catalog_does_not_work_with_is_no_evidence() -> None:
    spec = prof(
        "spec-writer", {"spec": 3.0, "writer": 3.0, "feature": 1.5, "story": 0.3, "short": 0.3}
    )
    router = coordinator(spec, common={"plan": 0.75, "build": 0.75, "test": 0.75})
    route = router.decide("Write a short story about a dragon")
    assert route.disposition is Disposition.UNCOVERED
    assert route.best is not None and route.best.slug == "spec-writer"
    # the catalog's own words still count: a spec for a feature is the writer's
    assert router.decide("Write a spec for the export feature").target == "spec-writer"
    # and so does a word a role says in what it does, met through another form of it
    pipes = prof("pipeline-engineer", {"ingestion": 3.0, "kafka": 3.0, "airflow": 3.0})
    route = coordinator(spec, pipes).decide("Ingest the orders feed from Kafka every hour")
    assert route.foreign >= 0.5
    assert route.target == "pipeline-engineer"


def named(slug: str, weights: dict[str, float]) -> Profile:
    """A profile whose slug's words are its name (weight 3) besides `weights`."""
    names = {stem(word): 3.0 for word in slug.split("-")}
    origin = {t: "name" for t in names}
    origin |= {t: "description" if w >= 1.0 else "role" for t, w in weights.items()}
    return Profile(slug=slug, weights=names | weights, origin=origin)


def named_router(*targets: Profile) -> Router:
    """An orchestrator over `targets` and six roles whose names share role nouns."""
    nouns = ("expert", "engineer", "specialist")
    others = [
        named(f"area{i}-{nouns[i % 3]}", {"build": 0.75, "servic": 0.75, "api": 0.75})
        for i in range(6)
    ]
    own = prof("orchestrator", {"coordinat": 3.0})
    return coordinator_router(targets, others, own)


def test_a_role_named_for_the_subject_yields_to_one_named_for_the_object() -> None:
    sales = named("sales-engineer", {"dashboard": 0.75, "metric": 0.75, "build": 0.75})
    react = named("react-specialist", {"build": 0.75, "hook": 0.75})
    router = named_router(sales, react)
    goal = "Build a React dashboard for sales metrics"
    scores = {m.slug: m.score for m in router.scores(goal)[1]}
    assert scores["sales-engineer"] > scores["react-specialist"]
    assert router.decide(goal).target == "react-specialist"
    # the sales role keeps work whose object is its own
    assert router.decide("Build a sales dashboard for the board").target == "sales-engineer"


def test_a_name_with_a_specialisation_nobody_asked_for_yields() -> None:
    native = named("react-native-expert", {"build": 0.75, "mobil": 1.5})
    react = named("react-expert", {"compon": 1.5})
    router = named_router(native, react)
    goal = "Build a React dashboard"
    scores = {m.slug: m.score for m in router.scores(goal)[1]}
    assert scores["react-native-expert"] > scores["react-expert"]
    assert router.decide(goal).target == "react-expert"
    assert router.decide("Build a React Native screen").target == "react-native-expert"


def test_a_role_that_only_mentions_the_object_is_no_rival() -> None:
    nlp = prof("nlp-engineer", {"languag": 3.0, "senti": 1.75, "train": 0.3, "support": 0.75})
    success = prof(
        "success-manager",
        {"custom": 3.0, "senti": 0.6, "support": 0.75, "ticket": 0.75, "train": 0.3},
    )
    router = coordinator(nlp, success)
    goal = "Train a sentiment classifier on our support tickets"
    scores = {m.slug: m.score for m in router.scores(goal)[1]}
    assert scores["success-manager"] < scores["nlp-engineer"] < 0.6  # a faint near tie
    assert scores["nlp-engineer"] < scores["success-manager"] * 1.1
    route = router.decide(goal)
    assert route.disposition is Disposition.HANDOFF
    assert route.target == "nlp-engineer"

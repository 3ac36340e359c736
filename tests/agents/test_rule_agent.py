"""RuleAgent unit tests on catalogs built in Python, including domains it has never seen."""

from __future__ import annotations

import pytest

from modegraph.agents import AllowedTarget, ChildResult, ReportStatus, RoleTurn, RuleAgent
from modegraph.agents.rule._clauses import fragments, modifier_split
from modegraph.agents.rule._text_match import content_terms, stem
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode, Reference


def kitchen() -> Catalog:
    """A restaurant: nothing like a software catalog."""
    return Catalog(
        [
            Mode(
                slug="head-chef",
                name="Head Chef",
                description="Runs the kitchen, writes the menu and cooks the main courses.",
                capabilities=("Plan the weekly menu", "Cook mains: roasts, stews, grilled fish"),
                workflow=("Read the order", "Prepare the mise en place", "Cook and plate"),
                tags=("menu", "mains", "kitchen"),
                delegates_to=(
                    Reference(slug="pastry-chef", note="For desserts, bread and cakes"),
                    Reference(slug="sommelier", note="For wine pairings and the cellar"),
                ),
            ),
            Mode(
                slug="pastry-chef",
                name="Pastry Chef",
                description="Bakes bread, cakes, tarts and makes every dessert.",
                capabilities=("Bake sourdough bread", "Make chocolate desserts and sorbets"),
                tags=("pastry", "dessert", "baking"),
                stack=("chocolate", "sourdough"),
            ),
            Mode(
                slug="sommelier",
                name="Sommelier",
                description="Chooses wines, pairs them with dishes and keeps the cellar.",
                capabilities=("Pair wines with each course", "Manage the wine cellar"),
                tags=("wine", "pairing", "cellar"),
            ),
        ]
    )


def turn_for(catalog: Catalog, entry: str, goal: str, **kw: object) -> RoleTurn:
    mode = catalog[entry]
    allowed = tuple(
        AllowedTarget(mode=catalog[r.slug], kind=kind, note=r.note)
        for kind in (EdgeKind.DELEGATE, EdgeKind.ESCALATE)
        for r in mode.references(kind)
        if r.slug in catalog
    )
    return RoleTurn(
        task_id="T",
        subtask_id="T",
        mode=mode,
        goal=goal,
        allowed=allowed,
        chain=(entry,),
        **kw,  # type: ignore[arg-type]
    )


def test_a_catalog_it_has_never_seen() -> None:
    catalog = kitchen()
    agent = RuleAgent(catalog=catalog)
    report = agent.run(
        turn_for(
            catalog,
            "head-chef",
            "Cook a lamb roast for twelve, bake a chocolate tart, and pick a red wine to pair",
        )
    )
    assert {h.target for h in report.handoffs} == {"pastry-chef", "sommelier"}
    tart = next(h for h in report.handoffs if h.target == "pastry-chef")
    assert tart.goal == "Bake a chocolate tart"
    assert "'chocolate'" in tart.reason
    assert "matched pastry-chef's" in tart.reason
    wine = next(h for h in report.handoffs if h.target == "sommelier")
    assert "the edge note 'For wine pairings and the cellar'" in wine.reason
    assert "'Cook a lamb roast for twelve' itself" in report.summary
    assert "following its workflow" in report.summary
    assert report.llm_calls == 0


def test_the_role_keeps_what_is_its_own() -> None:
    catalog = kitchen()
    report = RuleAgent(catalog=catalog).run(
        turn_for(catalog, "head-chef", "Plan next week's menu and cook the grilled fish")
    )
    assert report.handoffs == ()
    assert report.uncovered == ()
    assert report.status is ReportStatus.COMPLETED
    assert report.outcome == "Planned"
    assert "without a model no work was carried out" in report.summary


def test_an_and_between_two_words_of_one_clause_is_not_split() -> None:
    catalog = kitchen()
    routes = RuleAgent(catalog=catalog).route(
        turn_for(catalog, "head-chef", "Bake bread and cakes for the brunch")
    )
    assert [r.clause for r in routes] == ["Bake bread and cakes for the brunch"]
    assert routes[0].target == "pastry-chef"


def test_targets_already_in_the_chain_are_not_asked() -> None:
    catalog = kitchen()
    turn = turn_for(catalog, "head-chef", "Bake a chocolate tart").model_copy(
        update={"chain": ("pastry-chef", "head-chef")}
    )
    assert RuleAgent(catalog=catalog).run(turn).handoffs == ()


def test_integration_turn_completes_with_the_results() -> None:
    catalog = kitchen()
    result = ChildResult(
        subtask_id="T.1",
        role="pastry-chef",
        goal="Bake a chocolate tart",
        status=ReportStatus.COMPLETED,
        summary="tart baked",
        references=("recipes/tart.md",),
    )
    report = RuleAgent(catalog=catalog).run(
        turn_for(catalog, "head-chef", "Cook a roast and bake a chocolate tart", results=(result,))
    )
    assert report.handoffs == ()
    assert report.references == ("recipes/tart.md",)
    assert "pastry-chef (completed): Bake a chocolate tart" in report.summary
    assert "Head Chef kept 'Cook a roast' for itself (planned, not carried out)" in report.summary
    assert " did " not in report.summary
    assert report.notes == ("pastry-chef: tart baked",)


def test_after_refusals_it_keeps_the_work() -> None:
    catalog = kitchen()
    report = RuleAgent(catalog=catalog).run(
        turn_for(catalog, "head-chef", "Bake a tart", refusals=("handoff to x refused: no",))
    )
    assert report.handoffs == ()
    assert "handoff to x refused: no" in report.summary


def test_without_a_catalog_it_weighs_terms_over_the_turn_roles() -> None:
    catalog = kitchen()
    report = RuleAgent().run(turn_for(catalog, "head-chef", "Pair a wine with the cheese course"))
    assert [h.target for h in report.handoffs] == ["sommelier"]


@pytest.mark.parametrize(
    ("goal", "clauses"),
    [
        # an `and` between two nouns is not a new request
        ("Build a users API with signup and login", ["Build a users API with signup and login"]),
        (
            "Design the schema; write tests. Deploy it.",
            ["Design the schema", "write tests", "Deploy it"],
        ),
        # a noun phrase after a comma or connective may be a deliverable of its own
        ("Add OAuth as well as the nginx config", ["Add OAuth", "the nginx config"]),
        # between two verbs of one request nothing is cut
        ("Make sure people can only read and edit their notes", None),
        # a sentence that asks for nothing is context for the request after it
        (
            "The import job dies on some rows. Track down why, then deploy the fix.",
            ["The import job dies on some rows. Track down why", "deploy the fix"],
        ),
        # a lead-in joins its request
        ("For the billing page, add a retry button", None),
        # after a colon, noun phrases are deliverables
        (
            "Password reset: a form on the site, a POST route and a table for tokens",
            ["Password reset: a form on the site", "a POST route", "a table for tokens"],
        ),
        ("Backtest a trade between Coke and Pepsi", None),
    ],
)
def test_fragments(goal: str, clauses: list[str] | None) -> None:
    assert [f.text for f in fragments(goal)] == (clauses or [goal])
    for f in fragments(goal):
        assert goal[f.start : f.end] == f.text


def test_modifier_split() -> None:
    assert modifier_split("Build a users API with signup and login") == (
        "Build a users API",
        "signup and login",
    )
    assert modifier_split("Deploy it") is None
    assert modifier_split("with nothing before") is None


def test_stems_and_terms() -> None:
    assert stem("migrations") == stem("migrate") == stem("migrating")
    assert stem("deployment") == stem("deploying") == stem("deploy")
    assert stem("security") == stem("secure")
    assert content_terms("the DB and k8s") == ["db", stem("database"), "k8s", stem("kubernetes")]
    assert "the" not in content_terms("the the the")

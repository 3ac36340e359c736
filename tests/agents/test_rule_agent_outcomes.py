"""RuleAgent on flat catalogs: coordinators, specificity, uncovered parts, honest wording, limits.

The catalogs here are written in Python in the shape of a Claude Code agents folder
(descriptions with `Use PROACTIVELY` and `<example>` blocks) and of a Roo Code
`.roomodes` with an orchestrator; the coordinator is a mode that may hand work to
every other mode, as the built-in orchestrator does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.agents import (
    AgentReport,
    AllowedTarget,
    ChildResult,
    ReportStatus,
    RoleTurn,
    RuleAgent,
)
from modegraph.agents.rule._profiles import Profile, own_work, profile_of, split_examples
from modegraph.agents.rule._routes import (
    ClauseRoute,
    Disposition,
    Router,
    continues,
    is_coordinator,
)
from modegraph.agents.rule._text_match import Vocabulary, clause_terms
from modegraph.agents.rule._wording import uncovered_part
from modegraph.agents.rule.agent import MAX_GOAL_CHARS
from modegraph.errors import GoalError, SetupError
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import bundled_library_dir
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.model import EdgeKind, Mode, Reference, SourceFormat, SourceInfo, ToolGroup
from modegraph.roles.escalation import EscalationGraph

CLAUDE = SourceInfo(format=SourceFormat.CLAUDE)
ROOMODES = SourceInfo(format=SourceFormat.ROOMODES)


def agent(slug: str, description: str, body: str = "") -> Mode:
    """A Claude Code subagent as the reader makes it (description read twice)."""
    return Mode(
        slug=slug,
        name=slug.replace("-", " ").title(),
        description=description,
        when_to_use=description,
        role_definition=body,
        source=CLAUDE,
        extra={"claude_tools": "inherit"},
    )


def agents_folder() -> list[Mode]:
    return [
        agent(
            "python-pro",
            "Writes idiomatic Python: scripts, command-line tools, packaging and type hints. "
            "Use PROACTIVELY for general Python work. Framework work (FastAPI, Django) "
            "belongs to those agents.",
            "You are a Python expert.\n\n## Focus\n- argparse and click CLIs\n- pytest",
        ),
        agent(
            "fastapi-pro",
            "Builds async web APIs with FastAPI and Pydantic: path operations, routers, "
            "dependency injection, request models. Use PROACTIVELY for FastAPI services.",
            "You are a FastAPI expert.",
        ),
        agent(
            "postgres-pro",
            "PostgreSQL administration: replication, vacuum and bloat, connection pooling, "
            "configuration tuning and backups.",
        ),
        agent(
            "kubernetes-specialist",
            "Kubernetes workloads and clusters: Deployments, Services, Ingress, Helm charts "
            "and autoscaling.",
        ),
        agent(
            "technical-writer",
            "Use this agent for user documentation. Examples:\\n\\n<example>\\nContext: "
            'A feature shipped.\\nuser: "Write a user guide for the export screen"\\n'
            'assistant: "I\'ll use the technical-writer agent."\\n<commentary>\\nGuides '
            "are documentation work.\\n</commentary>\\n</example>",
            "You are a technical writer. You write user guides, READMEs and tutorials.",
        ),
    ]


def with_orchestrator(modes: list[Mode]) -> Catalog:
    """The catalog plus a coordinator that may hand work to every mode of it."""
    orchestrator = Mode(
        slug="orchestrator",
        name="Orchestrator",
        description="Coordinates a request: splits it into parts and assigns each part.",
        role_definition="You are the orchestrator. You plan and integrate; you do not do the work.",
        delegates_to=tuple(Reference(slug=m.slug) for m in modes),
    )
    return Catalog([*modes, orchestrator])


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


@pytest.fixture(scope="module")
def flat() -> Catalog:
    return with_orchestrator(agents_folder())


def run(catalog: Catalog, goal: str, entry: str = "orchestrator", **kw: object) -> AgentReport:
    return RuleAgent(catalog=catalog).run(turn_for(catalog, entry, goal, **kw))


# -- routing by the fields of the format ------------------------------------------


def test_the_most_specific_role_wins(flat: Catalog) -> None:
    goal = "Add a POST /orders route to our FastAPI service with a Pydantic request model"
    report = run(flat, goal)
    assert [h.target for h in report.handoffs] == ["fastapi-pro"]
    assert "fastapi" in report.handoffs[0].reason
    assert "score" in report.handoffs[0].reason
    report = run(flat, "Write a small Python script with argparse that renames photos by date")
    assert [h.target for h in report.handoffs] == ["python-pro"]


def test_a_goal_with_several_parts_goes_to_several_roles(flat: Catalog) -> None:
    report = run(
        flat,
        "Add a FastAPI route that lists invoices, set up replication for our Postgres "
        "primary, and write Helm charts for the api deployment",
    )
    assert {h.target for h in report.handoffs} == {
        "fastapi-pro",
        "postgres-pro",
        "kubernetes-specialist",
    }
    assert report.uncovered == ()
    assert report.status is ReportStatus.COMPLETED


def test_example_user_text_routes_but_its_boilerplate_does_not(flat: Catalog) -> None:
    report = run(flat, "Write a user guide for the billing screen")
    assert [h.target for h in report.handoffs] == ["technical-writer"]
    profile = profile_of(flat["technical-writer"])
    for boilerplate in ("assistant", "commentary", "context", "exampl"):
        assert profile.weights.get(boilerplate, 0.0) < 1.5, boilerplate
    assert profile.origin["export"] == "examples"


def test_split_examples_keeps_context_and_user_text_only() -> None:
    prose, examples = split_examples(
        'Reviews code. Examples:\n\n<example>\nContext: A branch is done.\nuser: "Look at '
        'my diff"\nassistant: "I will launch the code-reviewer agent."\n<commentary>\n'
        "Finished work is reviewed.\n</commentary>\n</example>"
    )
    assert prose == "Reviews code."
    assert examples == ["A branch is done.", "Look at my diff"]


def test_sentences_about_other_roles_work_are_not_the_modes_own() -> None:
    kept = own_work(
        [
            "Writes Python scripts. Framework work (FastAPI, Django) belongs to those agents. "
            "You do not write production handlers; you hand a clear design to the implementers."
        ]
    )
    assert kept == ["Writes Python scripts."]
    listing = own_work(["Split the request.\nUse `new_task` to assign:\n- `db` for schemas\n"])
    assert listing == ["Split the request."]


# -- coordinators --------------------------------------------------------------------


def test_what_makes_a_coordinator(flat: Catalog) -> None:
    def targets(mode: Mode) -> list[AllowedTarget]:
        return [AllowedTarget(mode=flat[r.slug], kind=EdgeKind.DELEGATE) for r in mode.delegates_to]

    slugs = frozenset(m.slug for m in flat)
    orchestrator = flat["orchestrator"]
    assert is_coordinator(orchestrator, targets(orchestrator), slugs)
    some = orchestrator.model_copy(update={"delegates_to": orchestrator.delegates_to[:2]})
    assert not is_coordinator(some, targets(some), slugs)
    assert is_coordinator(some.model_copy(update={"level": "000-executive"}), targets(some), slugs)
    roo = some.model_copy(update={"source": ROOMODES, "tool_groups": ()})
    assert is_coordinator(roo, targets(roo), slugs)
    editing = roo.model_copy(update={"tool_groups": (ToolGroup(name="edit"),)})
    assert not is_coordinator(editing, targets(editing), slugs)
    assert not is_coordinator(orchestrator, [], slugs)


def test_a_coordinator_keeps_nothing_it_could_hand_off(flat: Catalog) -> None:
    routes = RuleAgent(catalog=flat).route(
        turn_for(flat, "orchestrator", "Plan and write a user guide for the export screen")
    )
    assert [r.disposition for r in routes] == [Disposition.HANDOFF]
    assert routes[0].target == "technical-writer"


# -- honest outcomes -------------------------------------------------------------------


def test_a_goal_nobody_covers_is_unassigned(flat: Catalog) -> None:
    report = run(flat, "Bake a chocolate cake for the team party on Friday")
    assert report.handoffs == ()
    assert report.status is ReportStatus.UNASSIGNED
    assert report.outcome == "Unassigned"
    [part] = report.uncovered
    assert part.text == "Bake a chocolate cake for the team party on Friday"
    assert all(c.score < 0.5 for c in part.closest)
    assert "covering score" in part.reason or "no role's profile" in part.reason
    assert "No role covers 'Bake a chocolate cake" in report.summary
    assert "no work was carried out" in report.summary


def test_a_covered_part_is_handed_off_and_the_rest_reported(flat: Catalog) -> None:
    report = run(
        flat,
        "Add a FastAPI route that lists invoices with a Pydantic response model, and also "
        "write a wedding toast for my sister",
    )
    assert [h.target for h in report.handoffs] == ["fastapi-pro"]
    assert report.status is ReportStatus.COMPLETED
    assert report.outcome == "Partial"
    assert [u.text for u in report.uncovered] == ["write a wedding toast for my sister"]
    assert "wedding toast" not in report.handoffs[0].goal
    assert any(n.endswith(")") and "-> uncovered" in n for n in report.notes)


def test_a_role_that_keeps_a_clause_with_score_zero_has_not_done_it() -> None:
    chef = Mode(slug="head-chef", name="Head Chef", description="Cooks the main courses.")
    catalog = Catalog([chef])
    report = RuleAgent(catalog=catalog).run(
        turn_for(catalog, "head-chef", "Replace the brake pads on the delivery van")
    )
    assert report.status is ReportStatus.UNASSIGNED
    assert [u.text for u in report.uncovered] == ["Replace the brake pads on the delivery van"]
    assert report.uncovered[0].closest == ()


def test_summaries_never_read_as_if_work_was_done(flat: Catalog) -> None:
    first = run(flat, "Add a FastAPI route for invoices and write a user guide for it")
    assert "Hands off" in first.summary and " did " not in first.summary
    assert "without a model no work was carried out" in first.summary
    result = ChildResult(
        subtask_id="T.1",
        role="fastapi-pro",
        goal="Add a FastAPI route for invoices",
        status=ReportStatus.COMPLETED,
        summary="planned",
    )
    done = run(flat, "Add a FastAPI route for invoices", results=(result,))
    assert "Integrated 1 result(s), 1 completed" in done.summary
    assert "without a model no work was carried out" in done.summary
    assert done.outcome == "Routed"


def test_the_integration_turn_reports_the_uncovered_parts_again(flat: Catalog) -> None:
    result = ChildResult(
        subtask_id="T.1",
        role="fastapi-pro",
        goal="x",
        status=ReportStatus.COMPLETED,
        summary="planned",
    )
    report = run(
        flat,
        "Add a FastAPI route for invoices. Also book a table for dinner at an Italian restaurant",
        results=(result,),
    )
    assert [u.text for u in report.uncovered] == [
        "book a table for dinner at an Italian restaurant"
    ]
    assert report.outcome == "Partial"


# -- goals: clauses and limits -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("finds duplicate photos by hashing them", True),
        ("doing the processing afterwards", True),
        ("with a guard so nobody can deactivate the last admin", True),
        ("speed up the slow query", False),
        ("store users in Postgres", False),
        ("access the admin console", False),
        ("the IAM roles the app needs", False),
    ],
)
def test_fragments_that_continue_their_clause(text: str, expected: bool) -> None:
    assert continues(text) is expected


def test_a_negated_part_of_a_goal_is_a_constraint_not_work(flat: Catalog) -> None:
    report = run(flat, "Write a user guide for the export screen, but don't touch the FastAPI code")
    assert [h.target for h in report.handoffs] == ["technical-writer"]


def test_a_goal_past_the_limit_is_refused_with_a_way_out(flat: Catalog) -> None:
    with pytest.raises(GoalError, match=r"1,048,576 characters.*at most 20,000.*in a file"):
        run(flat, "x" * 1_048_576)
    assert issubclass(GoalError, SetupError)


def test_a_goal_at_the_limit_is_routed(flat: Catalog) -> None:
    sentences = (f"Write Helm chart number {i} for the api deployment." for i in range(5000))
    goal = " ".join(sentences)[:MAX_GOAL_CHARS]
    report = run(flat, goal)
    assert [h.target for h in report.handoffs] == ["kubernetes-specialist"]


# -- the examples of issue 12 on the bundled library -------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    path = bundled_library_dir()
    assert path is not None
    return Catalog(load_paths([path]).modes)


def bundled_turn(catalog: Catalog, entry: str, goal: str) -> RoleTurn:
    allowed = tuple(
        AllowedTarget(mode=catalog[e.target], kind=e.kind, note=e.note)
        for e in EscalationGraph(catalog).targets(entry)
        if not e.missing
    )
    return RoleTurn(
        task_id="T", subtask_id="T", mode=catalog[entry], goal=goal, allowed=allowed, chain=(entry,)
    )


@pytest.mark.parametrize(
    "goal",
    [
        "Bake a chocolate cake for the team party",
        "Compose a wedding speech for my brother",
        "Write an iOS app in Swift with SwiftUI",
    ],
)
def test_goals_no_bundled_role_covers_are_unassigned(bundled: Catalog, goal: str) -> None:
    report = RuleAgent(catalog=bundled).run(bundled_turn(bundled, "roo-commander", goal))
    assert report.handoffs == ()
    assert report.status is ReportStatus.UNASSIGNED
    assert [u.text for u in report.uncovered] == [goal]


def test_the_readme_goal_from_the_coordinator_reaches_its_specialists(bundled: Catalog) -> None:
    goal = (
        "Build a users API with signup and login, a Postgres schema with migrations, "
        "and deploy it with Docker"
    )
    report = RuleAgent(catalog=bundled).run(bundled_turn(bundled, "roo-commander", goal))
    assert {h.target for h in report.handoffs} == {
        "fastapi-developer",
        "security-specialist",
        "database-specialist",
        "infrastructure-specialist",
    }
    assert report.uncovered == ()


# -- a faint part next to a confident one -----------------------------------------------


@pytest.fixture(scope="module")
def claude_agents() -> Catalog:
    path = Path(__file__).resolve().parents[1] / "catalogs" / "claude_agents"
    return with_orchestrator(list(load_paths([path]).modes))


def test_a_faint_part_beside_a_confident_one_stays_with_its_job(claude_agents: Catalog) -> None:
    """`..., and have product pages rebuilt ...` is Next.js work that happens to say
    `product`: on a faint score (under 0.6) next to a confident handoff in the same
    sentence it is a detail of that job, not a job for the product manager."""
    goal = (
        "Move our Next.js site off the old pages folder onto the app router, and have "
        "product pages rebuilt statically every 10 minutes instead of rendered on every request"
    )
    report = run(claude_agents, goal)
    assert [h.target for h in report.handoffs] == ["nextjs-developer"]


def test_two_confident_parts_of_one_sentence_still_part(claude_agents: Catalog) -> None:
    goal = "Port our Next.js shop to the app router, and set up a hot standby for our Postgres"
    report = run(claude_agents, goal)
    assert {h.target for h in report.handoffs} == {"nextjs-developer", "postgres-pro"}


# -- a near tie on a faint score is no clear call -----------------------------------------


def test_a_coordinator_reports_a_faint_near_tie_instead_of_guessing() -> None:
    """Two near-duplicate roles both score under 0.6 and within 10% of each other: the
    coordinator hands the clause to neither and says so; with one of them alone, the
    same clause is handed off."""
    goal = "Export the invoices as spreadsheets for the accountants"
    terms, _ = clause_terms(goal)
    export, invoice, sheet, accountant = terms

    def prof(slug: str, weights: dict[str, float]) -> Profile:
        return Profile(slug=slug, weights=weights, origin={t: "description" for t in weights})

    twins = [
        prof("invoice-exporter", {export: 1.0, invoice: 1.0, "pdf": 3.0}),
        prof("billing-reporter", {export: 1.0, invoice: 0.95, "chart": 3.0}),
    ]
    others = [prof("sheet-maker", {sheet: 0.3}), prof("ledger-keeper", {accountant: 0.3})]
    own = prof("orchestrator", {"plan": 3.0})
    vocabulary = Vocabulary([*twins, *others, own])

    def decide(targets: list[Profile]) -> ClauseRoute:
        router = Router(
            own=own,
            targets=targets,
            vocabulary=vocabulary,
            coordinator=True,
            min_score=0.7,
            margin=1.25,
        )
        return router.decide(goal)

    tied = decide([*twins, *others])
    assert tied.disposition is Disposition.UNCOVERED and tied.tie
    assert [m.slug for m in tied.closest[:2]] == ["invoice-exporter", "billing-reporter"]
    reason = uncovered_part(tied, min_score=0.3, foreign_share=0.5, role="orchestrator").reason
    assert "nearly tie (invoice-exporter 0.48 and billing-reporter 0.47): no clear call" in reason
    alone = decide([twins[0], *others])
    assert alone.disposition is Disposition.HANDOFF and alone.target == "invoice-exporter"

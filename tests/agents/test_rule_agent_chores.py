"""RuleAgent: everyday chores are reported as not done, and the kind of work decides.

Found by a new user on the public Claude Code and Roo Commander catalogs; reproduced
here on `chores_catalog/` (17 Claude Code agents written for these tests):

- a chore joined by `and` to real work rode along with it (`Email my landlord about
  the broken heater and add structured logging ...` ended `completed`);
- a lone chore went over the floor on shared words (`call the plumber about the
  leaking sink` to the front-end security role, on `leak` and `sink`);
- the object outweighed the kind of work (`Write unit tests for the payment module`
  to the payments role), an ambiguous word picked the role (`Fix a memory leak in the
  React frontend` to front-end security), a lead's description was dropped because it
  `Coordinates` work (`Set up a GitHub Actions CI pipeline` uncovered), and one
  generic noun was enough (`Add a login page` to an SEO role on `page`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from orchestrator_turn import ENTRY
from orchestrator_turn import first_turn as run
from typer.testing import CliRunner

from modegraph.agents.rule._clauses import fragments
from modegraph.agents.rule._profiles import Profile, profile_of
from modegraph.agents.rule._routes import Disposition, Router
from modegraph.agents.rule._text_match import Vocabulary, content_terms, work_kinds
from modegraph.agents.rule._wording import uncovered_part
from modegraph.cli.app import app
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.model import Mode

CHORES = Path(__file__).resolve().parent / "chores_catalog"


@pytest.fixture(scope="module")
def chores() -> Catalog:
    return Catalog([*load_paths([CHORES]).modes, ENTRY])


# -- a chore joined by `and` is a request of its own ----------------------------------


@pytest.mark.parametrize(
    ("goal", "target", "chore"),
    [
        (
            "Email my landlord about the broken heater and add structured logging to the "
            "payment service",
            "observability-engineer",
            "Email my landlord about the broken heater",
        ),
        (
            "Write a blog post about our launch and schedule a haircut",
            "content-marketer",
            "schedule a haircut",
        ),
        (  # a request ending in a noun that is also a verb (`report`), a short chore
            "Fix the slow SQL query in the orders report and buy milk",
            "performance-engineer",
            "buy milk",
        ),
        (  # the same with `query`, and a chore of three words
            "Optimize the slow Postgres query and renew my passport",
            "performance-engineer",
            "renew my passport",
        ),
        (
            "Write a blog post about our launch, feed the cat",
            "content-marketer",
            "feed the cat",
        ),
    ],
)
def test_a_chore_joined_by_and_is_reported_not_done(
    chores: Catalog, goal: str, target: str, chore: str
) -> None:
    """Each side opens with its own verb and names its own object: two requests. The
    chore shares only a word of the same kind of work with the other role (`broken`
    and `error rates`), or one word the catalog does not know (`haircut`)."""
    report = run(chores, goal)
    assert [h.target for h in report.handoffs] == [target]
    assert chore.lower() not in report.handoffs[0].goal.lower()
    assert [u.text for u in report.uncovered] == [chore]


@pytest.mark.parametrize(
    "goal",
    [
        "Add tests and docs for the parser",
        "Design and build the schema",
        "Write a guide for new contributors: how to clone, install and run the service",
        "Tune the slow queries and index them",
    ],
)
def test_one_request_with_a_shared_object_or_a_verb_list_stays_whole(
    chores: Catalog, goal: str
) -> None:
    report = run(chores, goal)
    assert len(report.notes) == 1, report.notes
    assert not report.uncovered


def test_the_run_of_a_goal_with_a_chore_ends_incomplete_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    goal = (
        "Email my landlord about the broken heater and add structured logging to the "
        "payment service"
    )
    result = CliRunner().invoke(app, ["run", goal, "--modes", str(CHORES), "--no-bundled"])
    assert result.exit_code == 3, result.output
    out = " ".join(result.stdout.split())
    assert "Status: incomplete" in out
    assert "'Email my landlord about the broken heater' (orchestrator," in out


# -- an assignment needs evidence of the kind of work ---------------------------------


def test_a_lone_chore_in_shared_words_is_uncovered(chores: Catalog) -> None:
    """`sink` is in the body of the security role's prompt and `call` is an everyday
    verb (`system calls` in the C role's description): neither says what kind of
    work the chore is."""
    report = run(chores, "call the plumber about the leaking sink")
    assert report.handoffs == ()
    assert [u.text for u in report.uncovered] == ["call the plumber about the leaking sink"]


def prof(slug: str, weights: dict[str, float], field: str = "description") -> Profile:
    return Profile(slug=slug, weights=weights, origin={t: field for t in weights})


def coordinator_over(target: Profile, *, min_score: float) -> Router:
    """An orchestrator's router over `target` and six roles of unrelated words."""
    others = [prof(f"role-{i}", {f"word{i}": 3.0, "code": 0.75}) for i in range(6)]
    own = prof("orchestrator", {"plan": 3.0})
    return Router(
        own=own,
        targets=[target, *others],
        vocabulary=Vocabulary([target, *others, own]),
        coordinator=True,
        min_score=min_score,
        margin=1.25,
    )


def test_one_generic_noun_is_no_evidence_of_the_kind_of_work() -> None:
    """`page` is in the SEO role's description, but every software role has pages; the
    reason says why the clause is uncovered although the SEO role scores over the floor."""
    router = coordinator_over(
        prof("seo-auditor", {"page": 1.9, "keyword": 3.0, "rank": 1.5}), min_score=0.7
    )
    route = router.decide("Add a login page")
    assert route.best is not None and route.best.slug == "seo-auditor"
    assert route.best.score >= 0.3
    assert route.disposition is Disposition.UNCOVERED
    reason = uncovered_part(route, min_score=0.3, foreign_share=0.5, role="orchestrator").reason
    assert "seo-auditor scores" in reason and "do not say what kind of work it is" in reason
    keyword = router.decide("Add a keyword page")
    assert keyword.disposition is Disposition.HANDOFF and keyword.target == "seo-auditor"


# -- the kind of work decides ------------------------------------------------------------


def test_the_kind_of_work_outweighs_the_object(chores: Catalog) -> None:
    """Most prompts say they test things; few roles are testers: `tests` weighs by the
    roles whose name or description say so, and outweighs `payment`."""
    assert work_kinds("Write unit tests for the payment module") == frozenset({"test"})
    assert work_kinds("Build a chatbot that answers from our product docs") == frozenset()
    report = run(chores, "Write unit tests for the payment module")
    assert [h.target for h in report.handoffs] == ["test-automator"]


def test_a_memory_leak_is_not_security_work(chores: Catalog) -> None:
    report = run(chores, "Fix a memory leak in the React frontend")
    assert [h.target for h in report.handoffs] in (["frontend-developer"], ["react-specialist"])


def test_a_lead_that_coordinates_a_kind_of_work_is_routed_that_work(chores: Catalog) -> None:
    """`Coordinates DevOps work (CI/CD pipelines, ...)` says what the lead's work is; only
    a sentence about working *with* others names their work."""
    report = run(chores, "Set up a GitHub Actions CI pipeline")
    assert [h.target for h in report.handoffs] == ["devops-lead"]


def test_what_a_profile_keeps_of_coordination_and_compound_tags() -> None:
    lead = Mode(
        slug="ops-lead",
        name="Ops Lead",
        description=(
            "Coordinates DevOps tasks (CI/CD, infrastructure). "
            "Coordinates with the frontend lead on releases."
        ),
        tags=("cicd",),
    )
    profile = profile_of(lead)
    assert {"ci", "cd", "infrastructur"} <= set(profile.weights)
    assert profile.origin["ci"] == "tags"
    assert "frontend" not in profile.weights
    assert {"ci", "cd"} <= set(content_terms("CICD"))


def test_fragments_cut_two_requests_joined_by_and() -> None:
    assert [f.text for f in fragments("Write a blog post and schedule a haircut")] == [
        "Write a blog post",
        "schedule a haircut",
    ]


def test_a_verb_alone_does_not_move_a_role_up_a_near_tie() -> None:
    """`file-repair`'s tags say `fix`, and it nearly ties with the widget role on the
    clause, but nothing else of the clause is what it does (`crash` only in its notes):
    the clause goes to the widget role instead of being reported uncovered."""

    def prof(slug: str, weights: dict[str, float], origin: str = "description") -> Profile:
        return Profile(slug=slug, weights=weights, origin=dict.fromkeys(weights, origin))

    repair = Profile(
        slug="file-repair",
        weights={"fix": 3.0, "crash": 0.3},
        origin={"fix": "tags", "crash": "instructions"},
    )
    widget = prof("widget-dev", {"widget": 1.5, "bill": 0.75})
    others = [prof(f"role-{i}", {f"word{i}": 3.0, "fix": 0.75, "bill": 0.3}) for i in range(6)]
    own = prof("orchestrator", {"plan": 3.0})
    router = Router(
        own=own,
        targets=[repair, widget, *others],
        vocabulary=Vocabulary([repair, widget, *others, own]),
        coordinator=True,
        min_score=0.7,
        margin=1.25,
    )
    route = router.decide("Fix the crash in the billing widget")
    scores = {m.slug: m.score for m in route.closest}
    assert scores["file-repair"] * 1.1 >= scores["widget-dev"] > scores["file-repair"]
    assert route.disposition is Disposition.HANDOFF and route.target == "widget-dev"


def test_a_score_over_the_floor_on_too_little_evidence_is_explained_so() -> None:
    """One word of a role's prompt body: the score clears the floor, the evidence does
    not, and the reason says that (it said no target reached the covering score, next
    to a closest target scoring over it)."""
    walker = prof("code-review-preshipment", {"walks": 1.5, "review": 3.0}, field="body")
    router = coordinator_over(walker, min_score=0.3)
    route = router.decide("walks through the diff")
    assert route.best is not None and route.best.slug == "code-review-preshipment"
    assert route.best.score >= 0.3 and route.best.evidence < 1.75
    assert route.disposition is Disposition.UNCOVERED
    reason = uncovered_part(route, min_score=0.3, foreign_share=0.5, role="orchestrator").reason
    assert "code-review-preshipment scores" in reason
    assert f"too little evidence ('walks': {route.best.evidence:.2f}, it needs 1.75" in reason
    assert "no target reaches the covering score" not in reason


@pytest.mark.parametrize(
    "goal",
    [
        "Add rate limiting to the REST API. Also buy milk.",
        "Add rate limiting to the REST API and buy milk",
    ],
)
def test_a_chore_in_one_unknown_word_is_not_a_detail_of_its_neighbour(goal: str) -> None:
    """`milk` is the only word the catalog does not know (the API role's prompt says
    `buy`), so the chore is not foreign; it asks for something of its own all the same
    (no article needed), and is reported not done instead of joining the API job."""
    api = prof("api-designer", {"rate": 3.0, "limiting": 3.0, "api": 3.0, "rest": 3.0, "buy": 0.75})
    routes = coordinator_over(api, min_score=0.3).route(goal)
    assert [(r.clause, r.disposition, r.target) for r in routes] == [
        ("Add rate limiting to the REST API", Disposition.HANDOFF, "api-designer"),
        ("buy milk", Disposition.UNCOVERED, None),
    ]

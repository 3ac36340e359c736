"""Honest outcomes: parts no role covers are recorded, and such a run is not `completed`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from modegraph.agents.protocol import (
    AgentReport,
    Candidate,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
    UncoveredPart,
)
from modegraph.coordinator import Runner, RunStatus, build_coordinator
from modegraph.coordinator.records import child_result, new_state, new_subtask
from modegraph.journal import Journal, TaskStatus
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths

DATA = Path(__file__).parents[1] / "data" / "coordination"

SPEECH = UncoveredPart(
    text="compose a wedding speech",
    closest=(Candidate(slug="security-specialist", score=0.21), Candidate(slug="x", score=0.05)),
    reason="no reachable role scores 0.70 or more",
)


def _child_unassigned(turn: RoleTurn) -> AgentReport:
    """The root hands one part on; the child covers none of it."""
    if turn.depth == 0 and not turn.results:
        return AgentReport(
            summary="split",
            handoffs=(
                HandoffRequest(target="database-specialist", goal="compose a wedding speech"),
            ),
        )
    if turn.depth == 1:
        return AgentReport(
            status=ReportStatus.UNASSIGNED, summary="nothing here fits", uncovered=(SPEECH,)
        )
    return AgentReport(summary="integrated", outcome="Success")


def test_an_unassigned_child_makes_the_run_incomplete_and_says_what_and_who_was_closest(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    runner = Runner(
        catalog=seed_catalog, agent=agent_class(_child_unassigned), journal_root=tmp_path
    )
    result = runner.start(
        "Design the schema and compose a wedding speech", entry="fastapi-developer"
    )
    assert result.status is RunStatus.INCOMPLETE
    assert result.status.exit_code == 3
    assert [(s.role, s.status) for s in result.subtasks] == [
        ("fastapi-developer", "incomplete"),
        ("database-specialist", "unassigned"),
    ]
    assert [(u.role, u.text) for u in result.uncovered] == [
        ("database-specialist", "compose a wedding speech")
    ]
    assert [(c.slug, c.score) for c in result.uncovered[0].closest] == [
        ("security-specialist", 0.21),
        ("x", 0.05),
    ]
    data = result.to_json()
    assert data["status"] == "incomplete"
    assert data["uncovered"][0]["closest"][0] == {"slug": "security-specialist", "score": 0.21}
    assert "'compose a wedding speech'" in result.reason
    # the journal names the part and the closest roles with their scores
    journal = Journal(tmp_path)
    child = journal.read(f"{result.task_id}.1")
    assert child.closing is not None and child.closing.status is TaskStatus.UNASSIGNED
    assert any(
        "Not covered" in e.kind.label
        and "closest: security-specialist 0.21, x 0.05" in e.text
        and "no reachable role scores 0.70" in e.text
        for e in child.entries
    )
    root = journal.read(result.task_id)
    assert root.closing is not None and root.closing.status is TaskStatus.INCOMPLETE
    assert root.closing.outcome == "Incomplete"
    text = journal.path(result.task_id).read_text(encoding="utf-8")
    assert "✅ Complete" not in text and "Success" not in text


def test_a_completed_report_with_an_uncovered_part_is_incomplete(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    def answer(turn: RoleTurn) -> AgentReport:
        return AgentReport(summary="did the API", uncovered=(SPEECH,))

    result = Runner(catalog=seed_catalog, agent=agent_class(answer), journal_root=tmp_path).start(
        "Build the API and compose a wedding speech", entry="fastapi-developer"
    )
    assert result.status is RunStatus.INCOMPLETE
    assert result.subtasks[0].status == "incomplete"
    assert result.subtasks[0].summary.startswith(
        "Incomplete (not covered: 'compose a wedding speech'). did the API"
    )


def test_unassigned_without_parts_makes_the_whole_goal_the_part(
    seed_catalog: Catalog, agent_class: Any
) -> None:
    def answer(turn: RoleTurn) -> AgentReport:
        return AgentReport(status=ReportStatus.UNASSIGNED, summary="not my field")

    graph = build_coordinator(
        catalog=seed_catalog, entry="fastapi-developer", agent=agent_class(answer)
    )
    out = graph.invoke(new_state(task_id="T-9", goal="Bake a cake", entry="fastapi-developer"))
    root = out["subtasks"]["T-9"]
    assert root["status"] == "unassigned"
    assert root["uncovered"] == [{"text": "Bake a cake", "closest": [], "reason": "not my field"}]


def test_a_guard_still_wins_over_incomplete(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    from modegraph.coordinator import Policy

    def answer(turn: RoleTurn) -> AgentReport:
        if turn.depth == 0 and not turn.results:
            return AgentReport(
                summary="split",
                uncovered=(SPEECH,),
                handoffs=(
                    HandoffRequest(target="database-specialist", goal="a"),
                    HandoffRequest(target="security-specialist", goal="b"),
                ),
            )
        return AgentReport(summary="done")

    runner = Runner(
        catalog=seed_catalog,
        agent=agent_class(answer),
        journal_root=tmp_path,
        policy=Policy(max_subtasks=1),
    )
    result = runner.start("g", entry="fastapi-developer")
    assert result.status is RunStatus.BLOCKED
    assert [u.text for u in result.uncovered] == ["compose a wedding speech"]


@pytest.mark.parametrize(
    ("status", "reported"),
    [
        ("unassigned", ReportStatus.UNASSIGNED),
        ("incomplete", ReportStatus.COMPLETED),
        ("failed", ReportStatus.FAILED),
    ],
)
def test_child_results_carry_the_status_back(status: str, reported: ReportStatus) -> None:
    rec = new_subtask(id="T.1", parent="T", role="r", goal="g")
    rec["status"] = status  # type: ignore[typeddict-item]
    rec["summary"] = "what happened"
    assert child_result(rec).status is reported


def test_the_built_in_orchestrator_handing_nothing_on_did_nothing(tmp_path: Path) -> None:
    catalog = Catalog(load_paths([DATA / "flat.roomodes"]).modes)
    result = Runner(catalog=catalog, journal_root=tmp_path).start(
        "Compose a wedding speech for my brother"
    )
    assert result.entry == "orchestrator"
    assert result.status is RunStatus.INCOMPLETE
    assert result.subtasks[0].status == "unassigned"
    assert [u.text for u in result.uncovered] == ["Compose a wedding speech for my brother"]
    assert "only coordinates" in result.uncovered[0].reason
    assert result.entry_choice is not None and result.entry_choice["built_in"] is True
    root = Journal(tmp_path).read(result.task_id)
    assert "orchestrator role (built in)" in root.context
    assert root.closing is not None and root.closing.status is TaskStatus.UNASSIGNED


def test_the_built_in_orchestrator_routes_each_part_to_the_role_that_fits(
    tmp_path: Path,
) -> None:
    catalog = Catalog(load_paths([DATA / "flat.roomodes"]).modes)
    result = Runner(catalog=catalog, journal_root=tmp_path).start(
        "Add REST endpoints for orders, write Postgres migrations for the orders table, "
        "and build a Docker image for the service"
    )
    assert result.status is RunStatus.COMPLETED, result.reason
    assert [s.role for s in result.subtasks] == [
        "orchestrator",
        "api-builder",
        "schema-keeper",
        "shipper",
    ]
    # the finished run resumes to the same result (the catalog is rebuilt the same way)
    assert Runner(catalog=catalog, journal_root=tmp_path).resume(result.task_id) == result

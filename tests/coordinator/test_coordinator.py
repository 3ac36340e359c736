"""The coordinator graph: its shape, handoffs, parallelism, the boomerang, refusals."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from modegraph.agents import AgentReport, HandoffRequest, ReportStatus, RoleTurn, RuleAgent
from modegraph.coordinator import Policy, Runner, RunStatus, build_coordinator, default_entry
from modegraph.coordinator.nodes import JOURNAL_NODE
from modegraph.coordinator.records import new_state
from modegraph.errors import CatalogError
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import EscalationGraph

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)
_ARROW = re.compile(r"^\s*([\w-]+)\s+(?:-\.->|-->)\s+([\w-]+);$")


def drawn_edges(graph: Any) -> set[tuple[str, str]]:
    edges = set()
    for line in graph.get_graph().draw_mermaid().splitlines():
        found = _ARROW.match(line)
        if found:
            edges.add((found.group(1), found.group(2)))
    return edges


@pytest.mark.parametrize("entry", ["fastapi-developer", "roo-commander", "database-specialist"])
def test_drawn_graph_is_the_escalation_graph_plus_the_journal(
    seed_catalog: Catalog, entry: str
) -> None:
    graph = build_coordinator(catalog=seed_catalog, entry=entry)
    escalation = EscalationGraph.from_catalog(seed_catalog)
    reachable = [s for s in escalation.reachable(entry) if s in seed_catalog]
    expected = {
        (e.source, e.target)
        for slug in reachable
        for e in escalation.targets(slug, (EdgeKind.DELEGATE, EdgeKind.ESCALATE))
        if not e.missing
    }
    drawn = drawn_edges(graph)
    specials = {"__start__", "__end__", JOURNAL_NODE}
    roles_only = {(a, b) for a, b in drawn if a not in specials and b not in specials}
    assert roles_only == expected
    nodes = set(graph.get_graph().nodes) - {"__start__", "__end__"}
    assert nodes == {*reachable, JOURNAL_NODE}
    assert "ghost-specialist" not in nodes  # dangling: no node
    assert {(s, JOURNAL_NODE) for s in reachable} <= drawn
    assert {(JOURNAL_NODE, s) for s in reachable} <= drawn
    assert ("__start__", JOURNAL_NODE) in drawn


def test_unknown_entry_and_empty_catalog_are_refused_with_a_suggestion(
    seed_catalog: Catalog,
) -> None:
    with pytest.raises(CatalogError, match=r"'fastapi-dev'.*did you mean fastapi-developer"):
        build_coordinator(catalog=seed_catalog, entry="fastapi-dev")
    with pytest.raises(CatalogError, match="the catalog has no modes; add mode files"):
        build_coordinator(catalog=Catalog([]), entry="x")


def test_default_entry_is_the_top_tier_mode_with_most_delegations(seed_catalog: Catalog) -> None:
    assert default_entry(seed_catalog) == "roo-commander"


def test_rule_agent_run_hands_off_in_parallel_and_integrates(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    inner = RuleAgent(catalog=seed_catalog)
    agent = agent_class(inner.run)
    result = Runner(catalog=seed_catalog, agent=agent, journal_root=tmp_path).start(
        GOAL, entry="fastapi-developer"
    )
    assert result.status is RunStatus.COMPLETED
    roles = [(s.role, s.parent is None) for s in result.subtasks]
    assert roles == [
        ("fastapi-developer", True),
        ("database-specialist", False),
        ("infrastructure-specialist", False),
    ]
    # the boomerang: the requesting role gets a second turn with both results
    root_turns = [t for t in agent.turns if t.mode.slug == "fastapi-developer"]
    assert len(root_turns) == 2
    assert root_turns[0].results == ()
    assert {r.role for r in root_turns[1].results} == {
        "database-specialist",
        "infrastructure-specialist",
    }
    assert "Integrated 2 result(s), 2 completed" in result.summary
    assert result.llm_calls == 0
    assert result.journal == str(tmp_path / "tasks" / f"{result.task_id}.md")
    record = Journal(tmp_path).read(result.task_id)
    assert {r.role for r in record.results} == {"database-specialist", "infrastructure-specialist"}
    assert [(s.source, s.target) for s in record.route] == [
        ("fastapi-developer", "database-specialist"),
        ("fastapi-developer", "infrastructure-specialist"),
    ]


def test_parallel_handoffs_run_at_the_same_time(seed_catalog: Catalog, agent_class: Any) -> None:
    barrier = threading.Barrier(2, timeout=60)  # only a broken run waits this long

    def answer(turn: RoleTurn) -> AgentReport:
        if turn.mode.slug == "fastapi-developer" and not turn.results:
            return AgentReport(
                summary="split",
                handoffs=(
                    HandoffRequest(target="database-specialist", goal="schema"),
                    HandoffRequest(target="security-specialist", goal="auth"),
                ),
            )
        if turn.depth == 1:
            barrier.wait()  # both children must be inside their turn at once
        return AgentReport(summary=f"{turn.mode.slug} done")

    agent = agent_class(answer)
    graph = build_coordinator(catalog=seed_catalog, entry="fastapi-developer", agent=agent)
    out = graph.invoke(new_state(task_id="T-1", goal="g", entry="fastapi-developer"))
    assert out["subtasks"]["T-1"]["status"] == "completed"
    assert not barrier.broken


def test_parallel_handoffs_run_at_the_same_time_async(
    seed_catalog: Catalog, agent_class: Any
) -> None:
    started: list[str] = []
    both_started = asyncio.Event()

    class AsyncAgent:
        def run(self, turn: RoleTurn) -> AgentReport:  # pragma: no cover - async only
            raise AssertionError("the async graph must call arun")

        async def arun(self, turn: RoleTurn) -> AgentReport:
            if turn.depth == 0 and not turn.results:
                return AgentReport(
                    summary="split",
                    handoffs=(
                        HandoffRequest(target="database-specialist", goal="schema"),
                        HandoffRequest(target="infrastructure-specialist", goal="deploy"),
                    ),
                )
            if turn.depth == 1:
                started.append(turn.mode.slug)
                if len(started) == 2:
                    both_started.set()
                try:  # generous: only a run that never overlaps the children waits this out
                    await asyncio.wait_for(both_started.wait(), timeout=60)
                except TimeoutError:
                    raise AssertionError("the children did not run concurrently") from None
            return AgentReport(summary="done")

    graph = build_coordinator(catalog=seed_catalog, entry="fastapi-developer", agent=AsyncAgent())
    out = asyncio.run(graph.ainvoke(new_state(task_id="T-2", goal="g", entry="fastapi-developer")))
    assert out["subtasks"]["T-2"]["status"] == "completed"
    assert sorted(started) == ["database-specialist", "infrastructure-specialist"]


def test_refused_handoffs_are_recorded_and_told_to_the_role(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any, hand_to: Any
) -> None:
    agent = agent_class(hand_to("ghost-specialist", "nobody", "roo-commander", "fastapi-developer"))
    result = Runner(catalog=seed_catalog, agent=agent, journal_root=tmp_path).start(
        "anything", entry="fastapi-developer"
    )
    reasons = {r.target: r.reason for r in result.refused}
    assert set(reasons) == {"ghost-specialist", "nobody", "roo-commander", "fastapi-developer"}
    assert "dangling reference" in reasons["ghost-specialist"]
    assert "not a role of the catalog" in reasons["nobody"]
    assert "no delegate or escalate edge" in reasons["roo-commander"]
    assert "database-specialist" in reasons["roo-commander"]  # says what is allowed
    assert "no delegate or escalate edge to fastapi-developer" in reasons["fastapi-developer"]
    # the requesting role's next turn hears why; refusals alone do not block the run
    second = agent.turns[1]
    assert second.mode.slug == "fastapi-developer"
    assert len(second.refusals) == 4
    # refusals do not block the run, but every handoff was refused and nothing else went
    # ahead: the parts were not done, and the run does not read as a success
    assert result.status is RunStatus.INCOMPLETE
    assert result.status.exit_code == 3
    assert [u.text for u in result.uncovered] == [f"part for {t}" for t in reasons]
    assert result.subtasks[0].status == "incomplete"
    assert result.to_json()["refused"][0].keys() == {"from", "to", "reason"}
    text = Journal(tmp_path).path(result.task_id).read_text(encoding="utf-8")
    assert text.count("Handoff refused") == 4


def test_edge_refusals_alone_do_not_block_the_run(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any, hand_to: Any
) -> None:
    agent = agent_class(hand_to("nobody", "database-specialist"))
    result = Runner(catalog=seed_catalog, agent=agent, journal_root=tmp_path).start(
        "anything", entry="fastapi-developer"
    )
    assert result.status is RunStatus.COMPLETED
    assert [r.target for r in result.refused] == ["nobody"]
    # the integration turn carries both the result and the refusal
    last = agent.turns[-1]
    assert last.mode.slug == "fastapi-developer"
    assert len(last.results) == 1
    assert len(last.refusals) == 1


def test_a_failed_child_goes_back_to_its_parent(seed_catalog: Catalog, agent_class: Any) -> None:
    def answer(turn: RoleTurn) -> AgentReport:
        if turn.depth == 0 and not turn.results:
            return AgentReport(
                summary="split", handoffs=(HandoffRequest(target="database-specialist", goal="x"),)
            )
        if turn.depth == 1:
            return AgentReport(status=ReportStatus.FAILED, summary="the database is on fire")
        return AgentReport(summary=f"integrated: {turn.results[0].status.value}")

    graph = build_coordinator(
        catalog=seed_catalog, entry="fastapi-developer", agent=agent_class(answer)
    )
    out = graph.invoke(new_state(task_id="T-3", goal="g", entry="fastapi-developer"))
    assert out["subtasks"]["T-3.1"]["status"] == "failed"
    # the parent integrated, but its child's part failed: incomplete, and it says why
    assert out["subtasks"]["T-3"]["status"] == "incomplete"
    assert out["subtasks"]["T-3"]["summary"] == (
        "Incomplete (database-specialist (T-3.1) ended failed). integrated: failed"
    )


def test_handoffs_after_integration_are_followed(seed_catalog: Catalog, agent_class: Any) -> None:
    def answer(turn: RoleTurn) -> AgentReport:
        if turn.depth == 0 and len(turn.results) == 0:
            return AgentReport(
                summary="1", handoffs=(HandoffRequest(target="database-specialist", goal="a"),)
            )
        if turn.depth == 0 and len(turn.results) == 1:
            return AgentReport(
                summary="2", handoffs=(HandoffRequest(target="security-specialist", goal="b"),)
            )
        return AgentReport(summary=f"{turn.mode.slug} with {len(turn.results)}")

    agent = agent_class(answer)
    graph = build_coordinator(catalog=seed_catalog, entry="fastapi-developer", agent=agent)
    out = graph.invoke(new_state(task_id="T-4", goal="g", entry="fastapi-developer"))
    assert out["subtasks"]["T-4"]["summary"] == "fastapi-developer with 2"
    assert out["subtasks"]["T-4"]["children"] == ["T-4.1", "T-4.2"]
    assert agent.roles() == [
        "fastapi-developer",
        "database-specialist",
        "fastapi-developer",
        "security-specialist",
        "fastapi-developer",
    ]


def test_policy_recursion_limit_is_derived_from_the_guards() -> None:
    assert Policy().recursion_limit == 2 * 33 * 6 + 4
    assert Policy(max_subtasks=2, max_turns=2).recursion_limit == 16
    assert Policy().recursion_limit != 25  # never LangGraph's default

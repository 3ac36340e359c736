"""Every guard ends a run `blocked` with its reason; none lets a run hang."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from modegraph.agents import AgentReport, HandoffRequest, RoleTurn
from modegraph.agents.chat.agent import ChatAgent
from modegraph.coordinator import Policy, Runner, RunStatus
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.testing import ScriptedChatModel

S = ScriptedChatModel


def always_next(turn: RoleTurn) -> AgentReport:
    """Hand off to every allowed target on every first turn (an eager agent)."""
    if turn.results or turn.refusals:
        return AgentReport(summary=f"{turn.mode.slug} done")
    return AgentReport(
        summary="more",
        handoffs=tuple(HandoffRequest(target=t.mode.slug, goal="go on") for t in turn.allowed),
    )


def run(catalog: Catalog, agent: Any, tmp_path: Path, entry: str, **policy: Any) -> Any:
    runner = Runner(catalog=catalog, agent=agent, policy=Policy(**policy), journal_root=tmp_path)
    return runner.start("do the thing", entry=entry)


def test_max_depth(chain_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    result = run(chain_catalog, agent_class(always_next), tmp_path, "r0", max_depth=2)
    assert result.status is RunStatus.BLOCKED
    assert [s.role for s in result.subtasks] == ["r0", "r1", "r2"]
    assert "deeper than --max-depth 2" in result.reason
    assert result.refused[0].source == "r2"
    assert result.refused[0].target == "r3"
    assert result.subtasks[0].status == "blocked"
    record = Journal(tmp_path).read(result.task_id)
    assert record.status.value == "blocked"
    assert record.closing is not None
    assert record.closing.status.value == "blocked"


def test_max_subtasks(seed_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    result = run(seed_catalog, agent_class(always_next), tmp_path, "roo-commander", max_subtasks=2)
    assert result.status is RunStatus.BLOCKED
    assert len(result.subtasks) == 3  # the root and two subtasks
    assert "the most --max-subtasks 2 allows" in result.reason
    assert len(result.refused) >= 2


def test_no_role_twice_in_one_chain(
    loop_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    result = run(loop_catalog, agent_class(always_next), tmp_path, "alpha")
    assert result.status is RunStatus.BLOCKED
    refused = {(r.source, r.target) for r in result.refused}
    assert ("beta", "alpha") in refused
    assert ("gamma", "alpha") in refused
    assert ("gamma", "beta") in refused
    assert "alpha -> beta -> alpha" in next(
        r.reason for r in result.refused if (r.source, r.target) == ("beta", "alpha")
    )
    # the work itself still finished: every role below the root completed its part
    assert {s.status for s in result.subtasks[1:]} == {"completed"}


def test_max_turns_stops_a_role_that_keeps_asking(
    loop_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    def stubborn(turn: RoleTurn) -> AgentReport:
        # a new unknown target every turn: refused each time, but never a repeat
        target = f"nobody-{len(turn.refusals) + len(agent.turns)}"
        return AgentReport(summary="again", handoffs=(HandoffRequest(target=target, goal="x"),))

    agent = agent_class(stubborn)
    result = run(loop_catalog, agent, tmp_path, "alpha", max_turns=3)
    assert result.status is RunStatus.BLOCKED
    assert "had 3 turns" in result.reason
    assert len(agent.turns) == 3


def test_a_role_that_asks_again_for_a_refused_handoff_is_stopped_at_once(
    loop_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    def stubborn(turn: RoleTurn) -> AgentReport:
        return AgentReport(summary="again", handoffs=(HandoffRequest(target="nobody", goal="x"),))

    agent = agent_class(stubborn)
    result = run(loop_catalog, agent, tmp_path, "alpha")
    assert result.status is RunStatus.BLOCKED
    assert len(agent.turns) == 2  # asked, was told why, asked again: no third turn
    assert result.reason.startswith(
        "guard: alpha asked again for the handoff to nobody that was refused on "
    )
    assert result.reason.endswith("the model repeats itself, so the subtask stops")
    assert result.subtasks[0].status == "blocked"


def test_a_role_that_hands_the_same_goal_again_is_stopped(
    loop_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    def again(turn: RoleTurn) -> AgentReport:
        if turn.mode.slug == "alpha":  # hands beta the same goal on every turn
            return AgentReport(summary="a", handoffs=(HandoffRequest(target="beta", goal="x"),))
        return AgentReport(summary=f"{turn.mode.slug} did it")

    agent = agent_class(again)
    result = run(loop_catalog, agent, tmp_path, "alpha")
    assert result.status is RunStatus.BLOCKED
    assert agent.roles() == ["alpha", "beta", "alpha"]
    assert "guard: alpha handed beta the same goal again ('x')" in result.reason
    assert [s.status for s in result.subtasks] == ["blocked", "completed"]


def test_adversarial_ping_pong_with_a_scripted_model(loop_catalog: Catalog, tmp_path: Path) -> None:
    model = S.by_role(
        {
            "alpha": [S.handoff("beta", "do it"), S.complete("alpha gives up on beta")],
            "beta": [S.handoff("alpha", "no, you do it")] * 2,
        }
    )
    with model:
        result = run(loop_catalog, ChatAgent(model=model), tmp_path, "alpha", max_turns=3)
    assert result.status is RunStatus.BLOCKED
    assert [r.target for r in result.refused] == ["alpha"] * 2
    assert "alpha -> beta -> alpha" in result.refused[0].reason
    assert "asked again for the handoff to alpha" in result.refused[1].reason
    assert "guard" in result.reason
    # beta is stopped on its second try, not after max_turns
    assert result.llm_calls == len(model.calls) == 4
    beta = next(s for s in result.subtasks if s.role == "beta")
    assert beta.status == "blocked"
    # beta heard about the refusal on each later turn
    later = [c for c in model.calls if c.role == "beta"][1:]
    assert all("already in this escalation chain" in str(c.messages) for c in later)


def test_llm_call_budget(loop_catalog: Catalog, tmp_path: Path) -> None:
    model = S.by_role({"alpha": [S.handoff("beta", "b")], "beta": [S.handoff("gamma", "c")]})
    with model:
        result = run(loop_catalog, ChatAgent(model=model), tmp_path, "alpha", max_llm_calls=2)
    assert result.status is RunStatus.BLOCKED
    assert "LLM call budget is spent (2 of 2 calls)" in result.reason
    assert result.llm_calls == 2
    assert {s.role: s.status for s in result.subtasks} == {
        "alpha": "blocked",
        "beta": "blocked",
        "gamma": "blocked",
    }


def test_token_budget(loop_catalog: Catalog, tmp_path: Path) -> None:
    model = S.by_role(
        {"alpha": [S.handoff("beta", "b", input_tokens=90, output_tokens=20)], "beta": []}
    )
    with model:
        result = run(loop_catalog, ChatAgent(model=model), tmp_path, "alpha", max_tokens=100)
    assert result.status is RunStatus.BLOCKED
    assert "token budget is spent (110 of 100 tokens)" in result.reason
    assert result.tokens == 110


def test_recursion_limit_is_passed_and_reported(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Policy, "recursion_limit", property(lambda self: 3))
    result = run(seed_catalog, agent_class(always_next), tmp_path, "roo-commander")
    assert result.status is RunStatus.BLOCKED
    assert result.reason == "guard: the recursion limit 3 was reached"


def test_three_hop_escalation_costs_one_llm_call_per_role_turn(
    seed_catalog: Catalog, tmp_path: Path
) -> None:
    model = S.by_role(
        {
            "roo-commander": [S.handoff("fastapi-developer", "users API"), S.complete("shipped")],
            "fastapi-developer": [
                S.handoff("database-specialist", "schema"),
                S.complete("API done"),
            ],
            "database-specialist": [
                S.handoff("infrastructure-specialist", "host the database"),
                S.complete("schema done"),
            ],
            "infrastructure-specialist": [S.complete("database hosted")],
        }
    )
    turns: list[str] = []
    agent = ChatAgent(model=model)

    class Counting:
        def run(self, turn: RoleTurn) -> AgentReport:
            turns.append(turn.mode.slug)
            return agent.run(turn)

        async def arun(self, turn: RoleTurn) -> AgentReport:  # pragma: no cover - sync run
            return await agent.arun(turn)

    with model:
        result = run(seed_catalog, Counting(), tmp_path, "roo-commander")
    assert result.status is RunStatus.COMPLETED
    assert [s.role for s in result.subtasks] == [
        "roo-commander",
        "fastapi-developer",
        "database-specialist",
        "infrastructure-specialist",
    ]
    assert len(turns) == 7  # four first turns and three integrations
    assert len(model.calls) == len(turns) == result.llm_calls
    assert result.tokens == 7 * (model.input_tokens + model.output_tokens)
    assert result.summary == "shipped"


def test_async_chat_agent_parallel_handoffs_one_call_per_turn(
    seed_catalog: Catalog, tmp_path: Path
) -> None:
    import asyncio

    model = S.by_role(
        {
            "fastapi-developer": [
                S.tool_calls(
                    [
                        ("handoff_to_database_specialist", {"goal": "schema", "reason": "db"}),
                        ("handoff_to_infrastructure_specialist", {"goal": "ship", "reason": "ops"}),
                    ]
                ),
                S.complete("API, schema and deployment done"),
            ],
            "database-specialist": [S.complete("schema done")],
            "infrastructure-specialist": [S.complete("shipped")],
        }
    )
    runner = Runner(catalog=seed_catalog, agent=ChatAgent(model=model), journal_root=tmp_path)
    with model:
        result = asyncio.run(runner.astart("build it", entry="fastapi-developer"))
    assert result.status is RunStatus.COMPLETED
    assert result.llm_calls == len(model.calls) == 4
    assert [s.summary for s in result.subtasks] == [
        "API, schema and deployment done",
        "schema done",
        "shipped",
    ]


def test_recursion_limit_closes_the_journal_and_the_checkpoint(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two steps: the entry role's turn (it hands off), then its four subtasks' turns
    # in parallel; the limit stops the run before any of them is routed
    monkeypatch.setattr(Policy, "recursion_limit", property(lambda self: 2))
    runner = Runner(catalog=seed_catalog, agent=agent_class(always_next), journal_root=tmp_path)
    result = runner.start("do the thing", entry="roo-commander")
    assert result.status is RunStatus.BLOCKED
    journal = Journal(tmp_path)
    records = [journal.read(t.id) for t in journal.list()]
    assert len(records) > 1
    assert {r.status.value for r in records} == {"blocked"}
    assert all(r.closing is not None for r in records)
    again = runner.resume(result.task_id)
    assert again.status is RunStatus.BLOCKED
    assert again.reason == "guard: the recursion limit 2 was reached"
    assert {s.status for s in again.subtasks} == {"blocked"}


def test_recursion_limit_closes_the_run_async(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Policy, "recursion_limit", property(lambda self: 3))
    runner = Runner(catalog=seed_catalog, agent=agent_class(always_next), journal_root=tmp_path)
    result = asyncio.run(runner.astart("do the thing", entry="roo-commander"))
    again = asyncio.run(runner.aresume(result.task_id))
    assert again.status is RunStatus.BLOCKED
    assert Journal(tmp_path).read(result.task_id).status.value == "blocked"


def test_a_blocked_root_says_so_in_outcome_and_summary(
    chain_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    result = run(chain_catalog, agent_class(always_next), tmp_path, "r0", max_depth=1)
    assert result.status is RunStatus.BLOCKED
    record = Journal(tmp_path).read(result.task_id)
    assert record.closing is not None
    assert record.closing.outcome == "Blocked"
    assert "--max-depth 1" in record.closing.summary
    assert "--max-depth 1" in result.summary

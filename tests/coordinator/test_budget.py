"""The LLM budget limits a run: turns reserve calls, share what is left, and stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.agents import RoleTurn
from modegraph.agents.chat.agent import ChatAgent
from modegraph.coordinator import Guard, Policy, Runner, RunStatus
from modegraph.errors import BudgetExceeded
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference
from modegraph.testing import ScriptedChatModel

S = ScriptedChatModel


def _fan_catalog() -> Catalog:
    """hub delegates to a, b and c."""
    return Catalog(
        [
            Mode(
                slug="hub",
                name="Hub",
                delegates_to=tuple(Reference(slug=s) for s in ("a", "b", "c")),
            ),
            *(Mode(slug=s, name=s.upper(), description=f"The {s} role.") for s in "abc"),
        ]
    )


def test_parallel_handoffs_stay_within_the_call_budget(tmp_path: Path) -> None:
    model = S.by_role(
        {
            "hub": [S.handoffs({"a": "part a", "b": "part b", "c": "part c"})],
            "a": [S.complete("a done")],
        }
    )
    runner = Runner(
        catalog=_fan_catalog(),
        agent=ChatAgent(model=model),
        policy=Policy(max_llm_calls=2),
        journal_root=tmp_path,
    )
    with model:
        result = runner.start("split the work", entry="hub")
    assert result.status is RunStatus.BLOCKED
    assert result.llm_calls == 2
    assert len(model.calls) == 2
    assert "LLM call budget is spent" in result.reason
    statuses = {s.role: s.status for s in result.subtasks}
    assert statuses == {"hub": "blocked", "a": "completed", "b": "blocked", "c": "blocked"}


def test_turns_sent_together_share_what_is_left(tmp_path: Path) -> None:
    seen: dict[str, int | None] = {}

    class Recording(ChatAgent):
        def run(self, turn: RoleTurn) -> object:  # type: ignore[override]
            seen[turn.mode.slug] = turn.llm_calls_left
            return super().run(turn)

    model = S.by_role(
        {
            "hub": [S.handoffs({"a": "x", "b": "y", "c": "z"}), S.complete("hub done")],
            "a": [S.complete("a")],
            "b": [S.complete("b")],
            "c": [S.complete("c")],
        }
    )
    runner = Runner(
        catalog=_fan_catalog(),
        agent=Recording(model=model),
        policy=Policy(max_llm_calls=8),
        journal_root=tmp_path,
    )
    with model:
        result = runner.start("split the work", entry="hub")
    assert result.status is RunStatus.COMPLETED
    # 7 calls left after the hub's first: 3, 2, 2; then 4 left for the hub's integration
    assert seen == {"hub": 4, "a": 3, "b": 2, "c": 2}
    assert result.llm_calls == 5


def test_chat_agent_stops_its_tool_loop_at_the_turns_share() -> None:
    model = S(steps=[S.tool_calls([("no_such_tool", {})])], check_tools=False)
    turn = RoleTurn(
        task_id="TASK-1",
        subtask_id="TASK-1",
        mode=Mode(slug="solo", name="Solo"),
        goal="g",
        llm_calls_left=1,
    )
    with pytest.raises(BudgetExceeded, match="may make 1 LLM call") as caught:
        ChatAgent(model=model).run(turn)
    assert caught.value.llm_calls == 1


def test_chat_agent_stops_when_the_token_share_is_used() -> None:
    model = S(
        steps=[S.tool_calls([("no_such_tool", {})], input_tokens=40, output_tokens=20)],
        check_tools=False,
    )
    turn = RoleTurn(
        task_id="TASK-1",
        subtask_id="TASK-1",
        mode=Mode(slug="solo", name="Solo"),
        goal="g",
        tokens_left=50,
    )
    with pytest.raises(BudgetExceeded, match="used 60") as caught:
        ChatAgent(model=model).run(turn)
    assert caught.value.tokens == 60


def test_the_default_budget_is_scaled_to_the_task_and_says_so() -> None:
    from modegraph.coordinator.policy import default_max_llm_calls

    assert [default_max_llm_calls(n) for n in (0, 1, 4)] == [8, 16, 40]
    policy = Policy(max_llm_calls=40, default_llm_calls=True)
    assert policy.budget_left(llm_calls=39, tokens=0) is None
    assert policy.budget_left(llm_calls=40, tokens=0) == (
        Guard.MAX_LLM_CALLS,
        "the LLM call budget is spent (40 of 40 calls; that is the default for this task, "
        "raise it with --max-llm-calls N)",
    )
    assert Policy(max_cost=0.5).budget_left(llm_calls=3, tokens=9, cost=0.5) == (
        Guard.MAX_COST,
        "the cost budget is spent ($0.5000 of --max-cost $0.5000)",
    )

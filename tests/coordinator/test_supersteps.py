"""How many LangGraph supersteps a task takes: routing runs in the role nodes (issue 15).

A role hands work to three specialists, they run in parallel, their results come
back to it: the input, the role's turn, the three turns, the role's integration.
A hand-written `StateGraph` takes the same steps; the coordinator used to take a
router step after every role step as well (9 checkpoints for this task).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.nodes import new_state
from modegraph.modes.catalog import Catalog

SPECIALISTS = ("database-specialist", "security-specialist", "infrastructure-specialist")


def test_three_parallel_handoffs_and_their_integration_take_five_checkpointed_steps(
    seed_catalog: Catalog, agent_class: Any, hand_to: Callable[..., Any]
) -> None:
    saver = InMemorySaver()
    agent = agent_class(hand_to(*SPECIALISTS))
    graph = build_coordinator(
        catalog=seed_catalog, entry="fastapi-developer", agent=agent, checkpointer=saver
    )
    config = {"configurable": {"thread_id": "TASK-STEPS"}}
    state = new_state(task_id="TASK-STEPS", goal="users API", entry="fastapi-developer")
    final = graph.invoke(state, config, durability="sync")
    assert final["finished"] and not final.get("blocked")
    assert agent.roles() == ["fastapi-developer", *SPECIALISTS, "fastapi-developer"]
    history = list(graph.get_state_history(config))
    # the input's checkpoint, then one per superstep
    assert [h.metadata["step"] for h in reversed(history)] == [-1, 0, 1, 2, 3]
    ran = [sorted(t.name for t in h.tasks) for h in reversed(history)][:-1]
    assert ran == [
        ["__start__"],
        ["fastapi-developer"],
        sorted(SPECIALISTS),
        ["fastapi-developer"],
    ]

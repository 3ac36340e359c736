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


def test_a_run_started_again_from_the_state_before_a_step_goes_on_where_it_stood(
    seed_catalog: Catalog, agent_class: Any, hand_to: Callable[..., Any]
) -> None:
    # what an engine does to keep its history short: stop before a step where one
    # node runs alone, then start a new run (a new thread) from that state
    def compiled(saver: InMemorySaver) -> Any:
        return build_coordinator(
            catalog=seed_catalog,
            entry="fastapi-developer",
            agent=agent_class(hand_to(*SPECIALISTS)),
            checkpointer=saver,
        )

    state = new_state(task_id="TASK-AGAIN", goal="users API", entry="fastapi-developer")
    whole = compiled(InMemorySaver())
    want = whole.invoke(state, {"configurable": {"thread_id": "a"}}, durability="sync")

    first = compiled(InMemorySaver())
    config: Any = {"configurable": {"thread_id": "b"}}
    nodes = [n for n in first.nodes if n != "__start__"]
    first.invoke(state, config, interrupt_before=nodes)  # before the developer's turn
    first.invoke(None, config, interrupt_before=nodes)  # before the three specialists
    first.invoke(None, config, interrupt_before=nodes)  # before the developer again
    paused = first.get_state(config)
    assert paused.next == ("fastapi-developer",)
    assert paused.values["next_solo"] == "fastapi-developer"

    again = compiled(InMemorySaver())
    later: Any = {"configurable": {"thread_id": "c"}}
    got = again.invoke(paused.values, later, durability="sync")
    ran = [sorted(t.name for t in h.tasks) for h in reversed(list(again.get_state_history(later)))]
    assert ran[:2] == [["__start__"], ["fastapi-developer"]]  # no journal pass in between
    assert got["finished"] and got["subtasks"] == want["subtasks"]
    assert got["events"] == want["events"]

"""A new task's input writes only the keys it sets; the run's state holds every key.

The channels of the keys that add up or append start empty, so `new_state` leaves
them out (one channel write less each, at every task's input); what a run, its
checkpoints and `get_state` show must not change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.nodes import new_state
from modegraph.modes.catalog import Catalog

EMPTY = {
    "refused": [],
    "events": [],
    "llm_calls": 0,
    "tokens": 0,
    "cost": 0.0,
    "blocked": "",
    "guard": "",
}


def test_the_input_writes_no_empty_key_and_every_state_has_them(
    seed_catalog: Catalog, agent_class: Any, hand_to: Callable[..., Any]
) -> None:
    state = new_state(task_id="TASK-IN", goal="users API", entry="fastapi-developer")
    assert not set(EMPTY) & set(state)
    saver = InMemorySaver()
    graph = build_coordinator(
        catalog=seed_catalog,
        entry="fastapi-developer",
        agent=agent_class(hand_to("database-specialist")),
        checkpointer=saver,
    )
    config = {"configurable": {"thread_id": "TASK-IN"}}
    final = graph.invoke(state, config, durability="sync")
    assert final["finished"] and final["refused"] == [] and final["blocked"] == ""
    assert final["events"] and final["llm_calls"] == 0
    for snapshot in graph.get_state_history(config):
        assert set(EMPTY) <= set(snapshot.values), snapshot.metadata["step"]
    first = list(graph.get_state_history(config))[-1]
    assert first.metadata["step"] == -1
    assert {k: first.values[k] for k in EMPTY} == EMPTY
    by_task: dict[str, list[str]] = {}
    for writes in saver.writes.values():
        for task, channel, _value, _path in writes.values():
            by_task.setdefault(task, []).append(channel)
    (start,) = [channels for channels in by_task.values() if "task_id" in channels]
    assert [c for c in start if not c.startswith("branch:")] == list(state)

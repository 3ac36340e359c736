"""A node whose run nothing could hear does not open it, and nobody can tell.

`configure_finds_nobody` must say True only where `CallbackManager.configure` finds
no handler; a node that skips its run must hand the runs under it the same tags and
metadata (a handler on the model itself sees them).
"""

from __future__ import annotations

from typing import Any

import pytest
from hub_task import ModelRuns, hub_graph, run_two_handoffs
from langchain_core.callbacks import BaseCallbackHandler, CallbackManager
from langchain_core.globals import get_debug, set_debug
from langchain_core.tracers.context import collect_runs, tracing_v2_callback_var

from modegraph.agents.listeners import configure_finds_nobody, unheard
from modegraph.coordinator import node_runnable
from modegraph.coordinator.nodes import new_state
from modegraph.testing import ScriptedChatModel as S


def _configured_unheard(callbacks: Any) -> bool:
    return unheard(CallbackManager.configure(inheritable_callbacks=callbacks))


def _empty() -> CallbackManager:
    return CallbackManager(handlers=[], parent_run_id=None, tags=["a"], metadata={"k": 1})


def test_nobody_only_where_configure_finds_nobody() -> None:
    handler = BaseCallbackHandler()
    local = CallbackManager(handlers=[handler], inheritable_handlers=[])
    inherited = CallbackManager(handlers=[], inheritable_handlers=[handler])
    cases: list[Any] = [_empty(), local, inherited, None, [], [handler]]
    for callbacks in cases:
        nobody = configure_finds_nobody(callbacks)
        assert not nobody or _configured_unheard(callbacks), callbacks
    assert configure_finds_nobody(_empty())
    assert not configure_finds_nobody(None)  # not a node's callbacks: configure


def test_collect_runs_debug_and_a_tracer_are_heard() -> None:
    with collect_runs():
        assert not configure_finds_nobody(_empty())
        assert not _configured_unheard(_empty())
    was = get_debug()
    set_debug(True)
    try:
        assert not configure_finds_nobody(_empty())
        assert not _configured_unheard(_empty())
    finally:
        set_debug(was)
    token = tracing_v2_callback_var.set(BaseCallbackHandler())  # type: ignore[arg-type]
    try:
        assert not configure_finds_nobody(_empty())
        assert not _configured_unheard(_empty())
    finally:
        tracing_v2_callback_var.reset(token)
    assert configure_finds_nobody(_empty())


def _model_runs(*, quiet: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    skipped: list[bool] = []
    finds = node_runnable.configure_finds_nobody

    def spy(callbacks: object) -> bool:
        nobody = quiet and finds(callbacks)
        skipped.append(nobody)
        return nobody

    monkeypatch.setattr(node_runnable, "configure_finds_nobody", spy)
    runs = ModelRuns()
    run_two_handoffs(
        "TASK-QUIET-NODE", runs, {"tags": ["mine", "also"], "metadata": {"who": "test"}}
    )
    monkeypatch.undo()
    # the start branch and four role nodes (hub, db and ops in parallel, hub again)
    assert skipped == [quiet] * 5
    return sorted(runs.seen, key=repr)


def test_a_model_handler_sees_the_same_runs_with_or_without_the_node_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet = _model_runs(quiet=True, monkeypatch=monkeypatch)
    opened = _model_runs(quiet=False, monkeypatch=monkeypatch)
    assert len(quiet) == 4
    assert quiet == opened
    tags = quiet[0][3]
    assert "mine" in tags and "also" in tags and "role:db" in tags
    assert quiet[0][4]["who"] == "test" and quiet[0][4]["langgraph_node"] in {"db", "hub", "ops"}


def _turn_runs_opened(monkeypatch: pytest.MonkeyPatch, *, collect: bool) -> tuple[int, list[str]]:
    from modegraph.agents.chat import agent as chat_agent

    opened: list[str] = []
    start = chat_agent.start_turn_run

    def spy(turn: Any, **kwargs: Any) -> Any:
        opened.append(turn.subtask_id)
        return start(turn, **kwargs)

    monkeypatch.setattr(chat_agent, "start_turn_run", spy)
    model = S.by_role({"hub": [S.complete("Done alone")]})
    graph = hub_graph(model)
    state = new_state(task_id="TASK-ONE", goal="Say hello", entry="hub")
    names: list[str] = []
    with model:
        if collect:
            with collect_runs() as recorder:
                graph.invoke(state)
            names = [run.name for run in recorder.traced_runs]
        else:
            graph.invoke(state)
    monkeypatch.undo()
    return len(opened), names


def test_a_turn_nothing_can_hear_opens_no_run_and_one_heard_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _turn_runs_opened(monkeypatch, collect=False) == (0, [])
    count, names = _turn_runs_opened(monkeypatch, collect=True)
    assert count == 1
    assert "hub" in names  # the node's own run, configured: collect_runs sees it

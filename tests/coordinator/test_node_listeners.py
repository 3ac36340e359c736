"""A coordinator node tells the code under it whether anything listens to its run."""

from __future__ import annotations

from typing import Any, TypedDict

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.tracers.context import collect_runs
from langgraph.graph import END, START, StateGraph

from modegraph.agents.listeners import nobody_listens
from modegraph.coordinator.node_runnable import NodeRunnable


class _State(TypedDict, total=False):
    n: int


def _graph(seen: list[bool]) -> Any:
    def step(state: _State) -> _State:
        seen.append(nobody_listens())
        return {"n": state.get("n", 0) + 1}

    async def astep(state: _State) -> _State:
        return step(state)

    builder: StateGraph[Any, Any, Any, Any] = StateGraph(_State)
    builder.add_node("step", NodeRunnable(step, astep, name="step"))
    builder.add_edge(START, "step")
    builder.add_edge("step", END)
    return builder.compile()


class _Starts(BaseCallbackHandler):
    def __init__(self) -> None:
        self.names: list[str] = []

    def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
        self.names.append(kwargs.get("name", ""))


def test_a_node_nobody_listens_to_says_so_and_only_inside() -> None:
    seen: list[bool] = []
    assert _graph(seen).invoke({"n": 0}) == {"n": 1}
    assert seen == [True]
    assert not nobody_listens()


def test_a_handler_on_the_run_is_heard_and_sees_the_node_run() -> None:
    seen: list[bool] = []
    starts = _Starts()
    _graph(seen).invoke({"n": 0}, {"callbacks": [starts]})
    assert seen == [False]
    # LangGraph's run of the node, then the node's own run, both named by it
    assert starts.names.count("step") == 2


def test_collect_runs_is_heard_though_its_handler_is_not_inherited() -> None:
    seen: list[bool] = []
    with collect_runs() as recorder:
        _graph(seen).invoke({"n": 0})
    assert seen == [False]
    assert "step" in [run.name for run in recorder.traced_runs]

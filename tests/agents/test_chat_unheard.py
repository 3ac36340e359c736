"""A chat turn nobody listens to takes shortcuts that no handler can tell apart.

Inside a coordinator node whose run has no handler, a turn with no handlers of its
own opens its run without `CallbackManager.configure` and calls its model without the
`RunnableBinding` (`modegraph.agents.listeners`). A handler that still sees those
runs (one on the model itself) must see exactly what it sees when every run is
configured: the same runs, parents, names, tags and metadata.
"""

from __future__ import annotations

from typing import Any

import pytest
from hub_task import DB, HUB, OPS, ModelRuns, hub_graph, run_two_handoffs
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import RunnableBinding

from modegraph.agents.chat import tracing
from modegraph.agents.chat._roles import Binding
from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.protocol import AllowedTarget
from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.nodes import new_state
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind
from modegraph.testing import ScriptedChatModel as S


def _run(*, force_configure: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    if force_configure:
        monkeypatch.setattr(tracing, "nobody_listens", lambda: False)
    runs = ModelRuns()
    run_two_handoffs("TASK-UNHEARD", runs, {"tags": ["mine"], "metadata": {"who": "test"}})
    monkeypatch.undo()
    # the group's two turns run in parallel: compare them in a fixed order
    return sorted(runs.seen, key=repr)


def test_a_model_handler_sees_the_same_runs_with_or_without_the_shortcuts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet = _run(force_configure=False, monkeypatch=monkeypatch)
    configured = _run(force_configure=True, monkeypatch=monkeypatch)
    assert len(quiet) == 4
    assert quiet == configured
    tags = quiet[0][3]
    assert "mine" in tags and "modegraph" in tags and "role:db" in tags


def test_the_shortcuts_are_taken_when_nobody_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    direct: list[bool] = []
    unbound = Binding.unbound

    def spy(binding: Any) -> Any:
        model, kwargs = unbound(binding)
        direct.append(model is binding.model)
        return model, kwargs

    monkeypatch.setattr(Binding, "unbound", spy)
    opened: list[str] = []
    unheard_child = tracing._unheard_child

    def opening(parent: Any, turn: Any, model: str, context: Any) -> Any:
        opened.append(turn.subtask_id)
        return unheard_child(parent, turn, model, context)

    monkeypatch.setattr(tracing, "_unheard_child", opening)
    model = S.by_role({"hub": [S.complete("Done alone")]})
    graph = hub_graph(model)
    with model:
        graph.invoke(new_state(task_id="TASK-QUIET", goal="Say hello", entry="hub"))
    assert direct == [True]
    assert opened == ["TASK-QUIET"]


def test_a_turn_with_its_own_handler_configures_and_keeps_the_binding() -> None:
    calls: list[str] = []

    class Seen(BaseCallbackHandler):
        def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
            calls.append(kwargs.get("name", ""))

    model = S.by_role({"hub": [S.complete("Done alone")]})
    graph = build_coordinator(
        catalog=Catalog([HUB, DB, OPS]),
        entry="hub",
        agent=ChatAgent(model=model, callbacks=[Seen()]),
    )
    with model:
        graph.invoke(new_state(task_id="TASK-HEARD", goal="Say hello", entry="hub"))
    assert calls == ["hub TASK-HEARD"]


def test_the_model_is_called_without_only_a_plain_binding() -> None:
    turn_targets = (AllowedTarget(mode=DB, kind=EdgeKind.DELEGATE),)
    agent = ChatAgent(model=S(steps=[]))
    agent.prepare(HUB, turn_targets)
    binding = agent._bindings["hub"]
    model, kwargs = binding.unbound()
    assert model is binding.model
    assert isinstance(binding.bound, RunnableBinding)
    assert kwargs == binding.bound.kwargs and "tools" in kwargs

    configured = binding.bound.with_config(tags=["x"])
    model, kwargs = _with(binding, bound=configured).unbound()
    assert model is configured and kwargs == {}

    heard = S(steps=[], callbacks=[BaseCallbackHandler()])
    model, kwargs = _with(binding, model=heard, bound=heard.bind_tools([])).unbound()
    assert model is not heard and kwargs == {}


def _with(binding: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(binding, **changes)

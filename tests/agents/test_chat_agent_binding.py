"""The chat agent binds a role's tools once and rebinds exactly when they change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import PrivateAttr

from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.protocol import AllowedTarget, RoleTurn
from modegraph.modes.model import EdgeKind, Mode
from modegraph.testing import ScriptedChatModel as Scripted

DEV = Mode(slug="fastapi-developer", name="FastAPI Developer")
DB = Mode(slug="database-specialist", name="Database Specialist")
SEC = Mode(slug="security-specialist", name="Security Specialist")


class CountingModel(Scripted):
    """The scripted model, counting `bind_tools` calls and what they bound."""

    _binds: list[list[str]] = PrivateAttr(default_factory=list)

    def bind_tools(
        self, tools: Sequence[Any], **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        self._binds.append([tool.name for tool in tools])
        return super().bind_tools(tools, **kwargs)

    @property
    def binds(self) -> list[list[str]]:
        """The tool names of every `bind_tools` call."""
        return self._binds


def _turn(mode: Mode = DEV, allowed: tuple[AllowedTarget, ...] | None = None) -> RoleTurn:
    if allowed is None:
        allowed = (AllowedTarget(mode=DB, kind=EdgeKind.ESCALATE),)
    return RoleTurn(task_id="T", subtask_id="T.1", mode=mode, goal="Do it", allowed=allowed)


def _echo(label: str) -> BaseTool:
    def echo(text: str) -> str:
        return f"{label}: {text}"

    return StructuredTool.from_function(func=echo, name="echo", description="Echo text.")


def test_same_model_targets_and_tools_bind_once() -> None:
    tool = _echo("one")
    model = CountingModel(steps=[Scripted.complete("a"), Scripted.complete("b")])
    agent = ChatAgent(model=model, tools_for=lambda mode: [tool])
    agent.run(_turn())
    agent.run(_turn())  # equal targets, rebuilt: still the same binding
    assert model.binds == [["handoff_to_database_specialist", "complete", "echo"]]
    assert [call.tools for call in model.calls] == [model.calls[0].tools] * 2


def test_fresh_tools_each_turn_are_bound_and_run_never_stale() -> None:
    """A sandboxed agent hands over new tool objects per turn: each turn runs its own."""
    labels = iter(["first", "second"])
    model = CountingModel(
        steps=[
            Scripted.tool_call("echo", {"text": "x"}),
            Scripted.complete("a"),
            Scripted.tool_call("echo", {"text": "y"}),
            Scripted.complete("b"),
        ]
    )
    agent = ChatAgent(model=model, tools_for=lambda mode: [_echo(next(labels))])
    agent.run(_turn())
    agent.run(_turn())
    assert len(model.binds) == 2
    results = [call.messages[-1].text for call in model.calls if call.step in (1, 3)]
    assert results == ["first: x", "second: y"]


def test_changed_targets_rebind_with_the_new_handoffs() -> None:
    model = CountingModel(
        steps=[
            Scripted.complete("a"),
            Scripted.handoff("security-specialist", goal="Hash passwords"),
        ]
    )
    agent = ChatAgent(model=model)
    agent.run(_turn())
    report = agent.run(_turn(allowed=(AllowedTarget(mode=SEC, kind=EdgeKind.DELEGATE),)))
    assert model.binds == [
        ["handoff_to_database_specialist", "complete"],
        ["handoff_to_security_specialist", "complete"],
    ]
    assert [h.target for h in report.handoffs] == ["security-specialist"]


def test_roles_keep_their_own_bindings_and_models() -> None:
    dev = CountingModel(steps=[Scripted.complete("a"), Scripted.complete("c")])
    db = CountingModel(steps=[Scripted.complete("b")])
    agent = ChatAgent(model_for=lambda mode: dev if mode.slug == DEV.slug else db)
    agent.run(_turn())
    agent.run(_turn(mode=DB, allowed=()))
    agent.run(_turn())
    assert dev.binds == [["handoff_to_database_specialist", "complete"]]
    assert db.binds == [["complete"]]


def test_a_different_model_for_the_same_role_rebinds() -> None:
    models = [CountingModel(steps=[Scripted.complete("a")]) for _ in range(2)]
    picks = iter(models)
    agent = ChatAgent(model_for=lambda mode: next(picks))
    agent.run(_turn())
    agent.run(_turn())
    assert [len(m.binds) for m in models] == [1, 1]
    for model in models:
        model.assert_all_used()

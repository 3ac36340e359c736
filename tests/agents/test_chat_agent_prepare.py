"""A chat agent prepares each role once when the coordinator is compiled; runs are unchanged.

`ChatAgent.prepare` builds a role's handoff tools and the fixed part of its system
prompt; a turn uses them only when its mode and targets are the objects they were
built for. Whether prepared or not, the model sees the same prompt and tools.
"""

from __future__ import annotations

from typing import Any

from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.chat.prompts import role_prompt, system_prompt
from modegraph.agents.protocol import (
    AllowedTarget,
    ChildResult,
    Preparing,
    ReportStatus,
    RoleTurn,
)
from modegraph.coordinator.build import build_coordinator
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode, Reference, ToolGroup
from modegraph.testing import ScriptedChatModel as Scripted

DEV = Mode(
    slug="fastapi-developer",
    name="FastAPI Developer",
    role_definition="You build APIs.",
    custom_instructions="Write tests.",
    workflow=["Read", "Write"],
    tool_groups=[ToolGroup(name="read"), ToolGroup(name="edit", file_regex=r"\.py$")],
)
DB = Mode(slug="database-specialist", name="Database Specialist", description="Schemas.")
SEC = Mode(slug="security-specialist", name="Security Specialist", when_to_use="Auth work.")


def _allowed() -> tuple[AllowedTarget, ...]:
    return (
        AllowedTarget(mode=DB, kind=EdgeKind.ESCALATE, note="For complex schemas"),
        AllowedTarget(mode=SEC, kind=EdgeKind.DELEGATE),
    )


def _turn(allowed: tuple[AllowedTarget, ...], **extra: object) -> RoleTurn:
    return RoleTurn(
        task_id="T",
        subtask_id="T.1",
        mode=DEV,
        goal="Do it",
        allowed=allowed,
        chain=("database-specialist", "fastapi-developer"),
        **extra,  # type: ignore[arg-type]
    )


def test_the_prompt_built_from_prepared_parts_is_the_same_text() -> None:
    allowed = _allowed()
    result = ChildResult(
        subtask_id="T.1.1",
        role="database-specialist",
        goal="g",
        status=ReportStatus.COMPLETED,
        summary="done",
    )
    for turn in (_turn(allowed), _turn(allowed, results=(result,), refusals=("no",))):
        assert system_prompt(turn, role_prompt(DEV, allowed)) == system_prompt(turn)
        assert "Already in this escalation chain" in system_prompt(turn)


def test_parts_built_for_another_mode_or_other_targets_are_not_used() -> None:
    other = Mode(slug="fastapi-developer", name="Someone Else")
    turn = _turn(_allowed())
    assert system_prompt(turn, role_prompt(other, turn.allowed)) == system_prompt(turn)
    assert system_prompt(turn, role_prompt(DEV, ())) == system_prompt(turn)


def test_a_prepared_role_binds_the_prepared_tools_and_prompt() -> None:
    allowed = _allowed()
    model = Scripted(steps=[Scripted.complete("a")])
    agent = ChatAgent(model=model)
    assert isinstance(agent, Preparing)
    agent.prepare(DEV, allowed)
    prepared = agent._prepared[DEV.slug]
    agent.run(_turn(allowed))
    binding = agent._bindings[DEV.slug]
    assert binding.tools == prepared.tools  # the very tool objects built by prepare
    assert binding.prompt is prepared.prompt
    [call] = model.calls
    assert call.messages[0].content == system_prompt(_turn(allowed))
    assert call.tools == (
        "handoff_to_database_specialist",
        "handoff_to_security_specialist",
        "complete",
    )


def test_a_turn_with_other_targets_than_prepared_builds_its_own() -> None:
    model = Scripted(steps=[Scripted.complete("a")])
    agent = ChatAgent(model=model)
    agent.prepare(DEV, _allowed())
    fewer = (AllowedTarget(mode=SEC, kind=EdgeKind.DELEGATE),)
    agent.run(_turn(fewer))
    names = [tool.name for tool in agent._bindings[DEV.slug].tools]
    assert names == ["handoff_to_security_specialist", "complete"]


def test_compiling_the_coordinator_prepares_every_role_once() -> None:
    class Counting(ChatAgent):
        def __init__(self) -> None:
            super().__init__(model=Scripted(steps=[]))
            self.prepared: list[str] = []

        def prepare(self, mode: Mode, allowed: tuple[AllowedTarget, ...]) -> None:
            self.prepared.append(mode.slug)
            super().prepare(mode, allowed)

    hub = Mode(slug="hub", name="Hub", delegates_to=(Reference(slug="db"),))
    catalog = Catalog([hub, Mode(slug="db", name="DB"), Mode(slug="lone", name="Lone")])
    agent = Counting()
    build_coordinator(catalog=catalog, entry="hub", agent=agent)
    assert sorted(agent.prepared) == ["db", "hub"]  # the roles reachable from the entry


def test_one_model_and_no_mode_tools_are_bound_when_prepared_and_not_again() -> None:
    binds: list[list[str]] = []

    class Counting(Scripted):
        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            binds.append([tool.name for tool in tools])
            return super().bind_tools(tools, **kwargs)

    allowed = _allowed()
    agent = ChatAgent(model=Counting(steps=[Scripted.complete("a"), Scripted.complete("b")]))
    agent.prepare(DEV, allowed)
    assert len(binds) == 1
    agent.run(_turn(allowed))
    agent.run(_turn(allowed))
    assert len(binds) == 1

    with_tools = ChatAgent(model=Counting(steps=[]), tools_for=lambda mode: [])
    with_tools.prepare(DEV, allowed)  # the mode's tools come at the turn: bound then
    assert len(binds) == 1

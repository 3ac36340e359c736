"""SandboxedAgent: fresh tools per turn, tool events in the report, agent-level refusals."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import modegraph.tools as tools_pkg
from modegraph.agents import SandboxedAgent
from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.protocol import AllowedTarget, ReportStatus, RoleTurn
from modegraph.modes.config import CommandsConfig, ProjectConfig
from modegraph.modes.model import EdgeKind, Mode, ToolGroup
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.tools import Workspace

DEV = Mode(
    slug="dev",
    name="Dev",
    tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit"), ToolGroup(name="command")),
)
READER = Mode(slug="reader", name="Reader", tool_groups=(ToolGroup(name="read"),))
DB = Mode(slug="db", name="DB", tool_groups=(ToolGroup(name="read"),))


def _turn(mode: Mode, *allowed: Mode) -> RoleTurn:
    targets = tuple(AllowedTarget(mode=m, kind=EdgeKind.ESCALATE) for m in allowed)
    return RoleTurn(task_id="T-1", subtask_id="T-1", mode=mode, goal="Work", allowed=targets)


def _agent(model: Scripted, root: Path, **kwargs) -> SandboxedAgent:
    return SandboxedAgent(
        make_agent=lambda tools_for: ChatAgent(model=model, tools_for=tools_for),
        workspace=Workspace(root),
        **kwargs,
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_tool_events_become_report_notes(root: Path, mode: str) -> None:
    config = ProjectConfig(commands=CommandsConfig(allow=(r"^python -c\b",)))
    model = Scripted(
        steps=[
            Scripted.tool_calls(
                [
                    ("write_file", {"path": "app/new.py", "content": "x = 1\n"}),
                    ("edit_file", {"path": "app/new.py", "old_text": "1", "new_text": "2"}),
                    ("read_file", {"path": ".env"}),
                    ("run_command", {"command": ["python", "-c", "pass"]}),
                ]
            ),
            Scripted.complete("done", references=["app/new.py"]),
        ]
    )
    agent = _agent(model, root, config=config)
    turn = _turn(DEV)
    report = agent.run(turn) if mode == "sync" else asyncio.run(agent.arun(turn))
    model.assert_all_used()
    assert report.notes[0].startswith("tool 'read_file' failed: ToolRefused: '.env' usually")
    assert report.notes[1:] == (
        "tool: created `app/new.py` (1 lines)",
        "tool: edited `app/new.py` at line 1",
        "tool: ran `python -c pass` in `.`: exit code 0",
    )
    assert (root / "app" / "new.py").read_text() == "x = 2\n"


def test_each_turn_has_its_own_events(root: Path) -> None:
    model = Scripted(
        steps=[
            Scripted.tool_call("write_file", {"path": "one.py", "content": ""}),
            Scripted.complete("first"),
            Scripted.complete("second"),
        ]
    )
    agent = _agent(model, root)
    assert agent.run(_turn(DEV)).notes == ("tool: created `one.py` (0 lines)",)
    assert agent.run(_turn(DEV)).notes == ()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("write_file", {"path": "app/main.py", "content": "pwned"}),
        ("edit_file", {"path": "app/main.py", "old_text": "hello", "new_text": "pwned"}),
        ("run_command", {"command": ["touch", "pwned"]}),
        ("fetch_url", {"url": "http://127.0.0.1:9/"}),
        ("handoff_to_ops_wizard", {"goal": "deploy", "reason": "because"}),
    ],
    ids=["write", "edit", "command", "browser", "handoff-not-allowed"],
)
def test_a_tool_the_role_does_not_have_is_refused_and_noted(root: Path, name, args) -> None:
    model = Scripted(
        steps=[Scripted.tool_call(name, args), Scripted.complete("gave up")], check_tools=False
    )
    before = (root / "app" / "main.py").read_text()
    report = _agent(model, root).run(_turn(READER, DB))
    error = model.calls[1].messages[-1]
    assert error.status == "error"
    assert f"there is no tool named {name!r} for role 'reader'" in error.text
    assert "handoff_to_db" in error.text
    assert report.notes == (f"the model called unknown tool {name!r}",)
    assert report.status is ReportStatus.COMPLETED and not report.handoffs
    assert (root / "app" / "main.py").read_text() == before
    assert not (root / "pwned").exists()


def test_the_tools_package_exports_exactly_its_public_names() -> None:
    public = {
        name
        for name, value in vars(tools_pkg).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("modegraph")
    }
    assert public <= set(tools_pkg.__all__)
    for name in tools_pkg.__all__:
        assert hasattr(tools_pkg, name), name
    assert len(tools_pkg.__all__) == len(set(tools_pkg.__all__))


def test_mcp_servers_are_listed_once_per_agent(root: Path, monkeypatch) -> None:
    from langchain_core.tools import StructuredTool

    import modegraph.agents.sandboxed as agent_module
    from modegraph.modes.config import McpConfig

    async def add(a: int, b: int) -> str:
        return str(a + b)

    listed: list[int] = []

    def fake_fetch(config, workspace):
        listed.append(1)
        return [StructuredTool.from_function(coroutine=add, name="math_add", description="Add.")]

    monkeypatch.setattr(agent_module, "fetch_mcp_tools", fake_fetch)
    mcp_role = Mode(slug="m", name="M", tool_groups=(ToolGroup(name="mcp"),))
    model = Scripted(
        steps=[
            Scripted.tool_call("math_add", {"a": 2, "b": 3}),
            Scripted.complete("first"),
            Scripted.complete("second"),
            Scripted.complete("third"),
        ]
    )
    config = ProjectConfig(mcp=McpConfig(servers={"math": {"command": "unused"}}))
    agent = _agent(model, root, config=config)
    first = agent.run(_turn(mcp_role))
    assert model.calls[1].messages[-1].text == "5"
    assert first.notes == ("tool: called MCP tool `math_add`",)
    assert agent.run(_turn(mcp_role)).notes == ()
    assert agent.run(_turn(READER)).notes == ()
    assert listed == [1]

"""Shared fixtures for the tool tests: a workspace, a directory outside it, modes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from modegraph.agents import SandboxedAgent
from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.protocol import AgentReport, RoleTurn
from modegraph.modes.config import ProjectConfig
from modegraph.modes.model import Mode
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.tools import Approver, Workspace, tools_for_mode


class Journal:
    """Collects what the tools send to the journal hook."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str) -> None:
        self.lines.append(text)

    @property
    def refusals(self) -> list[str]:
        return [line for line in self.lines if line.startswith("refused: ")]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    place = tmp_path / "outside"
    place.mkdir()
    (place / "secret.txt").write_text("TOP SECRET outside\n", encoding="utf-8")
    return place


@pytest.fixture
def root(tmp_path: Path, outside: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "app").mkdir(parents=True)
    (ws / "docs").mkdir()
    (ws / "app" / "main.py").write_text("print('hello')\nx = 1\nx = 1\n", encoding="utf-8")
    (ws / "docs" / "guide.md").write_text("# Guide\n\nline three\n", encoding="utf-8")
    (ws / ".env").write_text("API_KEY=sk-live-123\n", encoding="utf-8")
    (ws / "server.pem").write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    (ws / "config").mkdir()
    (ws / "config" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (ws / "link.txt").symlink_to(outside / "secret.txt")
    (ws / "linkdir").symlink_to(outside, target_is_directory=True)
    (ws / "readme.md").symlink_to(ws / "app" / "main.py")
    (ws / "env-alias.txt").symlink_to(ws / ".env")
    return ws


ToolsFor = Callable[..., dict[str, BaseTool]]


@pytest.fixture
def journal() -> Journal:
    return Journal()


@pytest.fixture
def tools_for(root: Path, journal: Journal) -> ToolsFor:
    def build(
        mode: Mode,
        *,
        config: ProjectConfig | None = None,
        approver: Approver | None = None,
        case_insensitive: bool | None = False,
    ) -> dict[str, BaseTool]:
        workspace = Workspace(root, case_insensitive=case_insensitive)
        tools = tools_for_mode(
            mode, workspace=workspace, config=config, approver=approver, journal_hook=journal
        )
        return {tool.name: tool for tool in tools}

    return build


class Turn:
    """What one scripted role turn did: the report, and each tool result the model saw."""

    def __init__(self, report: AgentReport, results: list[ToolMessage]) -> None:
        self.report = report
        self.results = results

    @property
    def refused(self) -> list[str]:
        """The notes of tool calls the sandbox refused."""
        return [note for note in self.report.notes if "ToolRefused" in note]

    def result(self, index: int) -> str:
        return str(self.results[index].content)


TurnFor = Callable[..., Turn]


@pytest.fixture
def agent_turn(root: Path) -> TurnFor:
    """Run one role turn of a `ChatAgent` whose strict scripted model makes `calls`.

    The model calls each tool in turn (one step each), then completes; the agent is
    wrapped in `SandboxedAgent`, as `modegraph run --model` wraps it.
    """

    def run(
        mode: Mode,
        calls: Sequence[tuple[str, dict[str, Any]]],
        *,
        config: ProjectConfig | None = None,
        approver: Approver | None = None,
        workspace: Path | None = None,
        **agent_options: Any,
    ) -> Turn:
        steps = [Scripted.tool_call(name, args) for name, args in calls]
        with Scripted(steps=[*steps, Scripted.complete("done")]) as model:
            agent = SandboxedAgent(
                make_agent=lambda tools_for: ChatAgent(model=model, tools_for=tools_for),
                workspace=Workspace(workspace or root),
                config=config,
                approver=approver,
                **agent_options,
            )
            turn = RoleTurn(task_id="T-1", subtask_id="T-1", mode=mode, goal="Do the work")
            report = agent.run(turn)
        results = [m for m in model.calls[-1].messages if isinstance(m, ToolMessage)]
        return Turn(report, results)

    return run


# The attack suite's count: every test marked `attack` is one attempt on the sandbox;
# it passes when the attempt is refused or bounded. The summary line is what CI shows.
_ATTACKS: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "attack: an attempt to get out of the sandbox (counted in the summary)"
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "attack" not in report.keywords:
        return
    if report.when == "call" or report.outcome != "passed":
        previous = _ATTACKS.get(report.nodeid)
        if previous in (None, "passed"):
            _ATTACKS[report.nodeid] = report.outcome


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _ATTACKS:
        return
    held = sum(outcome == "passed" for outcome in _ATTACKS.values())
    skipped = sum(outcome == "skipped" for outcome in _ATTACKS.values())
    line = f"sandbox attacks: {held} refused / {len(_ATTACKS)}"
    if skipped:
        line += f" ({skipped} skipped)"
    terminalreporter.write_line(line)

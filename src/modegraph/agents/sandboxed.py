"""`SandboxedAgent`: an agent whose turns use the sandboxed tools and journal what they did.

Each turn gets a fresh set of tools from `tools_for_mode`, with a journal hook that
collects the turn's tool events (files created and edited, commands run, pages
fetched). The events are added to the report's notes, and the coordinator writes a
report's notes into the subtask's journal entry, so the journal says which files a
role wrote and which commands it ran. Turns that run in parallel keep their events
apart, because each turn has its own hook. MCP servers are listed once, on the
first turn that needs them.

```python
agent = SandboxedAgent(
    make_agent=lambda tools_for: ChatAgent(model=model, tools_for=tools_for),
    workspace=Workspace("."),
    config=load_config("."),
)
```
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from langchain_core.tools import BaseTool

from modegraph.agents.protocol import Agent, AgentReport, RoleTurn
from modegraph.modes.config import ProjectConfig
from modegraph.modes.model import Mode
from modegraph.tools.groups import tools_for_mode
from modegraph.tools.mcp import fetch_mcp_tools
from modegraph.tools.permissions import Approver
from modegraph.tools.protection import Protected
from modegraph.tools.workspace import Workspace

__all__ = ["SandboxedAgent", "ToolsFor"]

ToolsFor = Callable[[Mode], Sequence[BaseTool]]
"""Gives a mode its tools (what `ChatAgent(tools_for=...)` takes)."""

_REFUSED = "refused: "


class SandboxedAgent:
    """Runs each turn with fresh sandboxed tools and adds their events to the report.

    Args:
        make_agent: Builds the agent of one turn from the turn's `tools_for`.
        workspace: The sandbox.
        config: The project's `modegraph.yaml`.
        approver: Decides about commands that are not allowlisted (None refuses them).
        protected: The run's own paths no role may write (`Protected.for_run`).
    """

    def __init__(
        self,
        *,
        make_agent: Callable[[ToolsFor], Agent],
        workspace: Workspace,
        config: ProjectConfig | None = None,
        approver: Approver | None = None,
        protected: Protected | None = None,
    ) -> None:
        self._make_agent = make_agent
        self.workspace = workspace
        """The sandbox every turn's tools work in."""
        self.config = config or ProjectConfig()
        """The project configuration."""
        self.approver = approver
        """Decides about commands that are not allowlisted."""
        self.protected = protected or Protected()
        """The run's own paths no role may write."""
        self._mcp_tools: list[BaseTool] | None = None
        self._mcp_lock = threading.Lock()

    def _fetched_mcp_tools(self) -> list[BaseTool]:
        """The MCP servers' tools, listed once for every turn of this agent."""
        with self._mcp_lock:
            if self._mcp_tools is None:
                self._mcp_tools = fetch_mcp_tools(self.config, self.workspace)
            return self._mcp_tools

    def _turn_agent(self) -> tuple[Agent, list[str]]:
        events: list[str] = []

        def tools_for(mode: Mode) -> Sequence[BaseTool]:
            uses_mcp = any(group.name.lower() == "mcp" for group in mode.tool_groups)
            return tools_for_mode(
                mode,
                workspace=self.workspace,
                config=self.config,
                approver=self.approver,
                journal_hook=events.append,
                mcp_tools=self._fetched_mcp_tools() if uses_mcp else None,
                protected=self.protected,
            )

        return self._make_agent(tools_for), events

    def run(self, turn: RoleTurn) -> AgentReport:
        """Do the turn synchronously.

        Args:
            turn: The role turn.

        Returns:
            The inner agent's report with the tool events added to its notes.
        """
        agent, events = self._turn_agent()
        return _with_events(agent.run(turn), events)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        """Do the turn asynchronously.

        Args:
            turn: The role turn.

        Returns:
            The inner agent's report with the tool events added to its notes.
        """
        agent, events = self._turn_agent()
        return _with_events(await agent.arun(turn), events)


def _with_events(report: AgentReport, events: list[str]) -> AgentReport:
    """The report with each tool event as a note; refusals the agent noted already are skipped."""
    added = tuple(
        f"tool: {event}"
        for event in events
        if not (
            event.startswith(_REFUSED)
            and any(event.removeprefix(_REFUSED) in note for note in report.notes)
        )
    )
    if not added:
        return report
    return report.model_copy(update={"notes": (*report.notes, *added)})

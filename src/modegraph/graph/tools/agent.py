"""`SandboxedAgent`: an agent whose turns use the sandboxed tools and journal what they did.

Each turn gets a fresh set of tools from `tools_for_mode`, with a journal hook that
collects the turn's tool events (files created and edited, commands run, pages
fetched). The events are added to the report's notes, and the coordinator writes a
report's notes into the subtask's journal entry, so the journal says which files a
role wrote and which commands it ran. Turns that run in parallel keep their events
apart, because each turn has its own hook.

```python
agent = SandboxedAgent(
    make_agent=lambda tools_for: ChatAgent(model=model, tools_for=tools_for),
    workspace=Workspace("."),
    config=load_config("."),
)
```
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from langchain_core.tools import BaseTool

from modegraph.graph.protocol import Agent, AgentReport, RoleTurn
from modegraph.graph.tools.groups import tools_for_mode
from modegraph.graph.tools.permissions import Approver
from modegraph.graph.tools.workspace import Workspace
from modegraph.modes.config import ProjectConfig
from modegraph.modes.model import Mode

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
    """

    def __init__(
        self,
        *,
        make_agent: Callable[[ToolsFor], Agent],
        workspace: Workspace,
        config: ProjectConfig | None = None,
        approver: Approver | None = None,
    ) -> None:
        self._make_agent = make_agent
        self.workspace = workspace
        """The sandbox every turn's tools work in."""
        self.config = config or ProjectConfig()
        """The project configuration."""
        self.approver = approver
        """Decides about commands that are not allowlisted."""

    def _turn_agent(self) -> tuple[Agent, list[str]]:
        events: list[str] = []

        def tools_for(mode: Mode) -> Sequence[BaseTool]:
            return tools_for_mode(
                mode,
                workspace=self.workspace,
                config=self.config,
                approver=self.approver,
                journal_hook=events.append,
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

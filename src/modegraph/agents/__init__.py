"""Agents: what a role does with its turn, behind one small protocol.

- `protocol`: `Agent`, `RoleTurn`, `AgentReport`, `HandoffRequest` (no LangGraph);
- `rule`: the offline rule agent (the default): routes by the modes' own words;
- `chat`: the chat agent over any langchain-core chat model, its prompts, its
  handoff/complete tools and the provider table;
- `sandboxed`: runs any agent's turns with the mode's sandboxed tools;
- `scripted`: the strict scripted chat model for tests (public as `modegraph.testing`).

The coordinator (`modegraph.coordinator`) drives agents; agents never import it.
"""

from modegraph.agents.protocol import (
    Agent,
    AgentReport,
    AllowedTarget,
    Candidate,
    ChildResult,
    CommandDecision,
    HandoffRequest,
    Preparing,
    ReportStatus,
    RoleTurn,
    UncoveredPart,
)
from modegraph.agents.rule import RuleAgent
from modegraph.agents.sandboxed import SandboxedAgent, ToolsFor

__all__ = [
    "Agent",
    "AgentReport",
    "AllowedTarget",
    "Candidate",
    "ChildResult",
    "CommandDecision",
    "HandoffRequest",
    "Preparing",
    "ReportStatus",
    "RoleTurn",
    "RuleAgent",
    "SandboxedAgent",
    "ToolsFor",
    "UncoveredPart",
]

"""Deprecated: `modegraph.graph` was split into `modegraph.coordinator` and `modegraph.agents`.

Importing it still works and warns (`DeprecationWarning`) with the new place; so do
its old submodules (`modegraph.graph.runner`, `modegraph.graph.chat_agent`,
`modegraph.graph.tools`, ...), through the table in `modegraph._moved`.
"""

import warnings

from modegraph.agents.protocol import (
    Agent,
    AgentReport,
    AllowedTarget,
    ChildResult,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
)
from modegraph.agents.rule import RuleAgent
from modegraph.coordinator import (
    ApprovalMode,
    ApprovalRequest,
    ApprovalRule,
    Decision,
    Policy,
    RefusedHandoff,
    Runner,
    RunResult,
    RunSettings,
    RunStatus,
    SubtaskView,
    build_coordinator,
    check_entry,
    default_entry,
    stored_settings,
)

warnings.warn(
    "modegraph.graph is deprecated: import the coordinator from modegraph.coordinator "
    "and the agents (Agent, RuleAgent, ...) from modegraph.agents",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = [
    "Agent",
    "AgentReport",
    "AllowedTarget",
    "ApprovalMode",
    "ApprovalRequest",
    "ApprovalRule",
    "ChildResult",
    "Decision",
    "HandoffRequest",
    "Policy",
    "RefusedHandoff",
    "ReportStatus",
    "RoleTurn",
    "RuleAgent",
    "RunResult",
    "RunSettings",
    "RunStatus",
    "Runner",
    "SubtaskView",
    "build_coordinator",
    "check_entry",
    "default_entry",
    "stored_settings",
]

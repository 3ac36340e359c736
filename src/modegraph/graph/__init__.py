"""The LangGraph coordinator: state, nodes, agents, tools.

```python
from modegraph.graph import Runner

result = Runner(catalog=catalog).start("Add a users API", entry="fastapi-developer")
print(result.status, result.journal)
```
"""

from modegraph.graph.approvals import ApprovalRequest, Decision
from modegraph.graph.coordinator import build_coordinator, check_entry
from modegraph.graph.policy import ApprovalMode, ApprovalRule, Policy
from modegraph.graph.protocol import (
    Agent,
    AgentReport,
    AllowedTarget,
    ChildResult,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
)
from modegraph.graph.result import RefusedHandoff, RunResult, RunStatus, SubtaskView
from modegraph.graph.rule_agent import RuleAgent
from modegraph.graph.runner import Runner, RunSettings, default_entry, stored_settings

__all__ = [
    # the agent protocol
    "Agent",
    "AgentReport",
    "AllowedTarget",
    # approvals
    "ApprovalMode",
    "ApprovalRequest",
    "ApprovalRule",
    "ChildResult",
    "Decision",
    "HandoffRequest",
    # guards
    "Policy",
    # results
    "RefusedHandoff",
    "ReportStatus",
    "RoleTurn",
    # agents
    "RuleAgent",
    "RunResult",
    "RunSettings",
    "RunStatus",
    # running
    "Runner",
    "SubtaskView",
    "build_coordinator",
    "check_entry",
    "default_entry",
    "stored_settings",
]

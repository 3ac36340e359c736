"""The coordinator: the LangGraph state machine that runs a task along the escalation graph.

```python
from modegraph.coordinator import Runner

result = Runner(catalog=catalog).start("Add a users API", entry="fastapi-developer")
print(result.status, result.journal)
```

`build` compiles the graph (one node per role, plus the journal node); `nodes` are
the role turns; `router` is the journal node that checks each handoff (`routing`,
`policy`) and sends it on; `state`, `records` and `result` hold what a run knows;
`recorder` writes the journal; `approvals`, `command_gate` and `_router_approvals`
stop for a person; `persistence` picks the checkpointer; `settings` keeps how a run
started; `runner` starts and resumes runs. This is the only package that imports
LangGraph.
"""

from modegraph.coordinator.approvals import ApprovalRequest, Decision
from modegraph.coordinator.build import build_coordinator, check_entry
from modegraph.coordinator.policy import ApprovalMode, ApprovalRule, Guard, Policy
from modegraph.coordinator.result import RefusedHandoff, RunResult, RunStatus, SubtaskView
from modegraph.coordinator.runner import Runner, RunSettings, default_entry, stored_settings

__all__ = [
    # approvals
    "ApprovalMode",
    "ApprovalRequest",
    "ApprovalRule",
    "Decision",
    # guards
    "Guard",
    "Policy",
    # results
    "RefusedHandoff",
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

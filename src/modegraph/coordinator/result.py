"""`RunResult`: what a run (or a resumed run) ended with, and its `--json` form."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from modegraph._model import FrozenModel
from modegraph.coordinator.approvals import ApprovalRequest
from modegraph.coordinator.policy import Guard
from modegraph.coordinator.state import CoordinatorState, SubtaskStatus
from modegraph.journal.ids import parent_task_id

__all__ = ["RefusedHandoff", "RunResult", "RunStatus", "SubtaskView", "result_of"]


class RunStatus(StrEnum):
    """How a run ended (`--json`'s `status`)."""

    COMPLETED = "completed"
    BLOCKED = "blocked"
    WAITING_APPROVAL = "waiting_approval"
    FAILED = "failed"

    @property
    def exit_code(self) -> int:
        """0 completed, 2 waiting for approval, 1 otherwise."""
        return {RunStatus.COMPLETED: 0, RunStatus.WAITING_APPROVAL: 2}.get(self, 1)


class SubtaskView(FrozenModel):
    """One subtask as the result shows it."""

    id: str
    """Its journal task id."""
    parent: str | None
    """The requesting subtask; None for the root."""
    role: str
    """Slug of the role that worked on it."""
    goal: str
    """What it was asked to do."""
    status: str
    """Its `SubtaskStatus` value."""
    reason: str
    """Why it was handed to this role."""
    summary: str
    """What the role reported."""
    llm_calls: int = 0
    """LLM calls this subtask's turns cost (one hop of the route)."""
    tokens: int = 0
    """Tokens this subtask's turns used."""


class RefusedHandoff(FrozenModel):
    """A refused handoff (`--json`'s `refused` items use `from` and `to`)."""

    source: str
    """The requesting role."""
    target: str
    """The target it named."""
    reason: str
    """Why it was refused."""


class RunResult(FrozenModel):
    """What a run ended with."""

    task_id: str
    """The root task's id (also the checkpoint thread id)."""
    status: RunStatus
    """completed, blocked, waiting_approval or failed."""
    entry: str
    """Slug of the entry role."""
    journal: str | None
    """Path of the root task's file, when a journal is kept."""
    subtasks: tuple[SubtaskView, ...]
    """Every subtask, root first, in id order."""
    refused: tuple[RefusedHandoff, ...] = ()
    """Every refused handoff."""
    llm_calls: int = 0
    """LLM calls the run cost."""
    tokens: int = 0
    """Tokens the run used."""
    reason: str = ""
    """Why the run is blocked or failed; empty when it completed or waits for approval."""
    guard: Guard | None = None
    """The guard that blocked the run (its first refusal or stop); None when no guard
    did (completed, waiting, failed, or blocked by a role's own report)."""
    approvals: tuple[ApprovalRequest, ...] = ()
    """Handoffs waiting for approval (status `waiting_approval`)."""

    @property
    def summary(self) -> str:
        """The root role's last summary."""
        return self.subtasks[0].summary if self.subtasks else ""

    def to_json(self) -> dict[str, Any]:
        """The documented `--json` object."""
        return {
            "task_id": self.task_id,
            "status": self.status.value,
            "entry": self.entry,
            "journal": self.journal,
            "subtasks": [s.model_dump() for s in self.subtasks],
            "refused": [
                {"from": r.source, "to": r.target, "reason": r.reason} for r in self.refused
            ],
            "llm_calls": self.llm_calls,
            "tokens": self.tokens,
            "approvals": [_approval_json(a) for a in self.approvals],
            "reason": self.reason,
            "guard": self.guard.value if self.guard is not None else None,
        }

    def by_role(self) -> dict[str, tuple[int, int]]:
        """LLM calls and tokens summed per role, in the order roles first worked."""
        spent: dict[str, tuple[int, int]] = {}
        for sub in self.subtasks:
            calls, tokens = spent.get(sub.role, (0, 0))
            spent[sub.role] = (calls + sub.llm_calls, tokens + sub.tokens)
        return spent


def _approval_json(request: ApprovalRequest) -> dict[str, Any]:
    """One pending approval in `--json` (`to` for a handoff; `command`, `cwd` for a command)."""
    item: dict[str, Any] = {
        "id": request.id,
        "subtask": request.subtask,
        "kind": request.kind,
        "from": request.source,
    }
    if request.is_command:
        item |= {"command": request.goal, "cwd": request.cwd, "reason": request.reason}
    else:
        item |= {"to": request.target, "goal": request.goal, "reason": request.reason}
    return item


def result_of(
    values: CoordinatorState,
    *,
    journal: str | None,
    approvals: tuple[ApprovalRequest, ...] = (),
    reason: str = "",
) -> RunResult:
    """Read the final (or interrupted) state into a `RunResult`."""
    from modegraph.coordinator.records import order_key

    subtasks = values.get("subtasks", {})
    root = subtasks.get(values["root"])
    blocked = values.get("blocked", "")
    if approvals:
        status = RunStatus.WAITING_APPROVAL
    elif reason:
        status = RunStatus.BLOCKED
    elif root is None or root["status"] == SubtaskStatus.FAILED.value:
        status = RunStatus.FAILED
        reason = root["blocked_reason"] if root else "the run has no root task"
    elif blocked or root["status"] != SubtaskStatus.COMPLETED.value:
        status = RunStatus.BLOCKED
        reason = blocked or root["blocked_reason"] or f"the root task is {root['status']}"
    else:
        status = RunStatus.COMPLETED
    # the guard's name goes with its reason: only when that reason is why the run stopped
    stopped_by_guard = status is RunStatus.BLOCKED and bool(blocked) and reason == blocked
    guard = values.get("guard") if stopped_by_guard else None
    asking = {a.subtask for a in approvals}
    views = tuple(
        SubtaskView(
            id=s["id"],
            parent=s["parent"] if s["parent"] is not None else parent_task_id(s["id"]),
            role=s["role"],
            goal=s["goal"],
            status=RunStatus.WAITING_APPROVAL.value if s["id"] in asking else s["status"],
            reason=s["reason"],
            summary=s["summary"]
            or s["blocked_reason"]
            or (s["report"]["summary"] if s["report"] else ""),
            llm_calls=s.get("llm_calls", 0),
            tokens=s.get("tokens", 0),
        )
        for s in (subtasks[k] for k in sorted(subtasks, key=order_key))
    )
    refused = tuple(
        RefusedHandoff(source=r["source"], target=r["target"], reason=r["reason"])
        for r in values.get("refused", [])
    )
    return RunResult(
        task_id=values["task_id"],
        status=status,
        entry=values["entry"],
        journal=journal,
        subtasks=views,
        refused=refused,
        llm_calls=values.get("llm_calls", 0),
        tokens=values.get("tokens", 0),
        reason=reason,
        guard=Guard(guard) if guard else None,
        approvals=approvals,
    )

"""`RunResult`: what a run (or a resumed run) ended with, and its `--json` form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from modegraph._model import FrozenModel
from modegraph.coordinator.approvals import ApprovalRequest
from modegraph.coordinator.policy import Guard
from modegraph.coordinator.state import CoordinatorState, SubtaskStatus
from modegraph.journal.ids import parent_task_id

__all__ = [
    "Closest",
    "RefusedHandoff",
    "RunResult",
    "RunStatus",
    "SubtaskView",
    "UncoveredView",
    "result_of",
]


class RunStatus(StrEnum):
    """How a run ended (`--json`'s `status`)."""

    COMPLETED = "completed"
    """Every part of the goal was done."""
    BLOCKED = "blocked"
    """A guard, a rejection or a role stopped the run."""
    WAITING_APPROVAL = "waiting_approval"
    """A handoff or a command waits for a person (`modegraph resume`)."""
    FAILED = "failed"
    """The root role's agent failed."""
    INCOMPLETE = "incomplete"
    """The run finished, but part of the goal was not done: no reachable role covers
    it, or a handoff was refused, failed or left unassigned (`RunResult.uncovered`)."""

    @property
    def exit_code(self) -> int:
        """0 completed, 2 waiting for approval, 3 incomplete, 1 blocked or failed."""
        return {RunStatus.COMPLETED: 0, RunStatus.WAITING_APPROVAL: 2, RunStatus.INCOMPLETE: 3}.get(
            self, 1
        )


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
    cost: float = 0.0
    """What this subtask's turns cost (0 without prices in `modegraph.yaml`)."""


class Closest(FrozenModel):
    """A role considered for a part no role took, with its score."""

    slug: str
    """The role."""
    score: float
    """Its routing score for the part (0 = no match)."""


class UncoveredView(FrozenModel):
    """A part of the goal that was not done (`--json`'s `uncovered` items)."""

    subtask: str
    """The subtask whose goal it is part of."""
    role: str
    """The role that reported it (or whose handoff of it was refused)."""
    text: str
    """The part, as written."""
    closest: tuple[Closest, ...] = ()
    """The best-scoring roles for it, best first."""
    reason: str = ""
    """Why it was not done."""


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
    """completed, incomplete, blocked, waiting_approval or failed."""
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
    cost: float = 0.0
    """What the run cost (0 without prices in `modegraph.yaml`)."""
    reason: str = ""
    """Why the run is blocked or failed; empty when it completed or waits for approval."""
    guard: Guard | None = None
    """The guard that blocked the run (its first refusal or stop); None when no guard
    did (completed, waiting, failed, or blocked by a role's own report)."""
    approvals: tuple[ApprovalRequest, ...] = ()
    """Handoffs waiting for approval (status `waiting_approval`)."""
    uncovered: tuple[UncoveredView, ...] = ()
    """Parts of the goal that were not done (status `incomplete`), in subtask order."""
    entry_choice: dict[str, Any] | None = None
    """How the entry role was chosen (`Entry` as JSON: slug, rule, reason, built_in)."""

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
            "cost": self.cost,
            "reason": self.reason,
            "approvals": [_approval_json(a) for a in self.approvals],
            "uncovered": [u.model_dump() for u in self.uncovered],
            "entry_choice": self.entry_choice,
            "guard": self.guard.value if self.guard is not None else None,
        }

    def by_role(self) -> dict[str, tuple[int, int]]:
        """LLM calls and tokens summed per role, in the order roles first worked."""
        spent: dict[str, tuple[int, int]] = {}
        for sub in self.subtasks:
            calls, tokens = spent.get(sub.role, (0, 0))
            spent[sub.role] = (calls + sub.llm_calls, tokens + sub.tokens)
        return spent

    def cost_by_role(self) -> dict[str, float]:
        """What each role's turns cost, in the order roles first worked."""
        spent: dict[str, float] = {}
        for sub in self.subtasks:
            spent[sub.role] = spent.get(sub.role, 0.0) + sub.cost
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
    refused_so_far: Sequence[Mapping[str, str]] = (),
) -> RunResult:
    """Read the final (or interrupted) state into a `RunResult`.

    `refused_so_far`: handoffs a person rejected while others still wait
    (`runner.waiting_refusals`); the state records them once every request is answered.
    """
    from modegraph.coordinator.outcomes import not_done
    from modegraph.coordinator.records import order_key

    subtasks = values.get("subtasks", {})
    root = subtasks.get(values["root"])
    blocked = values.get("blocked", "")
    ordered = [subtasks[k] for k in sorted(subtasks, key=order_key)]
    uncovered = tuple(
        UncoveredView(
            subtask=s["id"],
            role=s["role"],
            text=part["text"],
            closest=tuple(Closest(slug=c["slug"], score=c["score"]) for c in part["closest"]),
            reason=part["reason"],
        )
        for s in ordered
        for part in (not_done(s) if s["status"] in _NOT_DONE else s.get("uncovered", []))
    )
    if approvals:
        status = RunStatus.WAITING_APPROVAL
    elif reason:
        status = RunStatus.BLOCKED
    elif root is None or root["status"] == SubtaskStatus.FAILED.value:
        status = RunStatus.FAILED
        reason = root["blocked_reason"] if root else "the run has no root task"
    elif not blocked and root["status"] in _NOT_DONE:
        status = RunStatus.INCOMPLETE
        reason = _incomplete_reason(uncovered)
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
            cost=s.get("cost", 0.0),
        )
        for s in ordered
    )
    refused = tuple(
        RefusedHandoff(source=r["source"], target=r["target"], reason=r["reason"])
        for r in values.get("refused", [])
    ) + tuple(
        RefusedHandoff(source=r["source"], target=r["target"], reason=r["reason"])
        for r in refused_so_far
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
        cost=values.get("cost", 0.0),
        reason=reason,
        guard=Guard(guard) if guard else None,
        approvals=approvals,
        uncovered=uncovered,
        entry_choice=values.get("settings", {}).get("entry_choice"),
    )


_NOT_DONE = (SubtaskStatus.INCOMPLETE.value, SubtaskStatus.UNASSIGNED.value)


def _incomplete_reason(uncovered: tuple[UncoveredView, ...]) -> str:
    if not uncovered:
        return "part of the goal was not done: a handoff failed, was blocked or left unassigned"
    count = len(uncovered)
    parts = "; ".join(repr(u.text if len(u.text) <= 80 else u.text[:79] + "…") for u in uncovered)
    return f"{count} part{'' if count == 1 else 's'} of the goal not done: {parts}"

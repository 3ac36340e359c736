"""Conversions between the state's plain records and the protocol's models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modegraph.agents.protocol import AgentReport, ChildResult, ReportStatus
from modegraph.coordinator.outcomes import uncovered_record
from modegraph.coordinator.state import (
    TERMINAL,
    CoordinatorState,
    ReportRecord,
    SubtaskKind,
    SubtaskRecord,
    SubtaskStatus,
)

__all__ = [
    "blocked_summary",
    "child_result",
    "close_unfinished",
    "is_terminal",
    "new_state",
    "new_subtask",
    "order_key",
    "report_record",
    "spend_text",
]


def new_subtask(
    *,
    id: str,
    parent: str | None,
    role: str,
    goal: str,
    context: str = "",
    reason: str = "",
    kind: SubtaskKind = "entry",
    depth: int = 0,
    chain: list[str] | None = None,
) -> SubtaskRecord:
    """A fresh, pending subtask record."""
    return SubtaskRecord(
        id=id,
        parent=parent,
        role=role,
        goal=goal,
        context=context,
        reason=reason,
        kind=kind,
        depth=depth,
        chain=list(chain or [role]),
        status=SubtaskStatus.PENDING.value,
        summary="",
        outcome="",
        references=[],
        children=[],
        turns=0,
        refusals=[],
        integrated=0,
        report=None,
        approvals=[],
        blocked_reason="",
    )


def report_record(report: AgentReport) -> ReportRecord:
    """The report as the state stores it."""
    record = ReportRecord(
        status=report.status.value,
        summary=report.summary,
        outcome=report.outcome,
        references=list(report.references),
        handoffs=[
            {"target": h.target, "goal": h.goal, "reason": h.reason} for h in report.handoffs
        ],
        notes=list(report.notes),
    )
    if report.uncovered:
        record["uncovered"] = [uncovered_record(part) for part in report.uncovered]
    return record


_REPORT_STATUS = {
    SubtaskStatus.COMPLETED.value: ReportStatus.COMPLETED,
    SubtaskStatus.BLOCKED.value: ReportStatus.BLOCKED,
    SubtaskStatus.FAILED.value: ReportStatus.FAILED,
    SubtaskStatus.UNASSIGNED.value: ReportStatus.UNASSIGNED,
    # finished, with parts not done: the summary says which
    SubtaskStatus.INCOMPLETE.value: ReportStatus.COMPLETED,
}


def child_result(record: Mapping[str, Any]) -> ChildResult:
    """A finished subtask as the result its requesting role gets back.

    An `incomplete` child comes back `completed` (its role finished), with a summary
    that starts by saying what was not done.
    """
    return ChildResult(
        subtask_id=record["id"],
        role=record["role"],
        goal=record["goal"],
        status=_REPORT_STATUS.get(record["status"], ReportStatus.BLOCKED),
        summary=record["summary"] or record["blocked_reason"],
        references=tuple(record["references"]),
    )


def is_terminal(record: Mapping[str, Any]) -> bool:
    """True when the subtask is completed, blocked, failed, unassigned or incomplete."""
    return record["status"] in _TERMINAL_VALUES


_TERMINAL_VALUES = frozenset(status.value for status in TERMINAL)
"""`TERMINAL` as the state stores it (a status is a plain string there)."""


def order_key(subtask_id: str) -> tuple[int, ...]:
    """Sort key putting a task before its subtasks and `.2` before `.10`."""
    parts = subtask_id.split(".")[1:]
    return tuple(int(p) if p.isdigit() else 0 for p in parts)


def new_state(
    *,
    task_id: str,
    goal: str,
    entry: str,
    settings: dict[str, Any] | None = None,
    reason: str = "",
) -> CoordinatorState:
    """The input state of a new run: the root subtask, pending.

    `reason` says why the entry role got the task (the entry rule), for the journal.
    The keys that add up or append (`refused`, `events`, the spend, `blocked`,
    `guard`) are left out: their channels start empty, `[]`, `0` or `""`, and the
    run's state holds them all the same, without a channel write each at the input.
    """
    root = new_subtask(id=task_id, parent=None, role=entry, goal=goal, reason=reason)
    return CoordinatorState(
        task_id=task_id,
        goal=goal,
        entry=entry,
        root=task_id,
        subtasks={task_id: root},
        finished=False,
        settings=dict(settings or {}),
    )


def blocked_summary(summary: str, reason: str) -> str:
    """A blocked subtask's summary: the guard that stopped it first, then what it did."""
    if not summary or reason in summary:
        return summary or reason
    return f"Blocked ({reason}). {summary}"


def close_unfinished(
    subtasks: Mapping[str, SubtaskRecord], reason: str
) -> dict[str, SubtaskRecord]:
    """Every subtask not yet finished, closed `blocked` with `reason` (children first).

    For a run stopped from outside the journal node (the recursion limit): the
    caller writes the closings to the journal and the state.
    """
    closed: dict[str, SubtaskRecord] = {}
    for key in sorted(subtasks, key=order_key, reverse=True):
        rec = subtasks[key]
        if is_terminal(rec):
            continue
        done = SubtaskRecord(**rec)
        done["status"] = SubtaskStatus.BLOCKED.value
        done["blocked_reason"] = reason
        done["outcome"] = "Blocked"
        done["summary"] = blocked_summary(rec["summary"], reason)
        done["report"] = None
        done["approvals"] = []
        closed[key] = done
    return closed


def spend_text(subtasks: Sequence[SubtaskRecord], llm_calls: int, tokens: int, cost: float) -> str:
    """What a run spent, in total and per role, for the root task's journal."""

    def money(value: float) -> str:
        return f", ${value:.6f}" if value else ""

    per_role: dict[str, tuple[int, int, float]] = {}
    for rec in subtasks:
        calls, used, spent = per_role.get(rec["role"], (0, 0, 0.0))
        per_role[rec["role"]] = (
            calls + rec.get("llm_calls", 0),
            used + rec.get("tokens", 0),
            spent + rec.get("cost", 0.0),
        )
    lines = [f"Spend: {llm_calls} LLM call(s), {tokens} tokens{money(cost)}"]
    lines.extend(
        f"- {role}: {calls} LLM call(s), {used} tokens{money(spent)}"
        for role, (calls, used, spent) in per_role.items()
        if calls or used
    )
    return "\n".join(lines)

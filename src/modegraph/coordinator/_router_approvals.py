"""The journal node's approval requests: handoffs and commands that wait for a person.

A handoff the approval policy holds is put on the subtask record
(`SubtaskRecord.approvals`) and journalled (`hold_handoff`). A command that is not
allowlisted is deferred by the role's tools (see `modegraph.coordinator.command_gate`);
the role node puts it on the subtask record (`SubtaskRecord.commands`) and the
journal node journals it (`journal_asked`). Both are asked in one `interrupt()`
(`requests_for`); the decision on a command is recorded here (`record_decision`)
and the role hears it on its next turn, the decision on a handoff is carried out
by the journal node (it hands off or refuses).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.types import interrupt

from modegraph.coordinator.approvals import COMMAND_KIND, ApprovalRequest, Decision, parse_decisions
from modegraph.coordinator.command_gate import APPROVED, PENDING, REJECTED
from modegraph.coordinator.nodes import event
from modegraph.coordinator.recorder import Recorder
from modegraph.coordinator.records import is_terminal
from modegraph.coordinator.state import (
    CommandRecord,
    EventRecord,
    PendingApproval,
    SubtaskRecord,
    edge_kind_value,
)
from modegraph.journal.model import EntryKind
from modegraph.modes.model import EdgeKind

__all__ = [
    "ask",
    "commands",
    "hold_handoff",
    "journal_asked",
    "pending",
    "record_decision",
    "record_handoff_decision",
    "requests_for",
]

_REASON = "not allowlisted in modegraph.yaml (commands.allow)"
"""Why a command is asked about, as the approval request says."""


def commands(rec: SubtaskRecord) -> list[CommandRecord]:
    """Every command the subtask's turns deferred to a person."""
    return list(rec.get("commands", []))


def pending(rec: SubtaskRecord) -> list[CommandRecord]:
    """The subtask's commands still waiting for a person."""
    return [c for c in commands(rec) if c["status"] == PENDING]


def journal_asked(recorder: Recorder, rec: SubtaskRecord, asked: list[CommandRecord]) -> None:
    """Journal the commands a turn deferred to a person; they are asked with the rest."""
    for command in asked:
        key = command["id"].split(":command:", 1)[1]
        recorder.entry(
            rec["id"],
            f"command:{key}",
            EntryKind.APPROVAL_ASKED,
            f"{rec['role']} wants to run `{command['command']}` in `{command['cwd']}`: "
            "not allowlisted, needs approval",
        )


def hold_handoff(
    recorder: Recorder,
    rec: SubtaskRecord,
    *,
    target: str,
    goal: str,
    reason: str,
    kind: EdgeKind,
    key: str,
) -> None:
    """Put a handoff that needs a person's approval on `rec`, and journal it."""
    approval = PendingApproval(
        id=f"{rec['id']}:approval:{key}",
        target=target,
        goal=goal,
        reason=reason,
        kind=edge_kind_value(kind),
    )
    rec["approvals"] = [*rec["approvals"], approval]
    recorder.entry(
        rec["id"],
        f"approval:{key}",
        EntryKind.APPROVAL_ASKED,
        f"{rec['role']} -> {target} ({kind.value}) needs approval: {goal}",
    )


def requests_for(rec: SubtaskRecord) -> list[ApprovalRequest]:
    """The approval requests of a subtask: its held handoffs, then its pending commands.

    A finished subtask's commands are not asked about.
    """
    if not rec["approvals"] and not rec.get("commands"):
        return []  # nothing held, nothing deferred: most subtasks, on every pass
    held = [
        ApprovalRequest(
            id=a["id"],
            subtask=rec["id"],
            source=rec["role"],
            target=a["target"],
            kind=a["kind"],
            goal=a["goal"],
            reason=a["reason"],
        )
        for a in rec["approvals"]
    ]
    if is_terminal(rec):
        return held
    return held + [
        ApprovalRequest(
            id=c["id"],
            subtask=rec["id"],
            source=rec["role"],
            kind=COMMAND_KIND,
            goal=c["command"],
            cwd=c["cwd"],
            reason=_REASON,
        )
        for c in pending(rec)
    ]


def record_decision(
    recorder: Recorder, rec: SubtaskRecord, request: ApprovalRequest, decision: Decision
) -> EventRecord:
    """Record one decision on a command on `rec` and in the journal.

    Args:
        recorder: Where journal entries go.
        rec: The subtask that asked (updated in place).
        request: The command's approval request.
        decision: The person's decision.

    Returns:
        The event for live progress.
    """
    key = request.id.split(":command:", 1)[1]
    updated = [CommandRecord(**c) for c in commands(rec)]
    for command in updated:
        if command["id"] == request.id:
            command["status"] = APPROVED if decision.approved else REJECTED
            command["reason"] = "" if decision.approved else decision.reason
    rec["commands"] = updated
    shown = f"`{request.goal}` in `{request.cwd}`"
    if decision.approved:
        recorder.entry(
            rec["id"],
            f"command-approved:{key}",
            EntryKind.APPROVAL_GIVEN,
            f"{rec['role']} may run {shown}",
        )
        return event("approved", rec, f"may run {shown}")
    why = decision.reason or "no reason given"
    recorder.entry(
        rec["id"],
        f"command-rejected:{key}",
        EntryKind.APPROVAL_REFUSED,
        f"{rec['role']} may not run {shown}: rejected by a person: {why}",
    )
    return event("rejected", rec, f"may not run {shown}: {why}")


def record_handoff_decision(
    recorder: Recorder, rec: SubtaskRecord, request: ApprovalRequest, decision: Decision
) -> str | None:
    """Take a decided handoff off `rec` and journal the decision.

    Args:
        recorder: Where journal entries go.
        rec: The subtask that asked (updated in place).
        request: The handoff's approval request.
        decision: The person's decision.

    Returns:
        None when the handoff was approved (the caller hands off), else the reason to
        refuse it with.
    """
    rec["approvals"] = [a for a in rec["approvals"] if a["id"] != request.id]
    key = request.id.split(":approval:", 1)[1]
    if decision.approved:
        recorder.entry(
            rec["id"],
            f"approved:{key}",
            EntryKind.APPROVAL_GIVEN,
            f"{request.source} -> {request.target} ({request.kind}): {request.goal}",
        )
        return None
    reason = _rejected(decision)
    recorder.entry(
        rec["id"],
        f"rejected:{key}",
        EntryKind.APPROVAL_REFUSED,
        f"{request.source} -> {request.target} ({request.kind}): {request.goal}: {reason}",
    )
    return reason


def ask(
    task_id: str,
    requests: list[ApprovalRequest],
    decide: Callable[[list[ApprovalRequest], dict[str, Decision]], None],
) -> None:
    """Ask a person (`interrupt`) until every request has a decision.

    Args:
        task_id: The run's root task id (shown with the requests).
        requests: The requests to ask, in order.
        decide: Carries out the decisions given; requests without one stay pending.
    """
    refused: list[dict[str, str]] = []
    while requests:
        payload: dict[str, Any] = {
            "task_id": task_id,
            "approvals": [r.model_dump() for r in requests],
        }
        if refused:  # handoffs rejected by an earlier partial answer, for the waiting view
            payload["refused"] = refused
        answer = interrupt(payload)
        decisions = parse_decisions(answer, requests)
        decide(requests, decisions)
        refused = [*refused, *_refusals(requests, decisions)]
        # the rest (a person stopped answering) is asked again
        requests = [r for r in requests if r.id not in decisions]


def _refusals(
    requests: list[ApprovalRequest], decisions: dict[str, Decision]
) -> list[dict[str, str]]:
    """The handoffs among `requests` that `decisions` rejects, as `refused` items.

    They reach the state's `refused` when every request is answered.
    """
    return [
        {
            "source": r.source,
            "target": r.target,
            "reason": _rejected(decisions[r.id]),
        }
        for r in requests
        if r.id in decisions and not decisions[r.id].approved and not r.is_command
    ]


def _rejected(decision: Decision) -> str:
    """The reason a rejected handoff is refused with."""
    return f"rejected by a person: {decision.reason or 'no reason given'}"

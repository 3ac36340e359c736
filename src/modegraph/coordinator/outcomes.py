"""Honest outcomes: what counts as not done, and how a subtask that has such parts ends.

A part of a goal is *not covered* when:

- the role's agent reports it in `AgentReport.uncovered` (no reachable role covers
  it, above the agent's threshold; the agent names the closest roles and scores);
- the agent reports `ReportStatus.UNASSIGNED` (nothing of the goal is covered);
  when it names no part, the whole goal is the part;
- the built-in orchestrator (a coordination-only role) hands nothing on: it does
  no work itself, so nothing was done;
- the role's handoffs were all refused (by the escalation graph or a person) and
  it handed nothing else on: the refused goals were not done by anyone the role
  meant them for.

How a subtask ends, once its role has finished (`finish_status`): `unassigned`
when its agent said so; `incomplete` when any part above applies, or when a child
ended anything but `completed`; else `completed`. Each not-covered part is a
journal entry (`Not covered`) naming the part and the closest roles with their
scores, and is in the run's result (`RunResult.uncovered`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modegraph.agents.protocol import AgentReport, ReportStatus, UncoveredPart
from modegraph.coordinator.recorder import Recorder
from modegraph.coordinator.state import (
    CandidateRecord,
    EventRecord,
    SubtaskRecord,
    SubtaskStatus,
    UncoveredRecord,
)
from modegraph.journal.model import EntryKind
from modegraph.modes.catalog.orchestrator import is_builtin_orchestrator
from modegraph.modes.model import Mode

__all__ = [
    "describe",
    "finish_status",
    "honest_report",
    "not_done",
    "record_uncovered",
    "refused_part",
    "uncovered_record",
]

_ORCHESTRATOR_IDLE = (
    "the orchestrator only coordinates, and it handed no part of the goal to any role: "
    "no role covers it"
)


def uncovered_record(part: UncoveredPart) -> UncoveredRecord:
    """An agent's uncovered part as the state stores it."""
    return UncoveredRecord(
        text=part.text,
        closest=[CandidateRecord(slug=c.slug, score=c.score) for c in part.closest],
        reason=part.reason,
    )


def honest_report(report: AgentReport, mode: Mode, goal: str, *, first_turn: bool) -> AgentReport:
    """The report with what it leaves undone made explicit.

    - `UNASSIGNED` with no part named: the whole goal is the part.
    - The built-in orchestrator completing its first turn with no handoff and no
      uncovered part: `UNASSIGNED`, the whole goal uncovered (it does no work).
    """
    if report.status is ReportStatus.UNASSIGNED and not report.uncovered:
        reason = report.summary or "no reachable role covers it"
        return report.model_copy(update={"uncovered": (UncoveredPart(text=goal, reason=reason),)})
    if (
        first_turn
        and is_builtin_orchestrator(mode)
        and report.status is ReportStatus.COMPLETED
        and not report.handoffs
        and not report.uncovered
    ):
        return report.model_copy(
            update={
                "status": ReportStatus.UNASSIGNED,
                "outcome": "Unassigned",
                "summary": f"Not done: {_ORCHESTRATOR_IDLE}.",
                "uncovered": (UncoveredPart(text=goal, reason=_ORCHESTRATOR_IDLE),),
            }
        )
    return report


def refused_part(goal: str, target: str, reason: str) -> UncoveredRecord:
    """The goal of a refused handoff, as a part that may end up not done."""
    return UncoveredRecord(
        text=goal,
        closest=[],
        reason=f"it was handed to {target}, and the handoff was refused: {reason}",
    )


def not_done(rec: SubtaskRecord) -> list[UncoveredRecord]:
    """The parts of a finished subtask's own goal that were not done."""
    parts = list(rec.get("uncovered", []))
    if not rec["children"]:
        parts.extend(rec.get("refused_parts", []))
    unique: dict[str, UncoveredRecord] = {}
    for part in parts:
        unique.setdefault(part["text"], part)
    return list(unique.values())


def finish_status(
    rec: SubtaskRecord, subtasks: Mapping[str, SubtaskRecord]
) -> tuple[SubtaskStatus, list[str]]:
    """How a subtask whose role finished ends, and why (empty when completed)."""
    why = [f"not covered: {_quote(p['text'])}" for p in not_done(rec)]
    for child_id in rec["children"]:
        child = subtasks[child_id]
        if child["status"] != SubtaskStatus.COMPLETED.value:
            why.append(f"{child['role']} ({child_id}) ended {child['status']}")
    return (SubtaskStatus.INCOMPLETE if why else SubtaskStatus.COMPLETED), why


def record_uncovered(
    recorder: Recorder, rec: SubtaskRecord, parts: Sequence[UncoveredRecord]
) -> list[EventRecord]:
    """Add the parts not yet on `rec` to its `uncovered`, each a journal entry and an event.

    Entry ids are `uncovered:<n>`, so a journal node that runs again writes none twice.
    """
    events: list[EventRecord] = []
    for part in parts:
        known = rec.get("uncovered", [])
        if any(p["text"] == part["text"] for p in known):
            continue
        rec["uncovered"] = [*known, part]
        text = describe(part)
        recorder.entry(rec["id"], f"uncovered:{len(known) + 1}", EntryKind.UNCOVERED, text)
        events.append(
            EventRecord(kind="uncovered", subtask=rec["id"], role=rec["role"], target="", text=text)
        )
    return events


def describe(part: Mapping[str, object]) -> str:
    """One line for a part not done: the part, the closest roles and scores, the reason.

    `'Compose a wedding speech' — closest: docs-writer 0.21, code 0.05 — no role's
    profile matches it`.
    """
    text = f"{_quote(str(part['text']))}"
    closest = part.get("closest") or []
    if isinstance(closest, Sequence) and closest:
        names = ", ".join(f"{c['slug']} {float(c['score']):.2f}" for c in closest)
        text += f" — closest: {names}"
    reason = str(part.get("reason") or "")
    return f"{text} — {reason}" if reason else text


def _quote(text: str, width: int = 120) -> str:
    flat = " ".join(text.split())
    short = flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
    return repr(short)

"""Role turns, and what every node of one compiled coordinator shares.

A *turn* (`make_turn`) is one call of the agent for one subtask: it builds the
`RoleTurn` from a `TurnPayload`, asks the agent, writes the turn's entries to the
journal and returns the state update that holds the report (status `reported`).
It decides nothing: routing is `router._Pass`'s job, and `steps` says where a turn
runs (inline in its role's node, or sent in parallel with others). The agent call
is the one step with effects outside the journal, kept apart so that an engine can
run it elsewhere (a Temporal activity). Each turn runs inside a `command_scope`, so
commands the role's tools defer to a person land on the subtask record (see
`command_gate`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from modegraph.agents.protocol import (
    Agent,
    AgentReport,
    AllowedTarget,
    ChildResult,
    Preparing,
    ReportStatus,
    RoleTurn,
)
from modegraph.coordinator.command_gate import (
    CommandScope,
    command_decisions,
    command_scope,
    pending_commands,
)
from modegraph.coordinator.outcomes import honest_report
from modegraph.coordinator.policy import Policy
from modegraph.coordinator.recorder import Recorder
from modegraph.coordinator.records import new_state, report_record
from modegraph.coordinator.routing import Routes
from modegraph.coordinator.state import (
    EventKind,
    EventRecord,
    SubtaskRecord,
    SubtaskStatus,
    TurnPayload,
)
from modegraph.errors import BudgetExceeded, RunError, SetupError
from modegraph.journal.model import EntryKind
from modegraph.modes.model import Mode

__all__ = ["JOURNAL_NODE", "Runtime", "Turn", "event", "make_turn", "new_state"]

JOURNAL_NODE = "journal"
"""Name of the journal node (no mode slug may take it)."""


@dataclass(frozen=True)
class Runtime:
    """What the nodes of one compiled coordinator share."""

    routes: Routes
    """The escalation graph's edges."""
    agent: Agent
    """The agent every role uses."""
    policy: Policy
    """The run's guards."""
    recorder: Recorder
    """Where journal entries go."""
    nodes: frozenset[str]
    """Slugs that have a role node."""


def event(kind: EventKind, rec: SubtaskRecord, text: str, target: str = "") -> EventRecord:
    """An event about `rec` for live progress."""
    return EventRecord(kind=kind, subtask=rec["id"], role=rec["role"], target=target, text=text)


# -- role turns ----------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """One role's turn: the agent called for one subtask, sync or async.

    Each returns the state update of the turn: the subtask `reported` with the
    agent's report, and what the turn spent.
    """

    run: Callable[[TurnPayload], dict[str, Any]]
    """Run the turn (`Agent.run`)."""
    arun: Callable[[TurnPayload], Awaitable[dict[str, Any]]]
    """Run the turn asynchronously (`Agent.arun`)."""


def make_turn(runtime: Runtime, slug: str) -> Turn:
    """The turn of the role `slug`."""
    mode = runtime.routes.catalog[slug]
    allowed = _allowed(runtime, mode)

    def turn_of(payload: TurnPayload) -> RoleTurn:
        rec = payload["subtask"]
        runtime.recorder.entry(
            rec["id"],
            f"turn:{rec['turns'] + 1}",
            EntryKind.STARTED if rec["turns"] == 0 else EntryKind.NOTE,
            f"{slug} takes turn {rec['turns'] + 1}: {rec['goal']}",
        )
        return RoleTurn(
            task_id=payload["task_id"],
            subtask_id=rec["id"],
            mode=mode,
            goal=rec["goal"],
            context=rec["context"],
            allowed=allowed,
            results=tuple(ChildResult.model_validate(r) for r in payload["results"]),
            refusals=tuple(rec["refusals"]),
            depth=rec["depth"],
            chain=tuple(rec["chain"]),
            commands=tuple(command_decisions(rec.get("commands", []), turn=rec["turns"])),
            llm_calls_left=payload.get("llm_calls_left"),
            tokens_left=payload.get("tokens_left"),
            cost_left=payload.get("cost_left"),
        )

    def update(payload: TurnPayload, report: AgentReport, scope: CommandScope) -> dict[str, Any]:
        rec = payload["subtask"]
        turn = rec["turns"] + 1
        first = rec["turns"] == 0 and not payload["results"]
        report = honest_report(report, mode, rec["goal"], first_turn=first)
        runtime.recorder.entry(rec["id"], f"report:{turn}", EntryKind.NOTE, _report_text(report))
        asked = pending_commands(scope, subtask=rec["id"], turn=turn)
        done = SubtaskRecord(
            **{
                **rec,
                "status": SubtaskStatus.REPORTED.value,
                "turns": turn,
                "report": report_record(report),
                "refusals": [],
                "integrated": len(payload["results"]),
            }
        )
        if report.llm_calls or report.tokens or "llm_calls" in rec:
            done["llm_calls"] = rec.get("llm_calls", 0) + report.llm_calls
            done["tokens"] = rec.get("tokens", 0) + report.tokens
        if report.cost or "cost" in rec:
            done["cost"] = rec.get("cost", 0.0) + report.cost
        if asked or "commands" in rec:
            done["commands"] = [*rec.get("commands", []), *asked]
        # only what the turn spent: a channel written with 0 costs a write for nothing
        spent = {
            key: value
            for key, value in (
                ("llm_calls", report.llm_calls),
                ("tokens", report.tokens),
                ("cost", report.cost),
            )
            if value
        }
        return {
            "subtasks": {rec["id"]: done},
            **spent,
            "events": [event("report", rec, report.summary)],
        }

    def run(payload: TurnPayload) -> dict[str, Any]:
        turn = turn_of(payload)
        with command_scope(payload["subtask"]) as scope:
            try:
                report = runtime.agent.run(turn)
            except SetupError:
                raise
            except RunError as exc:
                report = _failed(exc)
        return update(payload, report, scope)

    async def arun(payload: TurnPayload) -> dict[str, Any]:
        turn = turn_of(payload)
        with command_scope(payload["subtask"]) as scope:
            try:
                report = await runtime.agent.arun(turn)
            except SetupError:
                raise
            except RunError as exc:
                report = _failed(exc)
        return update(payload, report, scope)

    return Turn(run=run, arun=arun)


def _allowed(runtime: Runtime, mode: Mode) -> tuple[AllowedTarget, ...]:
    """Where `mode` may hand work, built once: every turn of the role gets these objects.

    A `Preparing` agent gets them now, to build what the role's turns share.
    """
    allowed = tuple(
        AllowedTarget(mode=runtime.routes.catalog[e.target], kind=e.kind, note=e.note)
        for e in runtime.routes.allowed(mode.slug)
    )
    if isinstance(runtime.agent, Preparing):
        runtime.agent.prepare(mode, allowed)
    return allowed


def _failed(exc: RunError) -> AgentReport:
    """A turn that raised: blocked when its budget ran out (counting what it spent)."""
    if isinstance(exc, BudgetExceeded):
        return AgentReport(
            status=ReportStatus.BLOCKED,
            summary=f"guard: {exc}",
            outcome="Blocked",
            llm_calls=exc.llm_calls,
            tokens=exc.tokens,
            cost=exc.cost,
        )
    return AgentReport(status=ReportStatus.FAILED, summary=str(exc), outcome="Failed")


def _report_text(report: AgentReport) -> str:
    lines = [report.summary]
    lines.extend(f"- {note}" for note in report.notes)
    if report.llm_calls or report.tokens:
        cost = f", ${report.cost:.6f}" if report.cost else ""
        lines.append(f"({report.llm_calls} LLM call(s), {report.tokens} tokens{cost})")
    return "\n".join(lines)

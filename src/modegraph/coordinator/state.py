"""The coordinator's state: a tree of subtasks, the refused handoffs, the spend.

The state holds plain JSON-like values only (TypedDicts of strings, numbers and
lists), so any checkpointer can store it. Several role nodes run in one superstep
(parallel handoffs); every key they may write has a reducer:

- `subtasks` merges by subtask id: a role node writes only the subtask it works
  on, so parallel branches never write the same id;
- `llm_calls`, `tokens` and `cost` add up;
- `refused` and `events` append;
- `blocked` keeps the first guard that tripped.
"""

from __future__ import annotations

import operator
from enum import StrEnum
from typing import Annotated, Any, Literal, NotRequired, TypedDict

from modegraph.modes.model import EdgeKind

__all__ = [
    "TERMINAL",
    "CandidateRecord",
    "CommandRecord",
    "CommandStatus",
    "CoordinatorState",
    "EdgeKindValue",
    "EventKind",
    "EventRecord",
    "RefusalRecord",
    "ReportStatusValue",
    "SubtaskKind",
    "SubtaskRecord",
    "SubtaskStatus",
    "SubtaskStatusValue",
    "TurnPayload",
    "UncoveredRecord",
    "edge_kind_value",
    "first_reason",
    "merge_subtasks",
]


class SubtaskStatus(StrEnum):
    """Where a subtask stands."""

    PENDING = "pending"
    """Created; its role has not had a turn yet."""
    RUNNING = "running"
    """Sent to its role node."""
    REPORTED = "reported"
    """Its role reported; the journal node has not routed the report yet."""
    WAITING = "waiting"
    """Waiting for its children (or for approval of its handoffs)."""
    RETRY = "retry"
    """Its handoffs were refused; the role gets another turn to learn why."""
    COMPLETED = "completed"
    """Done."""
    BLOCKED = "blocked"
    """Stopped by a guard, a rejection or the role itself."""
    FAILED = "failed"
    """The role's agent failed."""
    UNASSIGNED = "unassigned"
    """No role covers its goal: its role neither did any of it nor could hand it on."""
    INCOMPLETE = "incomplete"
    """Its role finished, but part of its goal was not done: a part no reachable role
    covers, a handoff that was refused (and nothing else went ahead), or a handoff
    that ended failed, blocked, unassigned or incomplete."""


SubtaskStatusValue = Literal[
    "pending",
    "running",
    "reported",
    "waiting",
    "retry",
    "completed",
    "blocked",
    "failed",
    "unassigned",
    "incomplete",
]
"""A `SubtaskStatus` as the state stores it (plain JSON string)."""

EdgeKindValue = Literal["delegate", "escalate"]
"""An `EdgeKind` as the state stores it."""

SubtaskKind = Literal["entry", "delegate", "escalate"]
"""How a subtask came to be: the root (`entry`) or along an edge of that kind."""

ReportStatusValue = Literal["completed", "blocked", "failed", "unassigned"]
"""A `ReportStatus` as the state stores it."""

CommandStatus = Literal["pending", "approved", "rejected"]
"""Where a command that needs approval stands."""


def edge_kind_value(kind: EdgeKind) -> EdgeKindValue:
    """The stored form of a handoff's edge kind.

    Raises:
        ValueError: `kind` is not a handoff kind (a `report` edge).
    """
    if kind is EdgeKind.DELEGATE:
        return "delegate"
    if kind is EdgeKind.ESCALATE:
        return "escalate"
    raise ValueError(f"a handoff never goes along a {kind.value} edge")


TERMINAL = frozenset(
    {
        SubtaskStatus.COMPLETED,
        SubtaskStatus.BLOCKED,
        SubtaskStatus.FAILED,
        SubtaskStatus.UNASSIGNED,
        SubtaskStatus.INCOMPLETE,
    }
)
"""Statuses a subtask never leaves."""


class HandoffRecord(TypedDict):
    """A handoff a role asked for, as stored in the state."""

    target: str
    """Slug of the target role."""
    goal: str
    """What the target should do."""
    reason: str
    """Why this target."""


class CandidateRecord(TypedDict):
    """A role considered for an uncovered part, with its routing score."""

    slug: str
    """The role."""
    score: float
    """Its score for the part (0 = no match)."""


class UncoveredRecord(TypedDict):
    """A part of a goal that no role took: it was not done."""

    text: str
    """The part, as written."""
    closest: list[CandidateRecord]
    """The best-scoring roles for it, best first (none reached the threshold)."""
    reason: str
    """Why it is not covered."""


class ReportRecord(TypedDict):
    """A role's report, as stored until the journal node routes it."""

    status: ReportStatusValue
    """completed, blocked, failed or unassigned (`ReportStatus`)."""
    summary: str
    """What the role did or will do."""
    outcome: str
    """Success, Partial, ..."""
    references: list[str]
    """Files created or modified."""
    handoffs: list[HandoffRecord]
    """Requested handoffs, not yet checked."""
    notes: list[str]
    """The agent's explanations."""
    uncovered: NotRequired[list[UncoveredRecord]]
    """Parts of the goal neither the role nor any allowed target covers (absent: none)."""


class PendingApproval(TypedDict):
    """A handoff that waits for a person's approval."""

    id: str
    """Stable id: `<subtask id>:approval:<turn>:<n>`."""
    target: str
    """Slug of the target role."""
    goal: str
    """What the target should do."""
    reason: str
    """Why the role asked for it."""
    kind: EdgeKindValue
    """delegate or escalate."""


class CommandRecord(TypedDict):
    """A command a role asked to run that needs a person's approval (not allowlisted)."""

    id: str
    """Stable id: `<subtask id>:command:<turn>:<n>`."""
    command: str
    """The command line (an argv list joined with shell quoting)."""
    cwd: str
    """Working directory relative to the workspace."""
    turn: int
    """The role's turn that asked for it."""
    status: CommandStatus
    """pending, approved or rejected."""
    reason: str
    """Why a person rejected it (empty otherwise)."""


class SubtaskRecord(TypedDict):
    """One node of the task tree."""

    id: str
    """Journal task id of the subtask (the root's is the task id)."""
    parent: str | None
    """Id of the subtask that handed this one over; None for the root."""
    role: str
    """Slug of the role that works on it."""
    goal: str
    """What the role should do."""
    context: str
    """Context from the requesting role."""
    reason: str
    """Why it was handed to this role (empty for the root)."""
    kind: SubtaskKind
    """Edge kind it came along: delegate, escalate, or `entry` for the root."""
    depth: int
    """0 for the root."""
    chain: list[str]
    """Slugs from the root's role to this one (this one last)."""
    status: SubtaskStatusValue
    """A `SubtaskStatus` value."""
    summary: str
    """What the role reported last."""
    outcome: str
    """The role's outcome word."""
    references: list[str]
    """Files the role (and its children) created or modified."""
    children: list[str]
    """Ids of the subtasks handed over from this one, in order."""
    turns: int
    """Turns the role has had on this subtask."""
    refusals: list[str]
    """Refusals to tell the role on its next turn."""
    integrated: int
    """How many children's results the role has seen."""
    report: ReportRecord | None
    """The last report, until the journal node routes it."""
    approvals: list[PendingApproval]
    """Handoffs waiting for approval."""
    blocked_reason: str
    """Why the subtask ended blocked or failed."""
    commands: NotRequired[list[CommandRecord]]
    """Commands that needed a person's approval, with the decisions (absent: none)."""
    llm_calls: NotRequired[int]
    """LLM calls the role's turns on this subtask cost (absent: none)."""
    tokens: NotRequired[int]
    """Tokens the role's turns on this subtask used (absent: none)."""
    notes: NotRequired[list[str]]
    """The agent's explanations on its first turn: where each part went and why, with
    the scores (absent: none)."""
    uncovered: NotRequired[list[UncoveredRecord]]
    """Parts of its goal no role covers, as its agent reported them (absent: none)."""
    refused_parts: NotRequired[list[UncoveredRecord]]
    """Goals of its handoffs that were refused; they count as not done when nothing
    else of the subtask was handed on (absent: none)."""
    cost: NotRequired[float]
    """What the role's turns on this subtask cost (absent: nothing, or no prices)."""


class RefusalRecord(TypedDict):
    """A refused handoff (`--json`'s `refused` items)."""

    subtask: str
    """Id of the subtask that asked."""
    source: str
    """Slug of the role that asked."""
    target: str
    """The target as the role named it."""
    reason: str
    """Why it was refused."""
    guard: bool
    """True when a guard refused it (the run ends blocked)."""


EventKind = Literal[
    "turn", "report", "handoff", "refused", "approved", "rejected", "done", "uncovered"
]
"""What an `EventRecord` tells."""


class EventRecord(TypedDict):
    """One thing that happened, for live progress and the route."""

    kind: EventKind
    """What happened (`EventKind`)."""
    subtask: str
    """The subtask it happened to."""
    role: str
    """The role concerned."""
    target: str
    """The target role for handoff and refused events, else empty."""
    text: str
    """A short human description (the reason, the summary)."""
    status: NotRequired[str]
    """For `done`: the status the subtask ended with (`SubtaskStatus` value)."""


class TurnPayload(TypedDict):
    """One turn of a role: what a node runs inline, or sends (the argument of a `Send`)."""

    task_id: str
    """The root task's id."""
    subtask: SubtaskRecord
    """The subtask the role works on."""
    results: list[dict[str, Any]]
    """Children's results (`ChildResult` dicts) for an integration turn."""
    llm_calls_left: NotRequired[int | None]
    """The turn's share of the LLM call budget (None: no limit)."""
    tokens_left: NotRequired[int | None]
    """The turn's share of the token budget (None: no limit)."""
    cost_left: NotRequired[float | None]
    """The turn's share of the cost budget (None: no limit)."""
    rendezvous: NotRequired[str]
    """The node the turn's group meets at when all have reported (absent: the journal
    node)."""


def merge_subtasks(
    left: dict[str, SubtaskRecord], right: dict[str, SubtaskRecord]
) -> dict[str, SubtaskRecord]:
    """Reducer for `subtasks`: the update wins per subtask id."""
    return {**left, **right}


def latest(left: str, right: str) -> str:
    """Reducer for `next_solo`: the last write wins (the turns of a group write alike)."""
    return right


def first_reason(left: str, right: str) -> str:
    """Reducer for `blocked`: the first guard that tripped stays the reason."""
    return left or right


class CoordinatorState(TypedDict, total=False):
    """The state of one run."""

    task_id: str
    """The root task's id, also the checkpoint thread id."""
    goal: str
    """The task's goal."""
    entry: str
    """Slug of the entry role."""
    root: str
    """Id of the root subtask (equal to `task_id`)."""
    subtasks: Annotated[dict[str, SubtaskRecord], merge_subtasks]
    """The task tree, by subtask id."""
    refused: Annotated[list[RefusalRecord], operator.add]
    """Every refused handoff."""
    events: Annotated[list[EventRecord], operator.add]
    """What happened, in order."""
    llm_calls: Annotated[int, operator.add]
    """LLM calls spent so far."""
    tokens: Annotated[int, operator.add]
    """Tokens spent so far."""
    cost: Annotated[float, operator.add]
    """Money spent so far (0 without prices)."""
    blocked: Annotated[str, first_reason]
    """The first guard that tripped, or empty."""
    guard: Annotated[str, first_reason]
    """Name of that guard (a `Guard` value), or empty."""
    finished: bool
    """True once the root task is closed and the results are merged."""
    next_solo: Annotated[str, latest]
    """The node that runs alone in the next step, by name; empty when the next step
    runs turns sent together, or none. A run started again from this state (an engine
    continuing it as a new run) starts there (`steps.start`)."""
    settings: dict[str, Any]
    """How the run was started (entry, policy, mode sources, model), for `resume`."""

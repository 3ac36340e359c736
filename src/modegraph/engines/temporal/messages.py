"""What crosses the wire between client, workflow and activities (pydantic, JSON).

Everything here is small on purpose: Temporal keeps every workflow input, activity
input and result in the task's history, and refuses a payload over 2 MiB (it warns
past 512 KiB). So large things go by reference: a role turn names its mode and its
allowed targets by slug, and the worker takes them from its own catalog, which has
the digest the task was started with (`catalog_digest`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from modegraph._model import FrozenModel
from modegraph.agents.protocol import AgentReport
from modegraph.coordinator.approvals import ApprovalRequest
from modegraph.coordinator.result import RunResult
from modegraph.engines.temporal.journal_ops import JournalOp
from modegraph.modes.model import EdgeKind
from modegraph.tools.permissions import CommandRequest

__all__ = [
    "AllowedRef",
    "JournalBatch",
    "JournalWritten",
    "TaskInput",
    "TaskOutput",
    "TaskView",
    "Timeouts",
    "TurnFailure",
    "TurnRecord",
    "TurnReply",
    "TurnRequest",
]


class Timeouts(FrozenModel):
    """How long a role turn may take, and how soon a lost worker is noticed (seconds)."""

    heartbeat: float = Field(default=10.0, gt=0)
    """A turn's worker heartbeats twice as often as this; a turn whose worker fell
    silent for this long is retried on another worker."""
    turn: float = Field(default=3600.0, gt=0)
    """The longest one attempt of a role turn may run."""
    journal: float = Field(default=60.0, gt=0)
    """The longest one journal write may run."""


class TurnRecord(FrozenModel):
    """Where a role turn ran."""

    subtask: str
    """The subtask's id."""
    role: str
    """The role's slug."""
    worker: str
    """The worker's identity (`pid@host`)."""
    attempt: int
    """1 for the first attempt; more when a worker was lost or refused the turn."""


class TaskInput(FrozenModel):
    """The input of a task's workflow (workflow id = task id)."""

    task_id: str
    """The root task's id."""
    goal: str
    """What the task should achieve."""
    entry: str
    """Slug of the entry role."""
    reason: str = ""
    """Why the entry role got the task (the entry rule), for the journal."""
    settings: dict[str, Any]
    """The run's `RunSettings` (policy, model, workspace, edges, ...), as JSON."""
    catalog_digest: str
    """`catalog_digest` of the catalog the task was started with."""
    task_queue: str
    """The queue of the task's workflow and role turns."""
    journal_queue: str
    """The queue of the journal writes."""
    timeouts: Timeouts = Field(default_factory=Timeouts)
    """Role turn and journal write timeouts."""
    history_limit: int = Field(default=10_000, ge=1)
    """Continue as a new run (same workflow id) once the history holds this many
    events, or when Temporal suggests it."""
    state: dict[str, Any] | None = None
    """A continued run: the coordinator's state where the previous run stopped."""
    stop: int | None = None
    """A continued run: the recursion limit's last step, counted from `state`."""
    events: list[dict[str, Any]] = Field(default_factory=list)
    """A continued run: the events so far (for `TaskView`)."""
    turns: list[TurnRecord] = Field(default_factory=list)
    """A continued run: the turns so far."""
    journal: str | None = None
    """A continued run: the root task's file, as the journal worker named it."""
    runs: int = Field(default=1, ge=1)
    """Which run of the workflow this is (1, then one more per continue-as-new)."""


class AllowedRef(FrozenModel):
    """An allowed target of a role turn, by reference."""

    slug: str
    """The target mode."""
    kind: EdgeKind
    """delegate or escalate."""
    note: str | None = None
    """The note on the edge."""


class TurnRequest(FrozenModel):
    """The input of the `role_turn` activity: a `RoleTurn` with its modes by slug."""

    catalog_digest: str
    """The task's catalog; a worker with another refuses the turn."""
    settings: dict[str, Any]
    """The run's `RunSettings` (which agent: the rule agent or `--model`)."""
    mode: str
    """Slug of the role taking the turn."""
    allowed: list[AllowedRef]
    """Where the role may hand work."""
    turn: dict[str, Any]
    """The rest of the `RoleTurn`, as JSON."""
    approved_commands: list[tuple[str, str]] = Field(default_factory=list)
    """(command, cwd) pairs a person approved for this subtask."""


class TurnFailure(FrozenModel):
    """A role turn that raised one of modegraph's run errors (the role node decides)."""

    error: str
    """The error's class name in `modegraph.errors` (`BudgetExceeded`, ...)."""
    message: str
    """Its message."""
    llm_calls: int = 0
    """What the turn spent before it stopped (`BudgetExceeded`)."""
    tokens: int = 0
    """Tokens it used."""


class TurnReply(FrozenModel):
    """The result of the `role_turn` activity."""

    report: AgentReport | None = None
    """The agent's report, unless the turn failed."""
    failure: TurnFailure | None = None
    """The run error the turn raised, if it did."""
    asked: list[CommandRequest] = Field(default_factory=list)
    """Commands the turn asked to run that need a person's approval."""
    worker: str
    """The worker that ran it."""
    attempt: int
    """Which attempt this was."""


class JournalBatch(FrozenModel):
    """The input of the `journal_write` activity: recorded writes of one task."""

    task_id: str
    """The root task (for the result's path)."""
    ops: list[JournalOp]
    """The writes, in order."""


class JournalWritten(FrozenModel):
    """The result of the `journal_write` activity."""

    path: str
    """The root task's file, as the journal worker sees it (absolute)."""
    changed: int
    """How many ops changed a file (a retried batch changes none)."""
    worker: str
    """The worker that wrote it."""


class TaskView(FrozenModel):
    """What the `view` query tells a client following a task."""

    status: Literal["running", "waiting", "finished"]
    """finished: the result is final; waiting: approvals wait for an answer."""
    events: list[dict[str, Any]]
    """Events from the index asked for on."""
    total: int
    """How many events the task has had."""
    approvals: list[ApprovalRequest] = Field(default_factory=list)
    """The requests waiting for an answer (status waiting)."""
    result: RunResult | None = None
    """The result so far (status waiting or finished)."""


class TaskOutput(FrozenModel):
    """The result of a task's workflow."""

    result: RunResult
    """The run's result, as a local run returns it."""
    events: list[dict[str, Any]]
    """Every event, in order."""
    turns: list[TurnRecord]
    """Where each role turn ran."""
    runs: int = 1
    """How many runs the workflow took (more than one: it continued as new)."""

"""The small protocol every agent implements (rule agent, chat agent, scripted).

This module holds plain pydantic models and Protocols only: no LangGraph, so
agents can be written and tested without a graph.

An agent may also be `Preparing`: the coordinator then calls its `prepare` once per
role when it is compiled, with what every turn of that role will be given (the mode
and its allowed targets), so the agent can build what those turns share (a chat
model's tool schemas, the fixed part of a prompt) before any run starts.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol, runtime_checkable

from pydantic import Field

from modegraph._model import FrozenModel
from modegraph.modes.model import EdgeKind, Mode

__all__ = [
    "Agent",
    "AgentReport",
    "AllowedTarget",
    "Candidate",
    "ChildResult",
    "CommandDecision",
    "HandoffRequest",
    "Preparing",
    "ReportStatus",
    "RoleTurn",
    "UncoveredPart",
]


class ReportStatus(StrEnum):
    """How a role's turn ended."""

    COMPLETED = "completed"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNASSIGNED = "unassigned"
    """The role could neither do any of its goal nor hand any of it on: no role covers it."""


class AllowedTarget(FrozenModel):
    """A role the current role may hand work to, as the escalation graph allows."""

    mode: Mode
    """The target mode."""
    kind: EdgeKind
    """delegate or escalate."""
    note: str | None = None
    """The note on the edge (`For complex database design issues`)."""


class ChildResult(FrozenModel):
    """The result of a handoff, returned to the role that asked (the boomerang)."""

    subtask_id: str
    """Id of the child subtask."""
    role: str
    """Slug of the role that did it."""
    goal: str
    """What it was asked to do."""
    status: ReportStatus
    """How it ended."""
    summary: str
    """What it reported."""
    references: tuple[str, ...] = ()
    """Files it created or modified."""


class CommandDecision(FrozenModel):
    """A person's decision on a command the role asked to run in its previous turn."""

    command: str
    """The command line."""
    cwd: str = "."
    """Working directory relative to the workspace."""
    approved: bool
    """True: the command may run now (for the rest of the subtask)."""
    reason: str = ""
    """Why it was rejected."""


class RoleTurn(FrozenModel):
    """Everything an agent is told when a role gets a turn."""

    task_id: str
    """Id of the root task."""
    subtask_id: str
    """Id of the subtask this turn works on."""
    mode: Mode
    """The role taking the turn."""
    goal: str
    """The subtask's goal."""
    context: str = ""
    """Context from the requesting role (why it was handed over)."""
    allowed: tuple[AllowedTarget, ...] = ()
    """Where this role may hand work, and nowhere else."""
    results: tuple[ChildResult, ...] = ()
    """Results of earlier handoffs; non-empty on an integration turn."""
    refusals: tuple[str, ...] = ()
    """Why earlier handoffs of this subtask were refused."""
    depth: int = 0
    """0 for the root subtask."""
    chain: tuple[str, ...] = ()
    """Slugs of the roles from the root to this one (this one last)."""
    commands: tuple[CommandDecision, ...] = ()
    """Decisions on commands that awaited a person's approval after the previous turn."""
    llm_calls_left: int | None = None
    """LLM calls this turn may make at most (its share of the run's budget); None: no
    limit. An agent that would need another call stops and raises `BudgetExceeded`."""
    tokens_left: int | None = None
    """Tokens this turn may use at most (its share of the run's budget); None: no limit.
    An agent checks it before each call: once reached, it makes no further call."""
    cost_left: float | None = None
    """Money (in the currency of `modegraph.yaml`'s `prices:`) this turn may spend at
    most (its share of `--max-cost`); None: no limit. Checked like `tokens_left`."""


class HandoffRequest(FrozenModel):
    """A role's request to hand part of its work to another role."""

    target: str
    """Slug of the target role."""
    goal: str
    """What the target should do."""
    reason: str = ""
    """Why this target (what matched, or the model's reason)."""


class Candidate(FrozenModel):
    """A role considered for a part of a goal, with its routing score."""

    slug: str
    """The role."""
    score: float
    """How well its profile matched the part (the rule agent's score; 0 = not at all)."""


class UncoveredPart(FrozenModel):
    """A part of a goal that no reachable role covers: it is not done, and says so."""

    text: str
    """The part of the goal, as written."""
    closest: tuple[Candidate, ...] = ()
    """The best-scoring roles for it, best first (none reached the threshold)."""
    reason: str = ""
    """Why it is uncovered, in words."""


class AgentReport(FrozenModel):
    """What a role's agent reports at the end of its turn."""

    status: ReportStatus = ReportStatus.COMPLETED
    """How the turn ended."""
    summary: str
    """What was done, or what will be done with the kept work."""
    outcome: str = ""
    """One word or phrase: Success, Partial, ..."""
    references: tuple[str, ...] = ()
    """Files created or modified."""
    handoffs: tuple[HandoffRequest, ...] = ()
    """Work to hand on; the coordinator checks each against the escalation graph."""
    llm_calls: int = 0
    """LLM calls this turn cost."""
    tokens: int = 0
    """Tokens this turn used (input + output)."""
    cost: float = 0.0
    """What this turn's model calls cost, from `modegraph.yaml`'s `prices:` (0 for a
    model without a price)."""
    notes: tuple[str, ...] = Field(default=())
    """Explanations (e.g. why the rule agent chose each target)."""
    uncovered: tuple[UncoveredPart, ...] = ()
    """Parts of the goal that neither this role nor any allowed target covers."""


@runtime_checkable
class Agent(Protocol):
    """Produces a role's report for one turn. Sync and async."""

    def run(self, turn: RoleTurn) -> AgentReport:
        """Do the turn synchronously."""
        ...

    async def arun(self, turn: RoleTurn) -> AgentReport:
        """Do the turn asynchronously."""
        ...


@runtime_checkable
class Preparing(Protocol):
    """An agent that builds what a role's turns share once, when the coordinator is compiled."""

    def prepare(self, mode: Mode, allowed: tuple[AllowedTarget, ...]) -> None:
        """Get ready for the turns of `mode`, which may hand work to `allowed`.

        Called once per role of a compiled coordinator, before any run. What it builds
        must depend on its arguments alone (turns given other ones build anew), so
        that no run behaves differently for it.
        """
        ...

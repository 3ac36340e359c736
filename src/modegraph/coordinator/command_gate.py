"""Commands that need a person's approval, asked through the coordinator, not inside a tool.

A command that `commands.allow` in `modegraph.yaml` does not match needs a person's
approval (unless the run has `--yes`). Asking from inside the tool would mean
calling LangGraph's `interrupt()` inside a tool call inside a role node; on resume
LangGraph runs that node again from its start, so the chat agent would call the
LLM again for work it already did. Instead:

1. The role's `run_command` tool is given an `ApprovalGate` as its approver. For a
   command that is not allowlisted, and not yet approved for this subtask, the gate
   records a request and refuses with a `ToolRefused` telling the model the command
   awaits a person's approval and that its next turn brings the decision. The
   model carries on (or ends its turn) without having run the command.
2. The role node puts the turn's requests on the subtask record
   (`SubtaskRecord.commands`, status `pending`).
3. The journal node routes the report: the subtask waits, and the requests join
   the handoff approvals in the one `interrupt()` the journal node raises. On
   resume only the journal node runs again, and it calls no LLM.
4. Approved: the command goes on the subtask's own allowlist and the role gets a
   turn told so (`RoleTurn.commands`); when it runs the command, the gate lets it
   through. Rejected: the role gets a turn told why.

The gate learns which subtask a tool call belongs to from a context variable the
role node sets around each agent turn (`command_scope`), so parallel turns, sync
or async, keep their requests apart.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from modegraph.agents.protocol import CommandDecision
from modegraph.coordinator.state import CommandRecord, SubtaskRecord
from modegraph.errors import ToolRefused
from modegraph.tools.permissions import CommandRequest

__all__ = [
    "APPROVED",
    "PENDING",
    "REJECTED",
    "ApprovalGate",
    "CommandScope",
    "command_decisions",
    "command_scope",
    "current_scope",
    "pending_commands",
]

PENDING: Final = "pending"
"""`CommandRecord.status` of a command waiting for a person."""
APPROVED: Final = "approved"
"""`CommandRecord.status` of a command a person approved (allowed for the subtask)."""
REJECTED: Final = "rejected"
"""`CommandRecord.status` of a command a person rejected."""

_SCOPE: contextvars.ContextVar[CommandScope | None] = contextvars.ContextVar(
    "modegraph_command_scope", default=None
)


@dataclass
class CommandScope:
    """The commands of one role turn: those approved before, those asked for now."""

    approved: frozenset[tuple[str, str]]
    """(command, cwd) pairs a person approved for this subtask."""
    asked: list[CommandRequest] = field(default_factory=list)
    """Commands this turn asked for that need approval, in order, without repeats."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(self, request: CommandRequest) -> None:
        """Remember `request` (once) as waiting for approval."""
        with self._lock:
            key = (request.command, request.cwd)
            if all((r.command, r.cwd) != key for r in self.asked):
                self.asked.append(request)


@contextmanager
def command_scope(record: SubtaskRecord) -> Iterator[CommandScope]:
    """Set the command scope of one turn on `record` while the agent works.

    Args:
        record: The subtask the turn works on.

    Yields:
        The scope; its `asked` list holds the turn's requests afterwards.
    """
    approved = frozenset(
        (c["command"], c["cwd"]) for c in record.get("commands", []) if c["status"] == APPROVED
    )
    scope = CommandScope(approved=approved)
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def current_scope() -> CommandScope | None:
    """The command scope of the role turn running in this context (None outside a turn).

    For an agent that runs the turn elsewhere (the Temporal engine's role-turn
    activity): it sends the approved commands along and adds the commands the remote
    turn asked for to this scope, so the role node records them as if asked here.
    """
    return _SCOPE.get()


class ApprovalGate:
    """The `Approver` for runs without `--yes`: defers a command to a person.

    `approve` returns True for a command a person approved for the current subtask;
    for any other it records the request in the turn's scope and raises
    `ToolRefused` (the tool call fails, the model is told the command awaits
    approval). Outside a coordinator turn there is nobody to ask, and it refuses.
    """

    def approve(self, request: CommandRequest) -> bool:
        """True when a person approved this command for this subtask.

        Raises:
            ToolRefused: the command awaits approval (or cannot be asked about).
        """
        scope = _SCOPE.get()
        if scope is None:
            raise ToolRefused(
                f"command `{request.command}` is not allowlisted and there is no coordinator "
                "run to ask a person about it; add a regex matching it under commands.allow "
                "in modegraph.yaml, or run with --yes"
            )
        if (request.command, request.cwd) in scope.approved:
            return True
        scope.ask(request)
        raise ToolRefused(
            f"command `{request.command}` (in `{request.cwd}`) is not allowlisted in "
            "modegraph.yaml, so it awaits a person's approval and did not run. Do not "
            "call it again in this turn: finish what you can without it and end your turn "
            "(call `complete` saying what waits for the command). The coordinator asks a "
            "person; your next turn tells you whether it was approved (then run it again) "
            "or rejected, and why."
        )

    def __repr__(self) -> str:
        return "ApprovalGate()"


def pending_commands(scope: CommandScope, *, subtask: str, turn: int) -> list[CommandRecord]:
    """The turn's requests as records for the subtask (status pending).

    Args:
        scope: The scope the turn ran in.
        subtask: Id of the subtask.
        turn: The turn's number (1 for the first).

    Returns:
        One record per request, ids `<subtask>:command:<turn>:<n>`.
    """
    return [
        CommandRecord(
            id=f"{subtask}:command:{turn}:{n}",
            command=request.command,
            cwd=request.cwd,
            turn=turn,
            status=PENDING,
            reason="",
        )
        for n, request in enumerate(scope.asked, start=1)
    ]


def command_decisions(commands: Iterable[CommandRecord], *, turn: int) -> list[CommandDecision]:
    """Decisions on the commands asked for in turn `turn` (to tell the role's next turn).

    Args:
        commands: The subtask's command records.
        turn: The number of the turn that asked (the one before the coming turn).

    Returns:
        One decision per approved or rejected command of that turn.
    """
    return [
        CommandDecision(
            command=c["command"],
            cwd=c["cwd"],
            approved=c["status"] == APPROVED,
            reason=c["reason"],
        )
        for c in commands
        if c["turn"] == turn and c["status"] in (APPROVED, REJECTED)
    ]

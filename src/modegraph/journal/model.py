r"""The journal's data: a task record, its entries, its closing block and its results.

Every model is frozen. Text fields are normalised on the way in (``\r\n`` becomes
``\n``, trailing spaces on each line and blank lines around the text are dropped)
so that what is written to a task file reads back equal.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from modegraph._model import FrozenModel
from modegraph.modes.model import EdgeKind

__all__ = [
    "ENTRY_ID_PATTERN",
    "TASK_ID_PATTERN",
    "Closing",
    "Entry",
    "EntryKind",
    "RouteStep",
    "SubtaskResult",
    "TaskRecord",
    "TaskStatus",
    "TaskType",
    "normalise_text",
    "utc",
]

TASK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
"""What a task id may look like: it names a file, so no slash, no space, no leading dot."""

ENTRY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/@+=#-]{0,199}$"
"""What an entry id may look like: it sits in an HTML comment, so no space and no ``>``."""


def normalise_text(value: str) -> str:
    r"""Normalise free text the way the task file stores it.

    Args:
        value: Any text, possibly with Windows line ends and trailing spaces.

    Returns:
        The text with ``\n`` line ends, no trailing spaces on any line and no blank
        lines (or spaces) at its start or end.
    """
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").lstrip(" \t").rstrip()


def utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class TaskStatus(StrEnum):
    """Where a task stands. The front matter shows the MDTM word (`front_matter_word`)."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_APPROVAL = "waiting_approval"
    COMPLETE = "complete"
    BLOCKED = "blocked"
    FAILED = "failed"
    INCOMPLETE = "incomplete"
    """Finished, but part of the goal was not done (no role covers it, or a handoff
    was refused or failed)."""
    UNASSIGNED = "unassigned"
    """No role covers the goal: nothing of it was done."""

    @property
    def front_matter_word(self) -> str:
        """The MDTM-style word written as `status` in the front matter (`🟢 Done`)."""
        return _FRONT_MATTER_WORDS[self]

    @property
    def closing_word(self) -> str:
        """The word of the closing block's `**Status:**` line (`✅ Complete`)."""
        return _CLOSING_WORDS.get(self, _FRONT_MATTER_WORDS[self])

    @property
    def is_final(self) -> bool:
        """True for complete, blocked, failed, incomplete and unassigned."""
        return self in (
            TaskStatus.COMPLETE,
            TaskStatus.BLOCKED,
            TaskStatus.FAILED,
            TaskStatus.INCOMPLETE,
            TaskStatus.UNASSIGNED,
        )

    @classmethod
    def parse(cls, word: str) -> TaskStatus:
        """Read a status written by modegraph, by MDTM, by a person or by an agent report.

        Emoji and case are ignored: `🟢 Done`, `done`, `Complete`, `completed`,
        `✅ Complete`, `in progress`, `In-Progress`, `Error`, `Review` are all understood.

        Raises:
            ValueError: The word names no status; the message lists the known words.
        """
        key = re.sub(r"[^a-z]+", " ", word.lower()).strip()
        if key in _STATUS_WORDS:
            return _STATUS_WORDS[key]
        known = ", ".join(s.value for s in cls)
        raise ValueError(
            f"unknown task status {word!r}; use one of: {known} "
            "(MDTM words such as 'Done', 'To Do' and 'In Progress' work too)"
        )


_FRONT_MATTER_WORDS: dict[TaskStatus, str] = {
    TaskStatus.OPEN: "🟡 To Do",
    TaskStatus.IN_PROGRESS: "🔵 In Progress",
    TaskStatus.WAITING_APPROVAL: "🟣 Awaiting Approval",
    TaskStatus.COMPLETE: "🟢 Done",
    TaskStatus.BLOCKED: "⚪ Blocked",
    TaskStatus.FAILED: "🔴 Failed",
    TaskStatus.INCOMPLETE: "🟠 Incomplete",
    TaskStatus.UNASSIGNED: "⚫ Unassigned",
}
_CLOSING_WORDS: dict[TaskStatus, str] = {
    TaskStatus.COMPLETE: "✅ Complete",
    TaskStatus.BLOCKED: "⚠️ Blocked",
    TaskStatus.FAILED: "❌ Failed",
    TaskStatus.INCOMPLETE: "🟠 Incomplete",
    TaskStatus.UNASSIGNED: "❔ Unassigned",
}
_STATUS_WORDS: dict[str, TaskStatus] = {
    "open": TaskStatus.OPEN,
    "to do": TaskStatus.OPEN,
    "todo": TaskStatus.OPEN,
    "new": TaskStatus.OPEN,
    "in progress": TaskStatus.IN_PROGRESS,
    "started": TaskStatus.IN_PROGRESS,
    "running": TaskStatus.IN_PROGRESS,
    "waiting approval": TaskStatus.WAITING_APPROVAL,
    "awaiting approval": TaskStatus.WAITING_APPROVAL,
    "waiting for approval": TaskStatus.WAITING_APPROVAL,
    "review": TaskStatus.WAITING_APPROVAL,
    "complete": TaskStatus.COMPLETE,
    "completed": TaskStatus.COMPLETE,
    "done": TaskStatus.COMPLETE,
    "success": TaskStatus.COMPLETE,
    "blocked": TaskStatus.BLOCKED,
    "failed": TaskStatus.FAILED,
    "error": TaskStatus.FAILED,
    "incomplete": TaskStatus.INCOMPLETE,
    "partial": TaskStatus.INCOMPLETE,
    "unassigned": TaskStatus.UNASSIGNED,
    "not covered": TaskStatus.UNASSIGNED,
}


class TaskType(StrEnum):
    """A root task or a subtask handed off from another task."""

    TASK = "task"
    SUBTASK = "subtask"


class EntryKind(StrEnum):
    """What happened; one timestamped entry in the task log per event."""

    STARTED = "started"
    HANDOFF = "handoff"
    RESULT = "result"
    REFUSED = "refused"
    APPROVAL_ASKED = "approval_asked"
    APPROVAL_GIVEN = "approval_given"
    APPROVAL_REFUSED = "approval_refused"
    TOOL_REFUSED = "tool_refused"
    NOTE = "note"
    COMPLETED = "completed"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNCOVERED = "uncovered"
    """A part of the goal no role covers (or a task closed with such parts)."""

    @property
    def label(self) -> str:
        """The bold label shown in the file (`Handed off`)."""
        return _ENTRY_LABELS[self][1]

    @property
    def emoji(self) -> str:
        """The emoji shown before the label."""
        return _ENTRY_LABELS[self][0]


_ENTRY_LABELS: dict[EntryKind, tuple[str, str]] = {
    EntryKind.STARTED: ("▶️", "Started"),
    EntryKind.HANDOFF: ("🔀", "Handed off"),
    EntryKind.RESULT: ("📥", "Result received"),
    EntryKind.REFUSED: ("⛔", "Handoff refused"),
    EntryKind.APPROVAL_ASKED: ("✋", "Approval asked"),
    EntryKind.APPROVAL_GIVEN: ("👍", "Approval given"),
    EntryKind.APPROVAL_REFUSED: ("👎", "Approval refused"),
    EntryKind.TOOL_REFUSED: ("🚫", "Tool call refused"),
    EntryKind.NOTE: ("📝", "Note"),
    EntryKind.COMPLETED: ("✅", "Completed"),
    EntryKind.BLOCKED: ("⚠️", "Blocked"),
    EntryKind.FAILED: ("❌", "Failed"),
    EntryKind.UNCOVERED: ("❔", "Not covered"),
}


def _status_from_any(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, TaskStatus):
        try:
            return TaskStatus(value)
        except ValueError:
            return TaskStatus.parse(value)
    return value


class Entry(FrozenModel):
    """One event in a task's log. Its id makes appending it twice a no-op."""

    id: str = Field(pattern=ENTRY_ID_PATTERN)
    """Stable id, unique within the task (e.g. ``handoff:database-specialist:1``)."""
    kind: EntryKind
    """What happened."""
    text: str = ""
    """What to say about it, in Markdown; may span several lines."""
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    """When it happened; stored in UTC (a naive datetime is taken as UTC)."""

    @field_validator("text")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_text(value)

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return utc(value)


class Closing(FrozenModel):
    """The closing block: a `---` rule, then Status, Outcome, Summary and References."""

    status: TaskStatus
    """How the task ended (complete, blocked or failed)."""
    outcome: str = ""
    """One word or phrase: Success, Partial, Refused, ..."""
    summary: str = ""
    """What was done, in Markdown."""
    references: tuple[str, ...] = ()
    """Files created or modified."""

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return _status_from_any(value)

    @field_validator("outcome", "summary")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_text(value)

    @field_validator("references")
    @classmethod
    def _refs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(" ".join(ref.split()) for ref in value if ref.strip())


class SubtaskResult(FrozenModel):
    """One subtask's result, merged into the root task's file."""

    id: str = Field(pattern=TASK_ID_PATTERN)
    """The subtask's id."""
    role: str
    """Slug of the role that did it."""
    goal: str = ""
    """What it was asked to do."""
    status: TaskStatus = TaskStatus.COMPLETE
    """How it ended (an agent's `completed` is read as complete)."""
    outcome: str = ""
    """One word or phrase, if the subtask gave one."""
    summary: str = ""
    """What it reported."""
    references: tuple[str, ...] = ()
    """Files it created or modified."""

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return _status_from_any(value)

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("goal", "outcome", "summary")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_text(value)

    @field_validator("references")
    @classmethod
    def _refs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(" ".join(ref.split()) for ref in value if ref.strip())


class RouteStep(FrozenModel):
    """One handoff of the route a task actually took: an arrow in the route diagram."""

    source: str
    """Slug of the role that handed off."""
    target: str
    """Slug of the role it handed to (or tried to)."""
    reason: str = ""
    """Why; the arrow's label."""
    refused: bool = False
    """True when the coordinator refused the handoff (drawn with a cross at its end)."""
    kind: EdgeKind | None = None
    """The edge it went along (delegate or escalate); None when not known. Any other
    word or kind (the coordinator's `entry`, `report`) is read as None."""

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            return EdgeKind(word) if word in (EdgeKind.DELEGATE, EdgeKind.ESCALATE) else None
        return value

    @field_validator("source", "target")
    @classmethod
    def _slug(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("reason")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_text(value)


class TaskRecord(FrozenModel):
    """A task or subtask as its file holds it: front matter, goal, log, closing, results."""

    id: str = Field(pattern=TASK_ID_PATTERN)
    """Task id, also the file's name (``TASK-FASTAPI-20261127-091500.2``)."""
    title: str
    """Short human title; may hold any character (the heading shows it on one line)."""
    goal: str = ""
    """What the task should achieve, in Markdown."""
    context: str = ""
    """Background: why it was handed over, links, the requesting role's words."""
    status: TaskStatus = TaskStatus.OPEN
    """Where it stands."""
    type: TaskType = TaskType.TASK
    """A root task or a subtask."""
    assigned_to: str = ""
    """Slug of the role doing it."""
    coordinator: str | None = None
    """Id of the parent task that handed it over; None for a root task."""
    created: datetime | None = None
    """When the file was created (UTC); `Journal.create` fills it in when None."""
    updated: datetime | None = None
    """When the file was last written (UTC)."""
    tags: tuple[str, ...] = ()
    """Keywords for searching and filtering."""
    entries: tuple[Entry, ...] = ()
    """The log, in file order."""
    closing: Closing | None = None
    """The closing block, once the task is closed."""
    results: tuple[SubtaskResult, ...] = ()
    """Merged results of the subtasks (root task only)."""
    route: tuple[RouteStep, ...] = ()
    """The route actually taken (root task only)."""
    extra_front_matter: dict[str, Any] = Field(default_factory=dict)
    """Front matter keys modegraph does not use; kept when the file is rewritten."""
    unknown: tuple[str, ...] = ()
    """Body text the parser did not recognise (hand-written), in file order; kept verbatim."""

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return _status_from_any(value)

    @field_validator("title", "goal", "context")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_text(value)

    @field_validator("created", "updated")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else utc(value)

    @field_validator("coordinator")
    @classmethod
    def _coordinator(cls, value: str | None) -> str | None:
        return value or None

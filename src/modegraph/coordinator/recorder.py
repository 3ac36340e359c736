"""Where the coordinator's events land: the Markdown task journal, or nowhere.

Every write names a stable entry id, and opening a task file that exists is a
no-op, so a node that runs again (after a crash, or after an approval stop)
writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from modegraph.coordinator.state import RefusalRecord, SubtaskRecord, SubtaskStatus
from modegraph.journal.model import (
    Entry,
    EntryKind,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    TaskType,
)
from modegraph.modes.model import EdgeKind

__all__ = ["JournalRecorder", "JournalStore", "Recorder"]

_STATUS = {
    SubtaskStatus.COMPLETED.value: TaskStatus.COMPLETE,
    SubtaskStatus.BLOCKED.value: TaskStatus.BLOCKED,
    SubtaskStatus.FAILED.value: TaskStatus.FAILED,
    SubtaskStatus.UNASSIGNED.value: TaskStatus.UNASSIGNED,
    SubtaskStatus.INCOMPLETE.value: TaskStatus.INCOMPLETE,
}


class JournalStore(Protocol):
    """The part of `modegraph.journal.Journal` the coordinator uses."""

    def exists(self, task_id: str) -> bool:
        """True when the task's file exists."""
        ...

    def path(self, task_id: str) -> Path:
        """The task's file."""
        ...

    def create(self, record: TaskRecord) -> object:
        """Write a new task file."""
        ...

    def append(self, task_id: str, entry: Entry) -> bool:
        """Add an entry unless one with its id is there; True when written."""
        ...

    def close(
        self,
        task_id: str,
        *,
        status: TaskStatus,
        outcome: str = "",
        summary: str = "",
        references: Sequence[str] = (),
        entry: Entry | None = None,
    ) -> object:
        """Write the closing block (and the closing entry, in the same write)."""
        ...

    def set_results(
        self,
        task_id: str,
        *,
        results: Sequence[SubtaskResult],
        route: Sequence[RouteStep],
    ) -> object:
        """Merge the subtasks' results and the route into the root task's file."""
        ...


class Recorder:
    """Records nothing: the coordinator without a journal (tests, dry runs)."""

    def open(self, rec: SubtaskRecord, *, root: str) -> None:
        """Create the subtask's file unless it exists."""

    def entry(self, task_id: str, entry_id: str, kind: EntryKind, text: str) -> None:
        """Append an entry unless one with this id is there."""

    def close(self, rec: SubtaskRecord) -> None:
        """Write the subtask's closing block."""

    def finish(
        self, root: str, subtasks: Sequence[SubtaskRecord], refused: Sequence[RefusalRecord]
    ) -> None:
        """Merge every result and the route into the root task's file."""

    def path(self, task_id: str) -> Path | None:
        """The file of a task, or None without a journal."""
        return None


class JournalRecorder(Recorder):
    """Writes every event to a `Journal` (`project_journal/tasks/<TASK-ID>.md`)."""

    def __init__(self, journal: JournalStore) -> None:
        self.journal = journal

    def open(self, rec: SubtaskRecord, *, root: str) -> None:
        """Create the subtask's file unless it exists."""
        if self.journal.exists(rec["id"]):
            return
        is_root = rec["parent"] is None
        context = rec["context"]
        if rec["reason"]:
            context = f"{context}\n\nWhy this role: {rec['reason']}".strip()
        self.journal.create(
            TaskRecord(
                id=rec["id"],
                title=_title(rec["goal"]),
                goal=rec["goal"],
                context=context,
                type=TaskType.TASK if is_root else TaskType.SUBTASK,
                assigned_to=rec["role"],
                coordinator=rec["parent"],
                status=TaskStatus.IN_PROGRESS,
                tags=(rec["role"], rec["kind"]),
            )
        )

    def entry(self, task_id: str, entry_id: str, kind: EntryKind, text: str) -> None:
        """Append an entry unless one with this id is there."""
        self.journal.append(task_id, Entry(id=entry_id, kind=kind, text=text))

    def close(self, rec: SubtaskRecord) -> None:
        """Write the subtask's closing entry and block, in one write."""
        status = _STATUS[rec["status"]]
        closing_entry = Entry(
            id=f"closed:{rec['status']}",
            kind={
                TaskStatus.COMPLETE: EntryKind.COMPLETED,
                TaskStatus.BLOCKED: EntryKind.BLOCKED,
                TaskStatus.INCOMPLETE: EntryKind.UNCOVERED,
                TaskStatus.UNASSIGNED: EntryKind.UNCOVERED,
            }.get(status, EntryKind.FAILED),
            text=rec["blocked_reason"] or rec["outcome"] or rec["status"],
        )
        self.journal.close(
            rec["id"],
            status=status,
            outcome=rec["outcome"] or status.value.replace("_", " ").capitalize(),
            summary=rec["summary"],
            references=tuple(rec["references"]),
            entry=closing_entry,
        )

    def finish(
        self, root: str, subtasks: Sequence[SubtaskRecord], refused: Sequence[RefusalRecord]
    ) -> None:
        """Merge every result and the route into the root task's file."""
        by_id = {s["id"]: s for s in subtasks}
        results = [
            SubtaskResult(
                id=s["id"],
                role=s["role"],
                goal=s["goal"],
                status=_STATUS.get(s["status"], TaskStatus.BLOCKED),
                outcome=s["outcome"],
                summary=s["summary"] or s["blocked_reason"],
                references=tuple(s["references"]),
            )
            for s in subtasks
            if s["parent"] is not None
        ]
        route = [
            RouteStep(
                source=by_id[s["parent"]]["role"],
                target=s["role"],
                reason=s["reason"],
                kind=None if s["kind"] == "entry" else EdgeKind(s["kind"]),
            )
            for s in subtasks
            if s["parent"] is not None
        ]
        route.extend(
            RouteStep(source=r["source"], target=r["target"], reason=r["reason"], refused=True)
            for r in refused
        )
        self.journal.set_results(root, results=results, route=route)

    def path(self, task_id: str) -> Path | None:
        """The file of a task."""
        return self.journal.path(task_id)


def _title(goal: str, width: int = 72) -> str:
    line = " ".join(goal.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"

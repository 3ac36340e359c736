"""The journal of a task that runs as a Temporal workflow: writes recorded, then replayed.

A workflow may not write files: its code runs again whenever a worker replays its
history. So the coordinator inside the workflow gets a `BufferedJournal`: it
implements the coordinator's `JournalStore` by recording each write as a
`JournalOp`, in order. The workflow sends the recorded ops, batch by batch, to the
`journal_write` activity on the journal queue, which replays them on a real
`Journal` (`apply_ops`).

Every op is idempotent on the journal (a task file that exists is kept when it is
this task's, an entry whose id is there is skipped, a closing block or a results
section is replaced by the same one), so an activity retried after a crash, or a
batch applied twice, writes nothing twice. Entry times come from the workflow's
clock (`workflow.now()`, the same on every replay), so a retried batch writes the
same bytes.

Example:
    ```python
    journal = BufferedJournal(clock=workflow.now)
    graph = build_coordinator(catalog=catalog, entry=entry, journal=journal, ...)
    ...
    apply_ops(Journal("project_journal"), journal.take())  # in the activity
    ```
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from modegraph._model import FrozenModel
from modegraph.errors import JournalError
from modegraph.journal.model import Entry, RouteStep, SubtaskResult, TaskRecord, TaskStatus
from modegraph.journal.store import Journal

__all__ = [
    "AppendOp",
    "BufferedJournal",
    "CloseOp",
    "CreateOp",
    "JournalOp",
    "ResultsOp",
    "apply_ops",
]


class CreateOp(FrozenModel):
    """Create a task file unless it exists."""

    op: Literal["create"] = "create"
    """The kind of op."""
    record: TaskRecord
    """The new task."""


class AppendOp(FrozenModel):
    """Append an entry unless one with its id is there."""

    op: Literal["append"] = "append"
    """The kind of op."""
    task_id: str
    """The task file."""
    entry: Entry
    """The entry (its time taken from the workflow's clock)."""


class CloseOp(FrozenModel):
    """Write a task's closing block (and closing entry)."""

    op: Literal["close"] = "close"
    """The kind of op."""
    task_id: str
    """The task file."""
    status: TaskStatus
    """Its final status."""
    outcome: str = ""
    """One word or phrase."""
    summary: str = ""
    """What was done."""
    references: tuple[str, ...] = ()
    """Files created or modified."""
    entry: Entry | None = None
    """The closing entry, written in the same update."""


class ResultsOp(FrozenModel):
    """Merge the subtasks' results and the route into the root task's file."""

    op: Literal["results"] = "results"
    """The kind of op."""
    task_id: str
    """The root task."""
    results: tuple[SubtaskResult, ...]
    """One per subtask."""
    route: tuple[RouteStep, ...]
    """The handoffs in the order they happened (refused ones included)."""


JournalOp = Annotated[CreateOp | AppendOp | CloseOp | ResultsOp, Field(discriminator="op")]
"""One recorded journal write."""


class BufferedJournal:
    """A `JournalStore` that records writes instead of doing them (see the module doc).

    Args:
        clock: The time for the entries (the workflow's `workflow.now`).
    """

    def __init__(self, *, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._ops: list[JournalOp] = []
        self._created: set[str] = set()

    @property
    def pending(self) -> int:
        """How many recorded ops wait to be taken."""
        return len(self._ops)

    def take(self, limit: int | None = None) -> list[JournalOp]:
        """The oldest recorded ops (at most `limit`), taken out of the buffer."""
        count = len(self._ops) if limit is None else limit
        ops, self._ops = self._ops[:count], self._ops[count:]
        return ops

    # -- the coordinator's JournalStore ---------------------------------------------

    def exists(self, task_id: str) -> bool:
        """True when this workflow created the task's file (the journal skips it anyway)."""
        return task_id in self._created

    def path(self, task_id: str) -> Path:
        """The task file's name under the journal worker's `tasks/` directory."""
        return Path(f"{task_id}.md")

    def create(self, record: TaskRecord) -> bool:
        """Record the creation of a task file."""
        self._created.add(record.id)
        self._ops.append(CreateOp(record=record))
        return True

    def append(self, task_id: str, entry: Entry) -> bool:
        """Record an entry, timed by the workflow's clock."""
        self._ops.append(AppendOp(task_id=task_id, entry=self._timed(entry)))
        return True

    def close(
        self,
        task_id: str,
        *,
        status: TaskStatus,
        outcome: str = "",
        summary: str = "",
        references: Sequence[str] = (),
        entry: Entry | None = None,
    ) -> bool:
        """Record a task's closing block and entry."""
        self._ops.append(
            CloseOp(
                task_id=task_id,
                status=status,
                outcome=outcome,
                summary=summary,
                references=tuple(references),
                entry=None if entry is None else self._timed(entry),
            )
        )
        return True

    def set_results(
        self,
        task_id: str,
        *,
        results: Sequence[SubtaskResult],
        route: Sequence[RouteStep],
    ) -> bool:
        """Record the root task's merged results and route."""
        self._ops.append(ResultsOp(task_id=task_id, results=tuple(results), route=tuple(route)))
        return True

    def _timed(self, entry: Entry) -> Entry:
        return entry.model_copy(update={"at": self._clock()})


def apply_ops(journal: Journal, ops: Iterable[JournalOp]) -> int:
    """Replay recorded ops on a real journal, in order; how many changed a file.

    Raises:
        JournalError: a task file cannot be read or written, or the journal already
            holds another task under the id (see `_check_same_task`).
    """
    changed = 0
    for op in ops:
        if isinstance(op, CreateOp):
            done = journal.create(op.record)
            if not done:
                _check_same_task(journal, op.record)
        elif isinstance(op, AppendOp):
            done = journal.append(op.task_id, op.entry)
        elif isinstance(op, CloseOp):
            done = journal.close(
                op.task_id,
                status=op.status,
                outcome=op.outcome,
                summary=op.summary,
                references=op.references,
                entry=op.entry,
            )
        else:
            done = journal.set_results(op.task_id, results=op.results, route=op.route)
        changed += bool(done)
    return changed


def _check_same_task(journal: Journal, record: TaskRecord) -> None:
    """Refuse to write into a task file that holds another task under the same id.

    A retried batch finds its own file (same title, goal, role and type). Another
    task's file can be there only when this journal directory is shared with
    something that did not reserve ids with the client that started the task (a
    local run on the journal worker's machine, another Temporal server's tasks):
    writing on would mix two tasks in one file, so the batch fails instead.
    """
    found = journal.read(record.id)
    mine = (record.title, record.goal, record.assigned_to, record.type)
    if (found.title, found.goal, found.assigned_to, found.type) != mine:
        raise JournalError(
            f"{journal.path(record.id)} already holds another task with the id {record.id} "
            f"(goal: {found.goal[:80]!r}); give this journal worker a journal of its own "
            "(`modegraph worker --journal DIR`), or reserve task ids in this journal: run "
            "the client with the same --journal"
        )

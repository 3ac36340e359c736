"""`Journal`: the task files under ``<root>/tasks/``, written safely, read back.

Every write happens under the task's lock (`filelock`) and is either an atomic
replace of the task file or, when other writers are busy with the same task, one
record appended to its append log (``<root>/.pending/<ID>.log``), which the next
rewrite folds into the file and every read merges (see `modegraph.journal._writer`
and `modegraph.journal.pending`). Writes are idempotent: creating an existing task,
appending an entry whose id the task already holds, closing with the same closing
block or setting the same results changes nothing.

Durability and what a crash leaves:

- A killed process (SIGKILL, an out-of-memory kill) at any moment leaves every task
  file whole and parseable (the old version or the new one) and every append log
  readable (a torn record is skipped); an entry whose `append`
  returned is kept, once.
- With ``durable=True`` (the default) each call returns once its write is on disk
  (fsync of the file and its directory, or fdatasync of the append log), so it also
  survives a power loss or an operating system crash.
- Inside `Journal.deferred_sync()` (the coordinator runs each task in one) writes
  skip the fsyncs, appends go to the append log, `Journal.flush` fsyncs the files
  written so far together (the coordinator calls it before each checkpoint, so every
  step's entries are on disk before its checkpoint), and the block's end folds the
  logs and fsyncs every file written since. Without a `flush`, a power loss inside
  the block can lose the writes made in it that the system had not flushed yet.

Longer than 400 lines: the store's public methods, each with the docs of what it
guarantees, belong together; how writes land on disk lives in `_writer`.
"""

from __future__ import annotations

import builtins
import contextlib
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from modegraph.errors import JournalError
from modegraph.journal._writer import Writer
from modegraph.journal.changes import set_closing
from modegraph.journal.document import Block, BlockKind, Document
from modegraph.journal.files import read_text, reserve
from modegraph.journal.ids import is_valid_task_id
from modegraph.journal.ids import new_task_id as build_task_id
from modegraph.journal.model import (
    Closing,
    Entry,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
)
from modegraph.journal.reader import record_from_document
from modegraph.journal.render import (
    front_matter_of,
    render_closing,
    render_entry,
    render_goal_context,
    render_heading,
    render_results,
    render_route_section,
)
from modegraph.modes.model import EdgeKind

__all__ = ["DEFAULT_JOURNAL_ROOT", "Journal"]

DEFAULT_JOURNAL_ROOT = Path("project_journal")
"""The journal root when none is given: ``./project_journal``."""

_MAX_SUFFIX = 10_000
_HANDOFF_KINDS = (EdgeKind.DELEGATE.value, EdgeKind.ESCALATE.value)


def _now() -> datetime:
    return datetime.now(UTC)


def _as_model(value: object, model: type[BaseModel], renames: Mapping[str, str]) -> Any:
    if isinstance(value, model):
        return value
    if isinstance(value, BaseModel):
        data = value.model_dump()
    elif isinstance(value, Mapping):
        data = dict(value)
    else:
        raise TypeError(f"expected a {model.__name__} or a mapping, got {type(value).__name__}")
    for old, new in renames.items():
        if old in data and new not in data:
            data[new] = data.pop(old)
    return model.model_validate({k: v for k, v in data.items() if k in model.model_fields})


def document_from_record(record: TaskRecord) -> Document:
    """A new task file's document, from a record."""
    blocks = [Block(BlockKind.HEADING, render_heading(record))]
    fields = zip((BlockKind.GOAL, BlockKind.CONTEXT), render_goal_context(record), strict=True)
    blocks += [Block(kind, text) for kind, text in fields if text]  # empty ones are left out
    blocks += [Block(BlockKind.OTHER, text) for text in record.unknown]
    blocks += [Block(BlockKind.ENTRY, render_entry(e), entry_id=e.id) for e in record.entries]
    if record.closing is not None:
        blocks.append(Block(BlockKind.CLOSING, render_closing(record.closing)))
    if record.results or record.route:
        blocks.append(Block(BlockKind.RESULTS, render_results(record.results)))
        blocks.append(Block(BlockKind.ROUTE, render_route_section(record)))
    return Document(front=front_matter_of(record), blocks=blocks)


class Journal:
    """The task journal in one directory: ``<root>/tasks/<TASK-ID>.md`` per task.

    Safe for several threads and processes at once: each write takes the task's
    file lock, reads the file, changes it and replaces it atomically (or, while
    other writers are busy with the task, appends to its append log).
    """

    def __init__(
        self,
        root: Path | str = DEFAULT_JOURNAL_ROOT,
        *,
        lock_timeout: float = 30.0,
        durable: bool = True,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        """Open (lazily: nothing is created until the first write) a journal.

        Args:
            root: The journal directory (``./project_journal`` by default).
            lock_timeout: Seconds to wait for a task file's lock before failing.
            durable: Every write is on disk when its call returns (fsync); turn off only
                for throwaway journals. `deferred_sync` defers the fsyncs of a block.
            clock: Gives the current time (for ids and ``updated``); tests pass a fake.
        """
        self.root = Path(root)
        """The journal directory."""
        self.tasks_dir = self.root / "tasks"
        """Where the task files are."""
        self._clock = clock
        self._paths: dict[str, Path] = {}
        self._writer = Writer(self.root, lock_timeout=lock_timeout, durable=durable, clock=clock)

    def __repr__(self) -> str:
        return f"Journal(root={str(self.root)!r})"

    # ---- ids and paths -------------------------------------------------------------

    def path(self, task_id: str) -> Path:
        """The task file of ``task_id``: ``<root>/tasks/<task_id>.md``.

        Raises:
            JournalError: The id cannot name a file (a slash, a space, ``..``).
        """
        found = self._paths.get(task_id)
        if found is not None:
            return found
        if not is_valid_task_id(task_id):
            raise JournalError(
                f"{task_id!r} is not a valid task id: use letters, digits, '.', '_' and '-' "
                "only, starting with a letter or digit (e.g. TASK-FASTAPI-20261127-091500)"
            )
        path = self._paths[task_id] = self.tasks_dir / f"{task_id}.md"
        return path

    def reserved(self, task_id: str) -> bool:
        """True when this journal gave out ``task_id`` (`new_task_id`), file or not."""
        return is_valid_task_id(task_id) and (self.root / ".ids" / task_id).is_file()

    def new_task_id(self, prefix: str = "TASK", *, now: datetime | None = None) -> str:
        """Reserve and return a new root task id, ``TASK-<PREFIX>-<YYYYMMDD-HHMMSS>``.

        Unique even when several processes start tasks in the same second: each id is
        reserved with an exclusive create of ``<root>/.ids/<ID>``, and a taken id gets a
        ``-2``, ``-3``, ... suffix.

        Args:
            prefix: Upper-case prefix (``FASTAPI``) or a mode slug (``fastapi-developer``).
            now: The start time; the journal's clock when None.
        """
        moment = now or self._clock()
        for suffix in range(1, _MAX_SUFFIX):
            task_id = build_task_id(prefix, now=moment, suffix=suffix)
            if self.path(task_id).exists():
                continue
            if reserve(self.root / ".ids" / task_id):
                return task_id
        raise JournalError(  # pragma: no cover - 10,000 tasks in one second
            f"could not reserve a task id for {prefix} at {moment:%Y%m%d-%H%M%S}; "
            f"clean up {self.root / '.ids'}"
        )

    # ---- writing -------------------------------------------------------------------

    def create(self, record: TaskRecord) -> bool:
        """Write a new task file; keep the existing file when there is one.

        ``created`` and ``updated`` are filled in from the clock when None.

        Returns:
            True when the file was written, False when it already existed.
        """
        path = self.path(record.id)

        def render() -> Document:
            now = self._clock()
            filled = TaskRecord.model_validate(
                record.model_dump()
                | {"created": record.created or now, "updated": record.updated or now}
            )
            return document_from_record(filled)

        return self._writer.create(record.id, path, render)

    def append(self, task_id: str, entry: Entry) -> bool:
        """Append an entry to a task's log, unless the file already holds its id.

        A ``started`` entry moves an open task to in progress; ``approval_asked``
        moves it to waiting for approval, ``approval_given`` back to in progress.

        Returns:
            True when the entry was written, False (nothing written) when its id was there.

        Raises:
            JournalError: The task file does not exist or cannot be read or written.
        """
        return self._writer.append(task_id, self.path(task_id), entry)

    def close(
        self,
        task_id: str,
        *,
        status: TaskStatus,
        outcome: str = "",
        summary: str = "",
        references: Iterable[str] = (),
        entry: Entry | None = None,
    ) -> bool:
        """Write (or replace) the closing block and set the task's status.

        Closing also removes temporary files a killed writer of this task left behind.

        Args:
            task_id: The task.
            status: Its final status.
            outcome: One word or phrase (Success, Partial, ...).
            summary: What was done.
            references: Files created or modified.
            entry: A last log entry (the one that says how the task ended), written in
                the same update as the closing block, unless its id is there: one
                locked write instead of two, and never one without the other.

        Returns:
            False when the file already had exactly this closing block, status and entry.
        """
        closing = Closing(
            status=status, outcome=outcome, summary=summary, references=tuple(references)
        )

        def change(doc: Document) -> bool:
            self._writer.remove_leftovers(self.path(task_id))
            return set_closing(doc, closing, entry)

        return self._update(task_id, change)

    def set_status(self, task_id: str, status: TaskStatus) -> bool:
        """Set the front matter status; False when it already was ``status``."""

        def change(doc: Document) -> bool:
            if doc.front.get("status") == status.front_matter_word:
                return False
            doc.set_front("status", status.front_matter_word)
            return True

        return self._update(task_id, change)

    def set_results(
        self,
        root_id: str,
        *,
        results: Sequence[SubtaskResult | Mapping[str, Any] | BaseModel],
        route: Sequence[RouteStep | Mapping[str, Any] | BaseModel] = (),
    ) -> bool:
        """Write the root task's merged results and the Mermaid diagram of its route.

        Args:
            root_id: The root task.
            results: One per subtask: a `SubtaskResult`, a mapping with its fields, or
                any model with them (a ``subtask_id`` field is read as ``id``).
            route: The handoffs in the order they happened (refused ones included).

        Returns:
            False when both sections were already exactly these.
        """
        merged = tuple(_as_model(r, SubtaskResult, {"subtask_id": "id"}) for r in results)
        steps = self._with_kinds(tuple(_as_model(s, RouteStep, {}) for s in route), merged)

        def change(doc: Document) -> bool:
            record = record_from_document(doc, path=self.path(root_id))
            record = record.model_copy(update={"results": merged, "route": steps})
            a = doc.replace_or_insert(Block(BlockKind.RESULTS, render_results(merged)))
            b = doc.replace_or_insert(Block(BlockKind.ROUTE, render_route_section(record)))
            return a or b

        return self._update(root_id, change)

    def _with_kinds(
        self, steps: tuple[RouteStep, ...], results: tuple[SubtaskResult, ...]
    ) -> tuple[RouteStep, ...]:
        """Fill in the edge kind of accepted steps that lack one from the subtasks' files.

        The n-th accepted step to a role is matched with the n-th result of that role;
        the subtask file's tag ``delegate`` or ``escalate`` (the coordinator tags each
        subtask with the edge it came along) gives the kind.
        """
        queues: dict[str, list[str]] = {}
        for result in results:
            queues.setdefault(result.role, []).append(result.id)
        out: list[RouteStep] = []
        for step in steps:
            if step.refused or not queues.get(step.target):
                out.append(step)
                continue
            subtask = queues[step.target].pop(0)
            if step.kind is None and self.exists(subtask):
                try:
                    tags = self.read(subtask).tags
                except JournalError:
                    tags = ()
                kind = next((t for t in tags if t in _HANDOFF_KINDS), None)
                step = step.model_copy(update={"kind": EdgeKind(kind) if kind else None})
            out.append(step)
        return tuple(out)

    # ---- reading -------------------------------------------------------------------

    def exists(self, task_id: str) -> bool:
        """True when the task file exists."""
        return self.path(task_id).is_file()

    def read(self, task_id: str) -> TaskRecord:
        """Parse a task file back into a `TaskRecord`.

        Raises:
            JournalError: No such task (the message names the nearest known ids), or
                the file cannot be read.
        """
        path = self.path(task_id)
        if not path.is_file():
            raise self._unknown(task_id)
        return record_from_document(self._writer.merged(task_id, path), path=path)

    def text(self, task_id: str) -> str:
        """The task file's text, with entries still in its append log folded in.

        The same as the file's content when nothing waits in the log; otherwise what
        the next write of the task will make it.

        Raises:
            JournalError: No such task, or the file cannot be read.
        """
        path = self.path(task_id)
        if not path.is_file():
            raise self._unknown(task_id)
        doc = self._writer.merged(task_id, path)
        return doc.render() if doc.merged else read_text(path)

    def compact(self, task_id: str) -> bool:
        """Fold the entries waiting in the task's append log into its file.

        Writes happen to do this on their own; call it to have the Markdown file hold
        every entry now (after many concurrent appends, say).

        Returns:
            True when entries were folded in, False when none were waiting.

        Raises:
            JournalError: No such task, or it cannot be read or written.
        """
        path = self.path(task_id)
        if not path.is_file():
            raise self._unknown(task_id)
        return self._writer.compact(task_id, path)

    @contextlib.contextmanager
    def deferred_sync(self) -> Iterator[None]:
        """Inside the block, writes skip fsync; its end fsyncs every file written, once.

        Each write is still atomic and whole for readers, other processes and a killed
        process; what the block gives up until its end is surviving a power loss or an
        operating system crash (see the module docs). Blocks may nest and may be used
        from several threads at once: the outermost end syncs.

        Raises:
            JournalError: At the end, a file cannot be synced.
        """
        with self._writer.deferred():
            yield

    def flush(self) -> None:
        """Sync to disk every write made so far inside `deferred_sync`, at once.

        The block goes on: later writes again skip fsync until the next `flush` or
        the block's end. Append logs stay as they are (the block's end folds them).
        The coordinator calls it before each checkpoint is saved, so a saved step's
        journal entries are on disk before the checkpoint that says the step ran.

        Raises:
            JournalError: A file cannot be synced.
        """
        self._writer.flush()

    def ids(self) -> builtins.list[str]:
        """The ids of every task file, sorted."""
        if not self.tasks_dir.is_dir():
            return []
        return sorted(p.stem for p in self.tasks_dir.glob("*.md") if is_valid_task_id(p.stem))

    def list(
        self,
        status: TaskStatus | None = None,
        *,
        on_error: Callable[[JournalError], None] | None = None,
    ) -> list[TaskRecord]:
        """Every task (optionally only those with ``status``), newest first.

        Newest means the latest ``updated`` (then ``created``), ties broken by id.

        Args:
            status: Keep only tasks with this status.
            on_error: Called with the error of each unreadable file, which is then
                skipped; when None the first unreadable file raises.
        """
        records: list[TaskRecord] = []
        for task_id in self.ids():
            try:
                record = self.read(task_id)
            except JournalError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                continue
            if status is None or record.status is status:
                records.append(record)
        epoch = datetime.min.replace(tzinfo=UTC)
        records.sort(key=lambda r: (r.updated or r.created or epoch, r.id), reverse=True)
        return records

    def nearest_ids(self, task_id: str, *, limit: int = 5) -> builtins.list[str]:
        """The known ids closest to ``task_id`` (for "did you mean" messages)."""
        known = self.ids()
        close = difflib.get_close_matches(task_id, known, n=limit, cutoff=0.4)
        if not close:
            close = [k for k in known if task_id.lower() in k.lower()][:limit]
        return close

    # ---- internals -----------------------------------------------------------------

    def _unknown(self, task_id: str) -> JournalError:
        near = self.nearest_ids(task_id)
        count = len(self.ids())
        if near:
            hint = f"the nearest known ids: {', '.join(near)}"
        elif count:
            hint = f"none of its {count} task file{'s' if count != 1 else ''} has a close id"
        else:
            hint = "it holds no task files"
        return JournalError(
            f"no task {task_id} in the journal {self.root}; {hint}. "
            "Check the id with `modegraph journal list`, or pass --journal DIR"
        )

    def _update(self, task_id: str, change: Callable[[Document], bool]) -> bool:
        return self._writer.update(task_id, self.path(task_id), change)

"""How a journal write lands on disk: locks, the two write paths, and when to fsync.

Two ways to write an entry, both under the task's lock:

- **rewrite** the Markdown file (`write_atomic`): read and parse it (the parse of
  the last write is reused for what did not change), fold in the append log if
  there is one, make the change, write a temporary file and rename it over the task
  file. The usual path: the file always shows every entry.
- **append** one record to the task's append log (`pending`), when the task is busy:
  another writer held the lock when this one asked (the appender then takes it
  shared: appenders do not wait for each other, only for a rewrite), or the log has
  had records added within the last `BUSY_SECONDS`. The lock is held for one
  ``write``; the ``fdatasync`` comes after it, shared by the kernel among concurrent
  writers. When the log passes `FOLD_BYTES`, or is no longer busy, the next write
  that gets the lock to itself folds it.

Durability: with ``durable`` (the default) every call returns only once its write is
on disk: file and directory fsynced after a rewrite, the log fdatasynced after an
append. Inside `Writer.deferred` (the coordinator wraps each run in it) writes skip
the fsyncs, staying atomic for readers and for a killed process (the page cache
survives a SIGKILL), and every append goes to the log (a rename over an existing
file costs ext4 a flush of the new file's data, ``auto_da_alloc``); `Writer.flush`
fsyncs what was written so far (the coordinator calls it before each checkpoint),
and the outermost exit folds the logs written in the block into their task files
and fsyncs every file written since, once. An append log is removed only once the
file it was folded into is on disk.

Longer than 400 lines: the two write paths, the locks they take and when their
writes reach the disk (at once, at a `flush`, at the end of a deferred block) share
the per-task state a `Writer` keeps.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from modegraph.errors import JournalError
from modegraph.journal._parsed import ParseCache
from modegraph.journal.changes import add_entry, add_pending
from modegraph.journal.document import Document
from modegraph.journal.files import (
    Held,
    fsync_dir,
    read_text,
    remove_leftovers,
    sync_paths,
    task_lock,
    write_atomic,
)
from modegraph.journal.model import Entry
from modegraph.journal.parse import parse_document
from modegraph.journal.pending import LogState, Pending, append_record, encode, read_log
from modegraph.journal.reader import record_from_document
from modegraph.journal.render import front_matter_of

__all__ = ["BUSY_SECONDS", "FOLD_BYTES", "Writer"]

FOLD_BYTES = 256 * 1024
"""An append log this long is folded into the task file by the next write."""

BUSY_SECONDS = 0.5
"""A task whose append log grew this recently is still busy: appends go to the log."""


class Writer:
    """The write side of one `Journal`: per-task locks, caches and deferred fsyncs.

    Args:
        root: The journal directory.
        lock_timeout: Seconds to wait for a task's lock.
        durable: fsync every write (outside `deferred`).
        clock: The journal's clock.
    """

    def __init__(
        self,
        root: Path,
        *,
        lock_timeout: float,
        durable: bool,
        clock: Callable[[], datetime],
    ) -> None:
        self.root = root
        self.tasks_dir = root / "tasks"
        self.pending_dir = root / ".pending"
        self.tmp_dir = root / ".tmp"
        self._lock_timeout = lock_timeout
        self._durable = durable
        self._clock = clock
        self._cache = ParseCache()
        self._logs: dict[str, LogState] = {}
        self._guard = threading.Lock()
        self._flushing = threading.Lock()
        self._depth = 0
        self._touched: dict[Path, None] = {}
        self._folded: dict[str, tuple[int, int]] = {}
        self._appended: dict[str, Path] = {}
        self._path_cache: dict[str, tuple[Path, Path]] = {}

    # ---- deferred fsyncs -----------------------------------------------------------

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Skip fsyncs inside; on the outermost exit, fsync every file written once."""
        with self._guard:
            self._depth += 1
        try:
            yield
        finally:
            with self._guard:
                self._depth -= 1
                last = self._depth == 0
            if last:
                self.sync()

    def sync(self) -> None:
        """Fold the append logs written since the last `sync`, then sync every file to disk.

        Raises:
            JournalError: A file cannot be folded or synced.
        """
        with self._guard:
            appended, self._appended = dict(self._appended), {}
        for task_id, path in appended.items():
            if path.is_file():
                self.compact(task_id, path)
        with self._guard:
            touched, self._touched = list(self._touched), {}
            folded, self._folded = dict(self._folded), {}
        logs = [path for path in touched if path.parent == self.pending_dir]
        if self._durable:
            sync_paths(path for path in touched if path.parent != self.pending_dir)
        for task_id, (inode, offset) in folded.items():
            self._retire_log(task_id, inode, offset)
        if self._durable:  # logs that still hold entries (others appended since the fold)
            sync_paths(path for path in logs if path.is_file())

    def flush(self) -> None:
        """Sync every file written since the last `flush` or `sync`; logs stay unfolded.

        Inside `deferred` this makes the writes made so far durable without ending
        the block (the coordinator calls it before each checkpoint is saved).

        Raises:
            JournalError: A file cannot be synced.
        """
        # one flush at a time: a flush that finds nothing left to sync must still wait
        # for the one syncing what it took, or its caller would go on too early
        with self._flushing:
            with self._guard:
                touched, self._touched = list(self._touched), {}
            if self._durable and touched:
                sync_paths(touched)

    def _durable_now(self) -> bool:
        return self._durable and self._depth == 0

    def _touch(self, *paths: Path) -> None:
        with self._guard:
            for path in paths:
                self._touched[path] = None

    # ---- locking and reading under the lock ----------------------------------------

    def locked(
        self, task_id: str, *, share_when_busy: bool = False, shared: bool = False
    ) -> contextlib.AbstractContextManager[Held]:
        """The task's lock (`files.task_lock`)."""
        return task_lock(
            self._paths(task_id)[0],
            timeout=self._lock_timeout,
            share_when_busy=share_when_busy,
            shared=shared,
        )

    def log_path(self, task_id: str) -> Path:
        """The task's append log: ``<root>/.pending/<ID>.log``."""
        return self._paths(task_id)[1]

    def _paths(self, task_id: str) -> tuple[Path, Path]:
        found = self._path_cache.get(task_id)
        if found is None:
            found = (self.root / ".locks" / f"{task_id}.lock", self.pending_dir / f"{task_id}.log")
            self._path_cache[task_id] = found
        return found

    def load(self, task_id: str, path: Path) -> Document:
        """The task file, parsed, as a document to change (call under the task's lock)."""
        return self._cache.load(task_id, path)

    def _log(self, task_id: str) -> LogState | None:
        """The task's append log, read whole (call under the task's exclusive lock)."""
        return read_log(self.log_path(task_id))

    def _log_ids(self, task_id: str) -> set[str]:
        """The entry ids in the task's append log, read on from where this writer was."""
        with self._guard:  # threads of this process may hold the task's lock shared
            state = read_log(self.log_path(task_id), self._logs.get(task_id))
            if state is None:
                self._logs.pop(task_id, None)
                return set()
            self._logs[task_id] = state
            return set(state.ids)

    # ---- the write paths -----------------------------------------------------------

    def create(self, task_id: str, path: Path, render: Callable[[], Document]) -> bool:
        """Write a new task file unless one is there (a stale append log is dropped).

        ``render`` gives the new file's document; its parse is kept for the next write.
        """
        with self.locked(task_id):
            if path.exists() and path.stat().st_size > 0:
                return False
            self._drop_log(task_id)
            self._mkdirs()
            doc = render()
            self._write(task_id, path, doc.render(), doc=doc)
        return True

    def update(self, task_id: str, path: Path, change: Callable[[Document], bool]) -> bool:
        """Rewrite the task file with ``change`` (the append log folded in first).

        Returns:
            What ``change`` returned: False when it changed nothing.
        """
        with self.locked(task_id):
            doc = self.load(task_id, path)
            log = self._log(task_id)
            folded = log is not None and add_pending(doc, log.records)
            changed = change(doc)
            if changed or folded:
                doc.set_front("updated", self._clock())
                self._write(task_id, path, doc.render(), doc=doc, log=log)
        return changed

    def compact(self, task_id: str, path: Path) -> bool:
        """Fold the append log into the task file; False when nothing was waiting."""
        if not self.log_path(task_id).is_file():
            return False
        with self.locked(task_id):
            doc = self.load(task_id, path)
            log = self._log(task_id)
            if log is None or not add_pending(doc, log.records):
                if log is not None and log.lines:
                    self._drop_log(task_id)  # everything in it is in the file already
                return False
            doc.set_front("updated", self._clock())
            self._write(task_id, path, doc.render(), doc=doc, log=log)
        return True

    def append(self, task_id: str, path: Path, entry: Entry) -> bool:
        """Add ``entry`` unless the task holds its id: a rewrite, or the append log if busy."""
        # while other writers keep the task busy, its lock is taken shared straight away:
        # trying it exclusively first would make them all wait for this one
        busy = _log_is_busy(self.log_path(task_id))
        with self.locked(task_id, share_when_busy=True, shared=busy) as held:
            if entry.id in self._cache.known_ids(task_id, path):
                return False
            if held.shared:
                pending = self._log_ids(task_id)
                log = None
            else:
                log = self._log(task_id)
                pending = log.ids if log is not None else set()
            if entry.id in pending:
                # another writer's record: make sure it is durable before saying so
                written, synced = False, self._after_append(task_id, created=False)
            elif held.shared or _busy(log) or self._depth > 0:
                # inside deferred_sync the log is folded when the task is rewritten
                # (closed) or the block ends, however long it grows
                created = append_record(self.log_path(task_id), encode(entry, self._clock()))
                written, synced = True, self._after_append(task_id, created=created)
                if self._depth > 0:
                    with self._guard:
                        self._appended[task_id] = path
            else:
                doc = self.load(task_id, path)
                if log is not None:
                    add_pending(doc, log.records)
                add_entry(doc, entry)
                doc.set_front("updated", self._clock())
                self._write(task_id, path, doc.render(), doc=doc, log=log)
                return True
        synced()  # outside the lock: one fdatasync serves every writer waiting on it
        return written

    def _after_append(self, task_id: str, *, created: bool) -> Callable[[], None]:
        """What makes the append durable, to run once the lock is released."""
        path = self.log_path(task_id)
        if not self._durable_now():
            self._touch(path)
            return _nothing
        directory = self.pending_dir

        def synced() -> None:
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                return  # folded into the task file by now, durably
            except OSError as exc:  # pragma: no cover - the log was just written
                raise JournalError(f"cannot sync the append log {path}: {exc}") from exc
            try:
                _datasync(fd)
            finally:
                os.close(fd)
            if created:
                fsync_dir(directory)

        return synced

    def _write(
        self,
        task_id: str,
        path: Path,
        text: str,
        *,
        doc: Document | None = None,
        log: LogState | None = None,
    ) -> None:
        """Replace the task file; drop the append log folded into it once that is durable.

        The parse of the text written is kept (from ``doc``, the document it was
        rendered from), so the next write of this task does not parse it again.
        """
        durable = self._durable_now()
        try:
            write_atomic(path, text, durable=durable, tmp_dir=self.tmp_dir)
        except JournalError:
            # no .tmp directory (a journal an older version wrote), or on another file
            # system than the task file: write the temporary file next to it instead
            write_atomic(path, text, durable=durable)
        if not durable:
            self._touch(path)
        self._cache.written(task_id, path, text, doc)
        if log is None or not log.lines:
            return
        if durable or not self._durable:
            self._drop_log(task_id)
        else:
            with self._guard:
                self._folded[task_id] = (log.inode, log.offset)
                # folded whole under the exclusive lock: the block's end has nothing left
                # to fold in unless an append comes after (which notes the task again)
                self._appended.pop(task_id, None)

    def _drop_log(self, task_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.log_path(task_id))
        with self._guard:
            self._logs.pop(task_id, None)

    def _retire_log(self, task_id: str, inode: int, offset: int) -> None:
        """Remove a log folded by a deferred write, now durable, unless it grew since."""
        with self.locked(task_id):
            try:
                info = os.stat(self.log_path(task_id))
            except FileNotFoundError:
                return
            if info.st_ino == inode and info.st_size == offset:
                self._drop_log(task_id)

    def remove_leftovers(self, path: Path) -> None:
        """Delete temporary files a killed writer of ``path`` left (call under its lock)."""
        remove_leftovers(path, tmp_dir=self.tmp_dir)

    def _mkdirs(self) -> None:
        try:
            self.tasks_dir.mkdir(parents=True, exist_ok=True)
            self.tmp_dir.mkdir(exist_ok=True)
            self.pending_dir.mkdir(exist_ok=True)
        except OSError as exc:
            raise JournalError(
                f"cannot create the journal directory {self.tasks_dir}: "
                f"{exc.strerror or exc}; pass a writable --journal DIR"
            ) from exc

    # ---- reading -------------------------------------------------------------------

    def merged(self, task_id: str, path: Path) -> Document:
        """The task file with its append log folded in, as the next rewrite would write it.

        Lock-free, like any read: the log is read before the file, so an entry folded
        in between is found in one or the other.

        Raises:
            JournalError: The file cannot be read or parsed.
        """
        log = read_log(self.log_path(task_id))
        doc = parse_document(read_text(path), path=path)
        records: list[Pending] = log.records if log is not None else []
        if records:
            if not doc.front:
                doc.front = front_matter_of(record_from_document(doc, path=path))
            doc.merged = add_pending(doc, records)
        return doc


def _log_is_busy(path: Path) -> bool:
    """True when the append log at ``path`` had a record added lately (no lock needed)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return info.st_size < FOLD_BYTES and time.time() - info.st_mtime < BUSY_SECONDS


def _due(log: LogState | None) -> bool:
    """True when the append log is long enough to be folded into its task file now."""
    return log is not None and log.offset >= FOLD_BYTES


def _busy(log: LogState | None) -> bool:
    """True when the append log had records added lately and is not yet due a fold."""
    if log is None or not log.lines or _due(log):
        return False
    return time.time() - log.mtime < BUSY_SECONDS


def _nothing() -> None:
    """Nothing to sync."""


def _datasync(fd: int) -> None:
    """Sync a file's data: fdatasync where there is one (Linux), else fsync."""
    sync = getattr(os, "fdatasync", os.fsync)
    sync(fd)

"""File plumbing for the journal: atomic writes, per-task locks, id reservation.

- `write_atomic` writes a temporary file (in the same directory, or in ``tmp_dir`` on
  the same file system), fsyncs it, renames it over the task file (`os.replace`,
  atomic on POSIX and Windows) and fsyncs the directory, so a reader or a crash sees
  the old file or the new one, never a mix. With ``durable=False`` it skips both
  fsyncs: still atomic for readers and for a killed process (the page cache
  survives it), and `sync_paths` makes such writes durable later, together.
- `task_lock` locks ``<root>/.locks/<ID>.lock`` across each read-modify-write, so
  concurrent processes never lose an update: on POSIX a plain ``flock`` of that file
  (the lock `filelock.FileLock` takes there, at a microsecond a try where a
  `FileLock` try costs about a hundred, so a crowd of waiting processes does not eat
  the CPU the lock holder needs), elsewhere a `filelock.FileLock`. It tells the caller
  whether it had to wait (`Held.waited`): the store appends to the task's append log
  instead of rewriting the file while other writers queue.
- `reserve` creates ``<root>/.ids/<ID>`` with ``O_EXCL``: exactly one caller wins a name.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from modegraph.errors import JournalError

__all__ = [
    "Held",
    "decode_text",
    "fsync_dir",
    "read_bytes",
    "read_text",
    "remove_leftovers",
    "reserve",
    "sync_paths",
    "task_lock",
    "write_atomic",
]

_POLL_SECONDS = 0.001
_FIRST_PAUSE = 0.00005
"""A waiter's first pause before it tries the lock again; each next pause is twice as
long, up to `_LONGEST_PAUSE`. A write holds the lock for a fraction of a millisecond,
so most waiters get it within their first few tries."""
_LONGEST_PAUSE = 0.0005
_NEW_FILE_MODE = 0o644


def fsync_dir(directory: Path) -> None:
    """Sync a directory, so that the names created or replaced in it are on disk."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - some platforms cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - e.g. Windows
        pass
    finally:
        os.close(fd)


def write_atomic(
    path: Path, text: str, *, durable: bool = True, tmp_dir: Path | None = None
) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically.

    Args:
        path: The file to write; its directory must exist.
        text: The full new content.
        durable: fsync the file and the directory; without it the write is atomic but
            reaches the disk when the system flushes it (or at `sync_paths`).
        tmp_dir: Where the temporary file goes (the file's own directory when None);
            it must exist and be on the same file system.

    Raises:
        JournalError: The file cannot be written (permissions, disk full, ...).
    """
    data = text.encode("utf-8")
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _NEW_FILE_MODE
    except OSError as exc:
        raise _write_error(path, exc) from exc
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(
            dir=tmp_dir or path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = ""
        if durable:
            fsync_dir(path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def remove_leftovers(path: Path, *, tmp_dir: Path | None = None) -> int:
    """Delete the temporary files of ``path`` that a killed writer left behind.

    Call it only while holding the file's lock: then no live writer owns one.

    Args:
        path: The task file.
        tmp_dir: Where its temporary files go (`write_atomic`'s ``tmp_dir``); the
            file's own directory when None. Only that directory is scanned: a journal
            keeps its temporary files apart, so this does not grow with the number
            of tasks.

    Returns:
        How many were deleted.
    """
    prefix = f".{path.name}."
    directory = tmp_dir or path.parent
    try:
        names = [
            e.name
            for e in os.scandir(directory)
            if e.name.startswith(prefix) and e.name.endswith(".tmp")
        ]
    except OSError:
        return 0
    removed = 0
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(directory / name)
            removed += 1
    return removed


def sync_paths(files: Iterable[Path]) -> None:
    """Sync each file that exists, then each of their directories once, to disk.

    Makes writes done with ``durable=False`` durable. Files that are gone are skipped
    (a later write replaced or removed them, and made that change durable itself).
    Several files are synced at once, the calling thread taking one and a few pool
    threads the others: the file system commits their changes together (ext4's
    journal takes every fsync waiting at a commit into it), where one after another
    each waits for a commit of its own.

    Raises:
        JournalError: A file or directory cannot be synced.
    """
    paths = list(dict.fromkeys(files))
    if not paths:
        return
    directories = list(dict.fromkeys(path.parent for path in paths))
    # files and directories at once: a directory's new names need no file synced first
    jobs: list[tuple[Path, bool]] = [(path, False) for path in paths]
    jobs += [(directory, True) for directory in directories]
    others = [_sync_pool().submit(_sync_one, job) for job in jobs[1:]]
    errors = [_sync_one(jobs[0]), *(future.result() for future in others)]
    for error in errors:
        if error is not None:
            raise error


def _sync_one(job: tuple[Path, bool]) -> JournalError | None:
    """Sync a file or (`job[1]`) a directory; the error to raise, if any."""
    path, directory = job
    if directory:
        fsync_dir(path)
        return None
    return _sync_file(path)


def _sync_file(path: Path) -> JournalError | None:
    """Fsync one file if it exists; the error to raise, if any (None: done or gone)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _write_error(path, exc)
    try:
        os.fsync(fd)
    except OSError as exc:
        return _write_error(path, exc)
    finally:
        os.close(fd)
    return None


_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _sync_pool() -> ThreadPoolExecutor:
    """The threads `sync_paths` syncs files from, started on first use (daemon threads)."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=8, thread_name_prefix="journal-sync"))
        return _POOL[0]


def _write_error(path: Path, exc: OSError) -> JournalError:
    return JournalError(
        f"cannot write the task file {path}: {exc.strerror or exc}; check that the directory "
        "exists and is writable and that the disk is not full, or pass another --journal DIR"
    )


def read_text(path: Path) -> str:
    """Read a task file as UTF-8.

    Raises:
        JournalError: It cannot be read or is not UTF-8.
    """
    return decode_text(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    """Read a task file's bytes.

    Raises:
        JournalError: It cannot be read.
    """
    try:
        return path.read_bytes()
    except OSError as exc:
        raise JournalError(
            f"cannot read the task file {path}: {exc.strerror or exc}; check that it exists "
            "and is readable"
        ) from exc


def decode_text(data: bytes, path: Path) -> str:
    """A task file's bytes as text (UTF-8, universal newlines, as `open` reads it).

    Raises:
        JournalError: The bytes are not UTF-8.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JournalError(
            f"{path}: the task file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8"
        ) from exc
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


@dataclass
class Held:
    """A held task lock: whether getting it meant waiting, and whether it is shared."""

    waited: bool = False
    """True when another writer held the lock when this one asked."""
    shared: bool = False
    """True when the lock is held shared (`task_lock`'s ``share_when_busy``)."""


def _open_lock_file(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, _NEW_FILE_MODE)
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT, _NEW_FILE_MODE)
        except OSError as exc:
            raise _write_error(path, exc) from exc
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _timed_out(lock_path: Path, timeout: float) -> JournalError:
    return JournalError(
        f"another process has held the lock {lock_path} for more than {timeout:g} s; "
        "wait for it to finish, or, if no modegraph process is running, delete that file"
    )


@contextlib.contextmanager
def task_lock(
    lock_path: Path, *, timeout: float, share_when_busy: bool = False, shared: bool = False
) -> Iterator[Held]:
    """Hold the lock of one task file.

    On POSIX this is a ``flock`` of the lock file, the very lock `filelock.FileLock`
    takes there (so the two exclude each other), tried without blocking after pauses
    that grow from 50 microseconds to half a millisecond: a try costs about a
    microsecond, so waiters leave the CPU to the holder. Elsewhere it is a
    `filelock.FileLock` (always exclusive).

    Args:
        lock_path: The lock file.
        timeout: Seconds to wait for the lock.
        share_when_busy: When another writer holds the lock, wait for it shared instead
            (`Held.shared`): shared holders exclude exclusive ones, not each other.
        shared: Take the lock shared from the start (POSIX; elsewhere exclusive).

    Yields:
        What getting the lock took (`Held.waited`) and how it is held (`Held.shared`).

    Raises:
        JournalError: The lock was not acquired within ``timeout`` seconds.
    """
    if sys.platform == "win32":  # pragma: no cover - filelock on Windows
        with _file_lock(lock_path, timeout=timeout) as held:
            yield held
        return
    import fcntl

    held = Held()
    fd = _open_lock_file(lock_path)
    try:
        deadline = time.monotonic() + timeout
        pause = _FIRST_PAUSE
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        held.shared = shared
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                held.waited = True
                if share_when_busy and mode == fcntl.LOCK_EX:
                    mode, held.shared = fcntl.LOCK_SH, True
                    continue
                if time.monotonic() >= deadline:
                    raise _timed_out(lock_path, timeout) from None
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)
        yield held
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextlib.contextmanager
def _file_lock(lock_path: Path, *, timeout: float) -> Iterator[Held]:  # pragma: no cover
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(lock_path, exc) from exc
    from filelock import FileLock, Timeout  # only where there is no flock

    lock = FileLock(lock_path, timeout=timeout, poll_interval=_POLL_SECONDS)
    try:
        lock.acquire()
    except Timeout as exc:
        raise _timed_out(lock_path, timeout) from exc
    try:
        yield Held()
    finally:
        lock.release()


def reserve(path: Path) -> bool:
    """Create ``path`` exclusively; True when this call created it, False when it existed.

    Raises:
        JournalError: The directory cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _write_error(path, exc) from exc
    os.close(fd)
    return True

"""File plumbing for the journal: atomic writes, per-task locks, id reservation.

- `write_atomic` writes a temporary file in the same directory, fsyncs it, renames
  it over the task file (`os.replace`, atomic on POSIX and Windows) and fsyncs the
  directory, so a reader or a crash sees the old file or the new one, never a mix.
- `task_lock` is a `filelock.FileLock` on ``<root>/.locks/<ID>.lock``, held across
  each read-modify-write, so concurrent processes never lose an update. On POSIX,
  writers first queue on a plain ``flock`` of ``<ID>.gate`` (a non-blocking try costs
  about a microsecond, where a `FileLock` try costs about a hundred), so a crowd of
  waiting processes does not eat the CPU the lock holder needs.
- `reserve` creates ``<root>/.ids/<ID>`` with ``O_EXCL``: exactly one caller wins a name.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from modegraph.errors import JournalError

__all__ = ["read_text", "remove_leftovers", "reserve", "task_lock", "write_atomic"]

_POLL_SECONDS = 0.001
_GATE_POLL_SECONDS = 0.0005
_NEW_FILE_MODE = 0o644


def _fsync_dir(directory: Path) -> None:
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


def write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically.

    Args:
        path: The file to write; its directory must exist.
        text: The full new content.
        durable: fsync the file and the directory (turn off only for throwaway data).

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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = ""
        if durable:
            _fsync_dir(path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def remove_leftovers(path: Path) -> int:
    """Delete the temporary files of ``path`` that a killed writer left behind.

    Call it only while holding the file's lock: then no live writer owns one.

    Returns:
        How many were deleted.
    """
    removed = 0
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


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
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise JournalError(
            f"{path}: the task file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8"
        ) from exc
    except OSError as exc:
        raise JournalError(
            f"cannot read the task file {path}: {exc.strerror or exc}; check that it exists "
            "and is readable"
        ) from exc


@contextlib.contextmanager
def _gate(path: Path, deadline: float) -> Iterator[None]:
    """Queue on a plain ``flock`` of ``path`` until ``deadline`` (POSIX only; else a no-op)."""
    if sys.platform == "win32":  # pragma: no cover - filelock alone on Windows
        yield
        return
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, _NEW_FILE_MODE)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break  # let the FileLock below time out with its message
                time.sleep(_GATE_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextlib.contextmanager
def task_lock(lock_path: Path, *, timeout: float) -> Iterator[None]:
    """Hold the lock of one task file.

    Raises:
        JournalError: The lock was not acquired within ``timeout`` seconds.
    """
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(lock_path, exc) from exc
    deadline = time.monotonic() + timeout
    with _gate(lock_path.with_suffix(".gate"), deadline):
        remaining = max(0.0, deadline - time.monotonic())
        lock = FileLock(lock_path, timeout=remaining, poll_interval=_POLL_SECONDS)
        try:
            lock.acquire()
        except Timeout as exc:
            raise JournalError(
                f"another process has held the lock {lock_path} for more than {timeout:g} s; "
                "wait for it to finish, or, if no modegraph process is running, delete that file"
            ) from exc
        try:
            yield
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

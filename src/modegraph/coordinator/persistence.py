"""Checkpointers: SQLite under the journal root by default, Postgres on request.

`--checkpoint` takes `sqlite:///path/to/file.sqlite` (or a bare path) or
`postgres://...` / `postgresql://...` (needs the `postgres` extra). Without it the
checkpoints go to `<journal root>/checkpoints.sqlite`. The thread id of a run is
its task id, so `modegraph resume TASK-ID` finds it again.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from modegraph.errors import ConfigError, JournalError

__all__ = [
    "CHECKPOINT_FILE",
    "SYNCHRONOUS",
    "acheckpointer",
    "check_checkpoint",
    "checkpointer",
    "shown_url",
    "sqlite_path",
    "sync_wal",
]

CHECKPOINT_FILE = "checkpoints.sqlite"
"""Name of the default SQLite checkpoint file, under the journal root."""

BUSY_TIMEOUT = 120.0
"""Seconds a SQLite connection waits for another writer's lock before it fails.

Many runs share one checkpoint file (concurrent `Runner.astart` calls, several
processes); each commit holds the write lock for milliseconds, so a writer waits
its turn instead of failing with `database is locked` after SQLite's default 5 s.
"""

SYNCHRONOUS = "NORMAL"
"""SQLite's `synchronous` setting for checkpoint connections (in WAL mode).

With NORMAL a commit is written to the write-ahead log without an fsync: it survives
the process being killed at any moment (the operating system has the data), not a
power loss or an operating system crash, which can roll back the commits of the last
moments (the database stays consistent). `sync_wal` makes them durable when a run
returns; FULL would fsync every step's commit instead.
"""

_POSTGRES = ("postgres://", "postgresql://")


def sqlite_path(url: str | None, *, root: Path) -> Path | None:
    """The SQLite file `url` names (the default under `root` when None); None for Postgres.

    Raises:
        ConfigError: the URL has a scheme modegraph does not know.
    """
    if url is None:
        return root / CHECKPOINT_FILE
    if url.startswith(_POSTGRES):
        return None
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    if "://" in url:
        raise ConfigError(
            f"--checkpoint {shown_url(url)!r}: use sqlite:///PATH, a file path, or postgres://..."
        )
    return Path(url)


def shown_url(url: str) -> str:
    """`url` as it may be shown: the password replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def _postgres_missing(url: str) -> ConfigError:
    return ConfigError(
        f"--checkpoint {shown_url(url)!r} needs the Postgres checkpointer; install it "
        "with `pip install 'modegraph[postgres]'`"
    )


def check_checkpoint(url: str | None) -> None:
    """Check `url` before a run does anything (reserves an id, writes a file).

    Raises:
        ConfigError: an unknown scheme, or Postgres without the `postgres` extra.
    """
    if url is None or sqlite_path(url, root=Path()) is not None:
        return
    if importlib.util.find_spec("langgraph.checkpoint.postgres") is None:
        raise _postgres_missing(url)


def _missing_file(path: Path) -> JournalError:
    return JournalError(
        f"there is no checkpoint file {path}, so no run can be resumed from it; pass the "
        "same --journal and --checkpoint as the run (`modegraph journal list` shows the "
        "task ids)"
    )


def _prepare_sqlite(path: Path) -> None:
    """Create the checkpoint file's tables and switch it to write-ahead logging, once.

    Switching the journal mode needs the database to itself, and SQLite answers
    `database is locked` at once (its busy timeout does not apply) when several
    connections try it together on a new file, as concurrent `Runner.astart` calls
    do. So the switch and the table set-up happen under a file lock, one connection
    at a time; WAL is a property of the file, so every later connection inherits it.
    """
    from filelock import FileLock
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{path}.lock", timeout=BUSY_TIMEOUT):
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, check_same_thread=False)
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            SqliteSaver(conn).setup()
        finally:
            conn.close()


def sync_wal(path: Path) -> None:
    """Sync the write-ahead log of the SQLite file `path` to disk: every commit is durable.

    This is what `synchronous=FULL` does at each commit, done once (a run's end).
    """
    try:
        fd = os.open(f"{path}-wal", os.O_RDONLY)
    except FileNotFoundError:
        return  # no log: the commits are in the database file, synced by its checkpoint
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def checkpointer(url: str | None, *, root: Path, must_exist: bool = False) -> Iterator[Any]:
    """A synchronous checkpointer for `url`, closed on exit.

    Raises:
        ConfigError: see `check_checkpoint`.
        JournalError: `must_exist` and the SQLite file does not exist (nothing is created).
    """
    path = sqlite_path(url, root=root)
    if must_exist and path is not None and not path.is_file():
        raise _missing_file(path)
    if path is None:
        assert url is not None
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
        except ImportError as exc:
            raise _postgres_missing(url) from exc
        with PostgresSaver.from_conn_string(url) as postgres:
            postgres.setup()
            yield postgres
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    _prepare_sqlite(path)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT)
    try:
        conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        saver = SqliteSaver(conn)
        saver.setup()
        yield saver
        sync_wal(path)
    finally:
        conn.close()


@asynccontextmanager
async def acheckpointer(
    url: str | None, *, root: Path, must_exist: bool = False
) -> AsyncIterator[Any]:
    """An asynchronous checkpointer for `url`, closed on exit (raises as `checkpointer`)."""
    path = sqlite_path(url, root=root)
    if must_exist and path is not None and not path.is_file():
        raise _missing_file(path)
    if path is None:
        assert url is not None
        try:
            from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        except ImportError as exc:
            raise _postgres_missing(url) from exc
        async with AsyncPostgresSaver.from_conn_string(url) as postgres:
            await postgres.setup()
            yield postgres
        return
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    await asyncio.to_thread(_prepare_sqlite, path)
    async with aiosqlite.connect(str(path), timeout=BUSY_TIMEOUT) as conn:
        await conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        saver = AsyncSqliteSaver(conn)
        await saver.setup()
        yield saver
        await asyncio.to_thread(sync_wal, path)

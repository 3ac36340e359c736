"""Checkpointers: SQLite under the journal root by default, Postgres on request.

`--checkpoint` takes `sqlite:///path/to/file.sqlite` (or a bare path) or
`postgres://...` / `postgresql://...` (needs the `postgres` extra). Without it the
checkpoints go to `<journal root>/checkpoints.sqlite`. The thread id of a run is
its task id, so `modegraph resume TASK-ID` finds it again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from modegraph.errors import ConfigError

__all__ = ["CHECKPOINT_FILE", "acheckpointer", "checkpointer", "sqlite_path"]

CHECKPOINT_FILE = "checkpoints.sqlite"
"""Name of the default SQLite checkpoint file, under the journal root."""

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
            f"--checkpoint {url!r}: use sqlite:///PATH, a file path, or postgres://..."
        )
    return Path(url)


def _postgres_missing(url: str) -> ConfigError:
    return ConfigError(
        f"--checkpoint {url.split('@')[-1]!r} needs the Postgres checkpointer; install it "
        "with `pip install 'modegraph[postgres]'`"
    )


@contextmanager
def checkpointer(url: str | None, *, root: Path) -> Iterator[Any]:
    """A synchronous checkpointer for `url`, closed on exit."""
    path = sqlite_path(url, root=root)
    if path is None:
        assert url is not None
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
        except ImportError as exc:
            raise _postgres_missing(url) from exc
        with PostgresSaver.from_conn_string(url) as saver:
            saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    try:
        saver = SqliteSaver(conn)
        saver.setup()
        yield saver
    finally:
        conn.close()


@asynccontextmanager
async def acheckpointer(url: str | None, *, root: Path) -> AsyncIterator[Any]:
    """An asynchronous checkpointer for `url`, closed on exit."""
    path = sqlite_path(url, root=root)
    if path is None:
        assert url is not None
        try:
            from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        except ImportError as exc:
            raise _postgres_missing(url) from exc
        async with AsyncPostgresSaver.from_conn_string(url) as saver:
            await saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        await saver.setup()
        yield saver

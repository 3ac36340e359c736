"""Many runs share one SQLite checkpoint file without `database is locked`."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from modegraph.coordinator.persistence import BUSY_TIMEOUT, acheckpointer, checkpointer
from modegraph.coordinator.runner import Runner
from modegraph.modes.catalog.layers import load_catalog


def _mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def test_sync_and_async_checkpointers_use_wal_and_wait_for_the_lock(tmp_path: Path) -> None:
    with checkpointer(None, root=tmp_path / "a") as saver:
        assert saver.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT * 1000
    assert _mode(tmp_path / "a" / "checkpoints.sqlite") == "wal"

    async def open_async() -> None:
        async with acheckpointer(None, root=tmp_path / "b") as saver:
            cursor = await saver.conn.execute("PRAGMA busy_timeout")
            assert (await cursor.fetchone())[0] == BUSY_TIMEOUT * 1000

    asyncio.run(open_async())
    assert _mode(tmp_path / "b" / "checkpoints.sqlite") == "wal"


def test_concurrent_async_runs_share_one_checkpoint_file(tmp_path: Path) -> None:
    catalog = load_catalog(project_dir=tmp_path, user_dir=tmp_path)
    runner = Runner(catalog=catalog, journal_root=tmp_path / "journal")

    async def many() -> list[str]:
        results = await asyncio.gather(
            *(
                runner.astart(
                    f"Add endpoint {n} and index the orders table for it",
                    entry="fastapi-developer",
                )
                for n in range(12)
            )
        )
        return [r.status.value for r in results]

    assert asyncio.run(many()) == ["completed"] * 12

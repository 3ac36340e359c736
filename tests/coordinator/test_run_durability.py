"""A run fsyncs once, when it returns: its journal files, their directory and the checkpoints."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from modegraph.agents import RuleAgent
from modegraph.coordinator import Runner, RunStatus
from modegraph.coordinator import persistence as persistence_module
from modegraph.coordinator.persistence import SYNCHRONOUS, acheckpointer, checkpointer
from modegraph.journal import files as journal_files
from modegraph.modes.catalog import Catalog

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)
_SYNCHRONOUS_CODES = {"OFF": 0, "NORMAL": 1, "FULL": 2, "EXTRA": 3}


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths fsynced by the journal and the checkpointer, in order."""
    if not Path("/proc/self/fd").is_dir():  # pragma: no cover - not Linux
        pytest.skip("needs /proc/self/fd to name the files synced")
    seen: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(journal_files.os, "fsync", fsync)
    monkeypatch.setattr(persistence_module.os, "fsync", fsync)
    return seen


def test_a_run_syncs_each_file_it_wrote_once_when_it_returns(
    tmp_path: Path, seed_catalog: Catalog, synced: list[str]
) -> None:
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    result = runner.start(GOAL, entry="fastapi-developer")
    assert result.status is RunStatus.COMPLETED
    task_files = sorted(str(p) for p in runner.journal.tasks_dir.glob("*.md"))
    assert len(task_files) == 3  # the root task and its two subtasks
    journal_syncs = [p for p in synced if not p.endswith("-wal")]
    assert sorted(p for p in journal_syncs if p.endswith(".md")) == task_files
    assert str(runner.journal.tasks_dir) in journal_syncs
    assert len(journal_syncs) == len(set(journal_syncs))  # nothing twice
    wal = [p for p in synced if p.endswith("checkpoints.sqlite-wal")]
    assert len(wal) <= 1  # the last connection's close may have checkpointed it already
    # when the run returns, every entry is in the Markdown files themselves
    assert list((tmp_path / ".pending").glob("*.log")) == []
    for path in runner.journal.tasks_dir.glob("*.md"):
        record = runner.journal.read(path.stem)
        text = path.read_text(encoding="utf-8")
        assert all(f"<!-- entry: {e.id} " in text for e in record.entries), path


def test_an_async_run_syncs_when_it_returns_too(
    tmp_path: Path, seed_catalog: Catalog, synced: list[str]
) -> None:
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    result = asyncio.run(runner.astart(GOAL, entry="fastapi-developer"))
    assert result.status is RunStatus.COMPLETED
    task_files = sorted(str(p) for p in runner.journal.tasks_dir.glob("*.md"))
    assert sorted(p for p in synced if p.endswith(".md")) == task_files


def test_checkpoint_connections_commit_without_an_fsync_each(tmp_path: Path) -> None:
    with checkpointer(None, root=tmp_path) as saver:
        level = saver.conn.execute("PRAGMA synchronous").fetchone()[0]
    assert level == _SYNCHRONOUS_CODES[SYNCHRONOUS] == 1

    async def level_async() -> int:
        async with acheckpointer(None, root=tmp_path) as saver:
            cursor = await saver.conn.execute("PRAGMA synchronous")
            row = await cursor.fetchone()
            return int(row[0])

    assert asyncio.run(level_async()) == 1


def test_the_write_ahead_log_is_synced_before_the_connection_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    monkeypatch.setattr(persistence_module, "sync_wal", seen.append)
    with checkpointer(None, root=tmp_path):
        assert seen == []
    assert seen == [tmp_path / "checkpoints.sqlite"]

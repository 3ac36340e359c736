"""Every step of a run is on disk before the next starts: journal first, then its checkpoint.

A power loss at any moment then loses at most the step that was running (which
`resume` runs again), never a step whose checkpoint was saved.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from modegraph.agents import RuleAgent
from modegraph.coordinator import Decision, Runner, RunResult, RunStatus
from modegraph.coordinator import persistence as persistence_module
from modegraph.coordinator.persistence import SYNCHRONOUS, acheckpointer, checkpointer
from modegraph.journal import _writer as writer_module
from modegraph.modes.catalog import Catalog

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)
_SYNCHRONOUS_CODES = {"OFF": 0, "NORMAL": 1, "FULL": 2, "EXTRA": 3}


class Disk:
    """What a power loss would keep: journal files and checkpoints not yet fsynced are at risk.

    Journal writes (atomic replaces and append-log records) put their file and its
    directory at risk until each is fsynced; a checkpoint commit puts the SQLite
    write-ahead log at risk until it is fsynced. A violation is a checkpoint saved
    while a journal write is at risk, or a journal write (the next step) while the
    last checkpoint is.
    """

    def __init__(self) -> None:
        self.at_risk: dict[str, None] = {}
        self.wal_at_risk = 0
        self.puts = 0
        self.violations: list[str] = []
        self.synced: list[str] = []

    def wrote(self, path: Path) -> None:
        if self.wal_at_risk:
            self.violations.append(f"{path.name} written before checkpoint {self.puts} synced")
        self.at_risk.update({str(path): None, str(path.parent): None})

    def fsynced(self, name: str) -> None:
        self.synced.append(name)
        self.at_risk.pop(name, None)
        if name.endswith("-wal"):
            self.wal_at_risk = 0

    def checkpoint(self) -> None:
        self.puts += 1
        if self.at_risk:
            names = ", ".join(Path(p).name for p in self.at_risk)
            self.violations.append(f"checkpoint {self.puts} saved while not on disk: {names}")
        self.wal_at_risk = self.puts


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    """Watch the journal's writes, every fsync and every SQLite checkpoint `put`."""
    if not Path("/proc/self/fd").is_dir():  # pragma: no cover - not Linux
        pytest.skip("needs /proc/self/fd to name the files synced")
    seen = Disk()
    real_fsync = os.fsync
    real_datasync = getattr(os, "fdatasync", os.fsync)
    real_write, real_append = writer_module.write_atomic, writer_module.append_record

    def fsync(fd: int) -> None:
        real_fsync(fd)
        seen.fsynced(os.readlink(f"/proc/self/fd/{fd}"))

    def fdatasync(fd: int) -> None:
        real_datasync(fd)
        seen.fsynced(os.readlink(f"/proc/self/fd/{fd}"))

    def write_atomic(path: Path, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("durable", True):  # synced before it returns: never at risk
            real_write(path, *args, **kwargs)
            return
        seen.wrote(path)
        real_write(path, *args, **kwargs)

    def append_record(path: Path, record: bytes) -> bool:
        seen.wrote(path)  # at risk until its fdatasync (right after, outside deferred_sync)
        return real_append(path, record)

    real_put, real_aput = SqliteSaver.put, AsyncSqliteSaver.aput

    def put(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.checkpoint()
        return real_put(self, *args, **kwargs)

    async def aput(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.checkpoint()
        return await real_aput(self, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    if hasattr(os, "fdatasync"):
        monkeypatch.setattr(os, "fdatasync", fdatasync)
    monkeypatch.setattr(writer_module, "write_atomic", write_atomic)
    monkeypatch.setattr(writer_module, "append_record", append_record)
    monkeypatch.setattr(SqliteSaver, "put", put)
    monkeypatch.setattr(AsyncSqliteSaver, "aput", aput)
    return seen


def _check_every_step_durable(runner: Runner, result: RunResult, disk: Disk) -> None:
    assert result.status is RunStatus.COMPLETED
    assert disk.puts >= 5  # the input, then each step
    assert disk.violations == []
    assert not disk.at_risk and not disk.wal_at_risk  # and all of it when the run returns
    # when the run returns, every entry is in the Markdown files themselves
    assert list((runner.journal.root / ".pending").glob("*.log")) == []
    for path in runner.journal.tasks_dir.glob("*.md"):
        record = runner.journal.read(path.stem)
        text = path.read_text(encoding="utf-8")
        assert all(f"<!-- entry: {e.id} " in text for e in record.entries), path


def test_each_step_is_on_disk_before_the_next_one_starts(
    tmp_path: Path, seed_catalog: Catalog, disk: Disk
) -> None:
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    result = runner.start(GOAL, entry="fastapi-developer")
    _check_every_step_durable(runner, result, disk)
    # grouped: each file once per step that wrote it, not once per write
    assert len(disk.synced) < 5 * disk.puts


def test_each_step_of_an_async_run_is_on_disk_before_the_next_one_starts(
    tmp_path: Path, seed_catalog: Catalog, disk: Disk
) -> None:
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    result = asyncio.run(runner.astart(GOAL, entry="fastapi-developer"))
    _check_every_step_durable(runner, result, disk)


def test_a_resumed_run_syncs_each_step_too(
    start_waiting: Callable[[], tuple[Runner, RunResult]], disk: Disk
) -> None:
    runner, waiting = start_waiting()
    result = runner.resume(waiting.task_id, decision=Decision(approved=True))
    _check_every_step_durable(runner, result, disk)


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


def test_a_runner_holds_the_checkpoint_file_open_so_a_run_does_not_copy_its_log_back(
    tmp_path: Path, seed_catalog: Catalog
) -> None:
    # the last connection to close copies the write-ahead log into the database and
    # syncs it; the Runner's idle connection keeps a run's close from being the last
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    assert runner.start(GOAL, entry="fastapi-developer").status is RunStatus.COMPLETED
    wal = tmp_path / "checkpoints.sqlite-wal"
    assert wal.is_file() and wal.stat().st_size > 0
    again = Runner(catalog=seed_catalog, journal_root=tmp_path).resume(
        runner.start(GOAL, entry="fastapi-developer").task_id
    )
    assert again.status is RunStatus.COMPLETED  # another connection reads it all
    del runner
    gc.collect()
    assert not wal.is_file() or wal.stat().st_size == 0  # the last close copied it back


def test_a_runner_sets_its_checkpoint_file_up_once_and_again_when_it_is_replaced(
    tmp_path: Path, seed_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = persistence_module._prepare_sqlite

    def prepare(path: Path, url: str | None) -> None:
        calls.append(path)
        real(path, url)

    monkeypatch.setattr(persistence_module, "_prepare_sqlite", prepare)
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    first = runner.start(GOAL, entry="fastapi-developer")
    second = runner.start(GOAL, entry="fastapi-developer")
    assert calls == [tmp_path / "checkpoints.sqlite"]
    for name in ("checkpoints.sqlite", "checkpoints.sqlite-wal", "checkpoints.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)  # a new, empty file: set up again
    third = runner.start(GOAL, entry="fastapi-developer")
    assert len(calls) == 2
    assert {r.status for r in (first, second, third)} == {RunStatus.COMPLETED}
    assert runner.resume(third.task_id).status is RunStatus.COMPLETED

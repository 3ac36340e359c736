"""A run that died inside a checkpoint write resumes to its end (issue 18, items 1 and 2).

A *crash* here is an exception raised inside the N-th `SqliteSaver.put` before its
SQL runs: what is on disk is exactly what a process killed at that moment leaves
(the step's task writes saved with `put_writes`, its checkpoint not). The forked
SIGKILL version over every write point is `test_crash_points.py`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from modegraph.coordinator import Decision, Runner, RunStatus, stored_settings
from modegraph.errors import ApprovalError, JournalError
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)


class Crash(BaseException):
    """Stands for SIGKILL: nothing in the coordinator catches it."""


class CrashAt:
    """Counts checkpoint puts from `arm(n)` on and crashes inside the n-th (0: never)."""

    def __init__(self) -> None:
        self.arm(0)

    def arm(self, n: int) -> None:
        self.n, self.counter = n, itertools.count(1)

    def hit(self) -> bool:
        return next(self.counter) == self.n


@pytest.fixture
def crash_at_put(monkeypatch: pytest.MonkeyPatch) -> Iterator[CrashAt]:
    """Make the N-th checkpoint `put` (sync or async) crash after `crash_at_put.arm(N)`."""
    crash = CrashAt()
    real_put, real_aput = SqliteSaver.put, AsyncSqliteSaver.aput

    def put(self: Any, *args: Any, **kwargs: Any) -> Any:
        if crash.hit():
            raise Crash
        return real_put(self, *args, **kwargs)

    async def aput(self: Any, *args: Any, **kwargs: Any) -> Any:
        if crash.hit():
            raise Crash
        return await real_aput(self, *args, **kwargs)

    monkeypatch.setattr(SqliteSaver, "put", put)
    monkeypatch.setattr(AsyncSqliteSaver, "aput", aput)
    yield crash


def crashed_task(root: Path) -> str:
    (task_id,) = [p.name for p in (root / ".ids").iterdir()]  # the id the run reserved
    return task_id


def roles(result: Any) -> list[str]:
    return sorted(s.role for s in result.subtasks)


@pytest.mark.parametrize("put", [3, 4])  # mid-run: this goal saves five checkpoints
def test_a_run_killed_before_its_step_checkpoint_is_finished_by_resume(
    tmp_path: Path, seed_catalog: Catalog, crash_at_put: CrashAt, put: int
) -> None:
    reference = Runner(catalog=seed_catalog, journal_root=tmp_path / "clean").start(
        GOAL, entry="fastapi-developer"
    )
    root = tmp_path / "crashed"
    crash_at_put.arm(put)
    runner = Runner(catalog=seed_catalog, journal_root=root)
    with pytest.raises(Crash):
        runner.start(GOAL, entry="fastapi-developer")
    crash_at_put.arm(0)
    task_id = crashed_task(root)
    assert Journal(root).read(task_id).status.value == "in_progress"

    done = runner.resume(task_id)
    assert done.status is RunStatus.COMPLETED, done.reason
    assert roles(done) == roles(reference)
    assert Journal(root).read(task_id).status.value == "complete"
    # a finished run resumes to the same result
    assert runner.resume(task_id) == done


def test_a_run_killed_inside_the_second_checkpoint_write_resumes(
    tmp_path: Path, seed_catalog: Catalog, crash_at_put: CrashAt
) -> None:
    # only the input checkpoint was saved: the settings are in the run's input
    crash_at_put.arm(2)
    runner = Runner(catalog=seed_catalog, journal_root=tmp_path)
    with pytest.raises(Crash):
        runner.start(GOAL, entry="fastapi-developer")
    crash_at_put.arm(0)
    task_id = crashed_task(tmp_path)
    assert stored_settings(task_id, journal_root=tmp_path).entry == "fastapi-developer"
    done = runner.resume(task_id)
    assert done.status is RunStatus.COMPLETED
    assert len(done.subtasks) == 3


def test_a_run_killed_inside_its_first_checkpoint_write_says_start_again(
    tmp_path: Path, seed_catalog: Catalog, crash_at_put: CrashAt
) -> None:
    crash_at_put.arm(1)
    runner = Runner(catalog=seed_catalog, journal_root=tmp_path)
    with pytest.raises(Crash):
        runner.start(GOAL, entry="fastapi-developer")
    task_id = crashed_task(tmp_path)
    with pytest.raises(JournalError, match=r"stopped before its first checkpoint.*modegraph run"):
        runner.resume(task_id)


def test_an_approval_answer_for_a_crashed_run_says_to_resume_without_one(
    tmp_path: Path, seed_catalog: Catalog, crash_at_put: CrashAt
) -> None:
    crash_at_put.arm(5)
    runner = Runner(catalog=seed_catalog, journal_root=tmp_path)
    with pytest.raises(Crash):
        runner.start(GOAL, entry="fastapi-developer")
    crash_at_put.arm(0)
    task_id = crashed_task(tmp_path)
    with pytest.raises(ApprovalError, match=r"stopped before it finished.*without --approve"):
        runner.resume(task_id, decision=Decision(approved=True))


def test_async_resume_finishes_a_run_killed_before_its_step_checkpoint(
    tmp_path: Path, seed_catalog: Catalog, crash_at_put: CrashAt
) -> None:
    runner = Runner(catalog=seed_catalog, journal_root=tmp_path)

    async def go() -> Any:
        crash_at_put.arm(4)
        with pytest.raises(Crash):
            await runner.astart(GOAL, entry="fastapi-developer")
        crash_at_put.arm(0)
        return await runner.aresume(crashed_task(tmp_path))

    done = asyncio.run(go())
    assert done.status is RunStatus.COMPLETED
    assert len(done.subtasks) == 3

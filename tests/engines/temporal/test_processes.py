"""Real `modegraph worker` processes: turns spread over them, a killed one loses nothing.

- two worker processes run eight fan-out tasks: role turns run in both processes,
  and every task's journal equals a local run's; the recorded histories replay in
  this process (the workflow is deterministic across processes);
- an approval is answered from another process (`modegraph resume --approve`);
- a worker is killed (SIGKILL) in the middle of a slow role turn; another worker,
  started after the kill, runs the turn again and the task completes, every journal
  entry written exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modegraph.agents import RuleAgent
from modegraph.coordinator import ApprovalRule, Decision, Policy, Runner, RunStatus
from modegraph.engines.temporal import (
    RemoteRun,
    TemporalRunner,
    Timeouts,
    connect,
    workers_polling,
)
from modegraph.journal.store import Journal
from modegraph.modes.catalog.layers import load_catalog

HERE = Path(__file__).parent
GOALS = [
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker",
    "Add a payments endpoint, index the orders table and set up the CI pipeline",
    "Write the migrations for the invoices table and containerize the API",
    "Add login with JWT, a schema for sessions and a Kubernetes deployment",
]

Spawn = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def spawn(temporal: str, queue: str, tmp_path: Path) -> Iterator[Spawn]:
    """Start `modegraph worker` processes on this test's queue; all stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"{name}.log", "wb")
        command = [sys.executable, "-m", "modegraph", "worker", "--temporal", temporal]
        command += ["--task-queue", queue, "--journal", str(tmp_path / "remote")]
        if env.pop("slow", ""):
            command += ["--agent", "slow_agent:make"]
        environ = {**os.environ, "PYTHONPATH": str(HERE), **env}
        process = subprocess.Popen(command, stdout=log, stderr=log, env=environ)
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck worker
            process.kill()


async def _until_polling(client: Any, queue: str, count: int, timeout: float = 60) -> set[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await workers_polling(client, queue)
        if len(found) >= count:
            return set(found)
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {count} workers polled {queue} within {timeout} s")


def _entry_ids(root: Path, task_id: str) -> dict[str, Counter[str]]:
    journal = Journal(root)
    return {
        name: Counter(e.id for e in journal.read(name).entries)
        for name in journal.ids()
        if name == task_id or name.startswith(f"{task_id}.")
    }


def test_two_worker_processes_share_eight_tasks_and_journal_them_as_a_local_run(
    spawn: Spawn, temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    from temporalio.worker import Replayer

    from modegraph.engines import catalog_digest
    from modegraph.engines.temporal.workflow import TaskWorkflow, serve_catalog, stop_serving

    catalog = load_catalog()
    workers = [spawn("a"), spawn("b")]
    local = Runner(catalog=catalog, journal_root=tmp_path / "local")
    wants = [local.start(GOALS[n % len(GOALS)], entry="fastapi-developer") for n in range(8)]

    async def scenario() -> tuple[list[RemoteRun], set[str], list[Any]]:
        client = await connect(temporal)
        polling = await _until_polling(client, queue, 2)
        runner = TemporalRunner(
            client=client, catalog=catalog, journal_root=tmp_path / "ids", task_queue=queue
        )
        runs = await asyncio.gather(
            *(runner.astart(GOALS[n % len(GOALS)], entry="fastapi-developer") for n in range(8))
        )
        histories = [
            await client.get_workflow_handle(r.result.task_id).fetch_history() for r in runs
        ]
        return list(runs), polling, histories

    runs, polling, histories = asyncio.run(scenario())
    pids = {f"{w.pid}@" for w in workers}
    assert {p.split("@")[0] + "@" for p in polling} == pids
    turns = [t for run in runs for t in run.turns]
    assert {t.worker.split("@")[0] + "@" for t in turns} == pids, "turns ran in one process"
    for want, run in zip(wants, runs, strict=True):
        assert run.result.status is RunStatus.COMPLETED
        assert same_journal(tmp_path / "remote", run.result.task_id) == same_journal(
            tmp_path / "local", want.task_id
        )
    # the histories the worker processes wrote replay here, command for command
    serve_catalog(queue, catalog_digest(catalog), catalog)
    try:
        from temporalio.contrib.pydantic import pydantic_data_converter

        replayer = Replayer(workflows=[TaskWorkflow], data_converter=pydantic_data_converter)
        for history in histories:
            asyncio.run(replayer.replay_workflow(history))
    finally:
        stop_serving(queue)


def test_an_approval_is_answered_from_another_process(
    spawn: Spawn, temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    catalog = load_catalog()
    policy = Policy(approve=ApprovalRule.parse("escalations"))
    spawn("a")
    runner = Runner(catalog=catalog, policy=policy, journal_root=tmp_path / "local")
    waiting = runner.start(GOALS[0], entry="fastapi-developer")
    local = runner.resume(waiting.task_id, decision=Decision(approved=True))

    async def start() -> RemoteRun:
        client = await connect(temporal)
        await _until_polling(client, queue, 1)
        temporal_runner = TemporalRunner(
            client=client,
            catalog=catalog,
            policy=policy,
            journal_root=tmp_path / "ids",
            task_queue=queue,
        )
        return await temporal_runner.astart(GOALS[0], entry="fastapi-developer")

    stopped = asyncio.run(start())
    assert stopped.result.status is RunStatus.WAITING_APPROVAL
    task_id = stopped.result.task_id
    command = [sys.executable, "-m", "modegraph", "resume", task_id, "--approve"]
    command += ["--engine", "temporal", "--temporal", temporal, "--json"]
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert data["status"] == "completed"
    assert data["engine"]["name"] == "temporal" and len(data["engine"]["turns"]) == 5
    assert same_journal(tmp_path / "remote", task_id) == same_journal(
        tmp_path / "local", local.task_id
    )


def test_a_worker_killed_mid_turn_loses_nothing(
    spawn: Spawn, temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    catalog = load_catalog()
    marks = tmp_path / "marks"
    slow = {"slow": "yes", "SLOW_ROLE": "database-specialist", "SLOW_MARKS": str(marks)}
    first = spawn("first", SLOW_SECONDS="60", **slow)
    local = Runner(catalog=catalog, agent=RuleAgent(catalog=catalog), journal_root=tmp_path / "l")
    want = local.start(GOALS[0], entry="fastapi-developer")

    async def scenario() -> tuple[RemoteRun, float]:
        client = await connect(temporal)
        await _until_polling(client, queue, 1)
        runner = TemporalRunner(
            client=client,
            catalog=catalog,
            journal_root=tmp_path / "ids",
            task_queue=queue,
            timeouts=Timeouts(heartbeat=2),
        )
        task_id = await runner.submit(GOALS[0], entry="fastapi-developer")
        following = asyncio.create_task(runner.afollow(task_id))
        mark = marks / f"{task_id}.2@{first.pid}"
        while not mark.exists():
            assert not following.done()
            await asyncio.sleep(0.05)
        first.send_signal(signal.SIGKILL)  # in the middle of database-specialist's turn
        killed = time.monotonic()
        spawn("second", SLOW_SECONDS="0", **slow)
        run = await following
        return run, time.monotonic() - killed

    run, after_kill = asyncio.run(scenario())
    assert first.wait(10) == -signal.SIGKILL
    assert run.result.status is RunStatus.COMPLETED
    retried = [t for t in run.turns if t.role == "database-specialist"]
    assert len(retried) == 1 and retried[0].attempt >= 2
    assert not retried[0].worker.startswith(f"{first.pid}@")
    assert same_journal(tmp_path / "remote", run.result.task_id) == same_journal(
        tmp_path / "l", want.task_id
    )
    entries = _entry_ids(tmp_path / "remote", run.result.task_id)
    assert len(entries) == 4
    assert all(count == 1 for ids in entries.values() for count in ids.values())
    assert after_kill < 60, f"the task took {after_kill:.1f} s after the kill"

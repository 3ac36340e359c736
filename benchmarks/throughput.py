"""Throughput: offline tasks one after another and concurrently, against a baseline.

Run with:
    python benchmarks/throughput.py [--tasks N] [--rounds R] [--smoke]
    python benchmarks/throughput.py --baseline /tmp/old/src   # the same, for an older tree

Each task is a real `modegraph run` through the library: the offline rule agent
routes a multi-clause goal from the FastAPI developer to its specialists, the
journal is written, and every step is checkpointed in SQLite. The tasks run once one
after another (`Runner.start`) and once concurrently on one event loop
(`Runner.astart` under `asyncio.gather`). Each measurement runs in a fresh child
process; with `--baseline SRC` the same measurement runs with another source tree
first on the path (an export of an older commit: `git archive COMMIT | tar -x -C
/tmp/old`), the two alternating round by round, so both see the same machine. The
script prints medians: tasks per second, CPU per task (the child's user + system
time over the tasks, start-up excluded), and the journal's durable writes per task
(fsync and fdatasync calls, renames of task files).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOALS = (
    "Add a /users endpoint with pagination, index the users table for email lookups, "
    "and add rate limiting to login",
    "Build a signup flow with password hashing, a Postgres migration for the accounts "
    "table, and a Docker image for the service",
    "Expose order history over a WebSocket, tune the slow orders query, and set up a "
    "GitHub Actions pipeline that runs the tests",
    "Add OAuth2 login with JWT refresh tokens and deploy the API to Kubernetes",
)


class _Counts:
    """Counts the journal's fsync, fdatasync and rename calls in this process."""

    def __init__(self) -> None:
        self.fsync = 0
        self.rename = 0
        real_fsync, real_replace = os.fsync, os.replace
        real_datasync = getattr(os, "fdatasync", os.fsync)

        def fsync(fd: int) -> None:
            self.fsync += 1
            real_fsync(fd)

        def fdatasync(fd: int) -> None:
            self.fsync += 1
            real_datasync(fd)

        def replace(src: Any, dst: Any) -> None:
            self.rename += str(dst).endswith(".md")
            real_replace(src, dst)

        os.fsync, os.fdatasync, os.replace = fsync, fdatasync, replace  # type: ignore[assignment]


def _runner(root: Path) -> Any:
    from modegraph.coordinator.runner import Runner
    from modegraph.modes.catalog.layers import load_catalog

    empty = tempfile.mkdtemp()
    catalog = load_catalog(project_dir=empty, user_dir=empty)
    return Runner(catalog=catalog, journal_root=root)


def sequential(tasks: int, root: Path) -> dict[str, float]:
    """Tasks one after another; the first (warm-up) task is not timed."""
    runner = _runner(root)
    runner.start(GOALS[0], entry="fastapi-developer")
    counts = _Counts()
    cpu, start = time.process_time(), time.perf_counter()
    for n in range(tasks):
        result = runner.start(GOALS[n % len(GOALS)], entry="fastapi-developer")
        assert result.status.value == "completed", result
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "tasks_per_second": tasks / seconds,
        "cpu_ms_per_task": 1000 * (time.process_time() - cpu) / tasks,
        "fsyncs_per_task": counts.fsync / tasks,
        "renames_per_task": counts.rename / tasks,
    }


async def _concurrent(tasks: int, root: Path) -> float:
    runner = _runner(root)
    start = time.perf_counter()
    results = await asyncio.gather(
        *(runner.astart(GOALS[n % len(GOALS)], entry="fastapi-developer") for n in range(tasks))
    )
    elapsed = time.perf_counter() - start
    assert all(r.status.value == "completed" for r in results), results
    assert len({r.task_id for r in results}) == tasks, "task ids must be unique"
    return elapsed


def measure(tasks: int) -> dict[str, float]:
    """One child's measurement: sequential, then concurrent, in fresh journals."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = sequential(tasks, Path(tmp) / "seq")
        concurrent = asyncio.run(_concurrent(tasks, Path(tmp) / "conc"))
    figures["concurrent_tasks_per_second"] = tasks / concurrent
    return figures


def _child(tasks: int, src: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--tasks", str(tasks)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the measurement failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=40, help="tasks per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per tree")
    parser.add_argument("--baseline", metavar="SRC", help="another source tree to compare")
    parser.add_argument("--smoke", action="store_true", help="3 tasks, one round, for the tests")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    tasks, rounds = (3, 1) if opts.smoke else (opts.tasks, opts.rounds)
    if opts.child:
        print(json.dumps(measure(tasks)))
        return
    trees = {"this tree": None} | ({"baseline": opts.baseline} if opts.baseline else {})
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(rounds):
        for name, src in trees.items():
            samples[name].append(_child(tasks, src))
    medians = {
        name: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
        for name, runs in samples.items()
    }
    if opts.json:
        print(json.dumps(medians, indent=2))
        return
    print(f"{tasks} offline tasks (rule agent, SQLite checkpoints, journal written), ", end="")
    print(f"median of {rounds} rounds")
    print(
        f"{'tree':<12} {'one after another':>18} {'cpu ms/task':>12} {'fsyncs/task':>12} "
        f"{'renames/task':>13} {'concurrent':>11}"
    )
    for name, fig in medians.items():
        print(
            f"{name:<12} {fig['tasks_per_second']:>12.1f} tasks/s {fig['cpu_ms_per_task']:>12.1f} "
            f"{fig['fsyncs_per_task']:>12.1f} {fig['renames_per_task']:>13.1f} "
            f"{fig['concurrent_tasks_per_second']:>5.1f} tasks/s"
        )
    now = medians["this tree"]
    ratio = now["concurrent_tasks_per_second"] / now["tasks_per_second"]
    print(f"concurrent / sequential throughput: x{ratio:.2f}")
    if "baseline" in medians:
        old = medians["baseline"]
        print(
            f"this tree / baseline: x{now['tasks_per_second'] / old['tasks_per_second']:.2f} "
            f"tasks/s one after another, x{old['cpu_ms_per_task'] / now['cpu_ms_per_task']:.2f} "
            "less CPU per task"
        )


if __name__ == "__main__":
    main()

"""Throughput: offline tasks run concurrently in one process (async) against one after another.

Run with: python benchmarks/throughput.py [--tasks N] [--smoke]

Each task is a real `modegraph run` through the library: the offline rule agent
routes a multi-clause goal from the FastAPI developer to its specialists, the
journal is written, and every step is checkpointed in SQLite. The same tasks run
once one after another (`Runner.start`) and once concurrently on one event loop
(`Runner.astart` under `asyncio.gather`); the script prints tasks per second for
both and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from modegraph.coordinator.runner import Runner
from modegraph.modes.catalog.layers import load_catalog

GOALS = (
    "Add a /users endpoint with pagination, index the users table for email lookups, "
    "and add rate limiting to login",
    "Build a signup flow with password hashing, a Postgres migration for the accounts "
    "table, and a Docker image for the service",
    "Expose order history over a WebSocket, tune the slow orders query, and set up a "
    "GitHub Actions pipeline that runs the tests",
    "Add OAuth2 login with JWT refresh tokens and deploy the API to Kubernetes",
)


def _runner(root: Path) -> Runner:
    empty = tempfile.mkdtemp()
    catalog = load_catalog(project_dir=empty, user_dir=empty)
    return Runner(catalog=catalog, journal_root=root)


def sequential(tasks: int, root: Path) -> float:
    """Seconds for `tasks` runs one after another."""
    runner = _runner(root)
    start = time.perf_counter()
    for n in range(tasks):
        result = runner.start(GOALS[n % len(GOALS)], entry="fastapi-developer")
        assert result.status.value == "completed", result
    return time.perf_counter() - start


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--smoke", action="store_true", help="3 tasks, for the tests")
    opts = parser.parse_args()
    tasks = 3 if opts.smoke else opts.tasks
    with tempfile.TemporaryDirectory() as tmp:
        seq = sequential(tasks, Path(tmp) / "seq")
        conc = asyncio.run(_concurrent(tasks, Path(tmp) / "conc"))
    print(f"{tasks} offline tasks (rule agent, SQLite checkpoints, journal written)")
    print(f"{'mode':<28} {'seconds':>8} {'tasks/s':>8}")
    print(f"{'one after another':<28} {seq:>8.2f} {tasks / seq:>8.1f}")
    print(f"{'concurrent (asyncio.gather)':<28} {conc:>8.2f} {tasks / conc:>8.1f}")
    print(f"concurrent / sequential throughput: x{seq / conc:.2f}")


if __name__ == "__main__":
    main()

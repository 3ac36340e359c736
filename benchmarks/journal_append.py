"""Journal append speed: appends per second, one process and eight, on one task file.

Each append is a full locked read-modify-write of the task file with an atomic,
fsynced replace, so the file grows as the run goes; the figure is for a task whose
log grows from 0 to N entries. Every run checks that no entry was lost or doubled.

Run with:
    python benchmarks/journal_append.py                 # 1 process x 400, 8 processes x 200
    python benchmarks/journal_append.py --smoke         # tiny, for the test suite
    python benchmarks/journal_append.py --json --no-fsync
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from multiprocessing.synchronize import Event
from pathlib import Path

from modegraph.journal import Entry, EntryKind, Journal, TaskRecord


@dataclass(frozen=True)
class Figure:
    processes: int
    appends_per_process: int
    total_appends: int
    seconds: float
    appends_per_second: float
    entries_in_file: int
    file_bytes: int


def _append_many(root: str, task_id: str, worker: int, count: int, durable: bool) -> None:
    journal = Journal(root, durable=durable)
    for i in range(count):
        journal.append(
            task_id,
            Entry(
                id=f"w{worker}-{i}",
                kind=EntryKind.NOTE,
                text=f"Worker {worker} wrote entry {i} of {count}.",
            ),
        )


def _worker(root: str, task_id: str, worker: int, count: int, durable: bool, go: Event) -> None:
    go.wait()
    _append_many(root, task_id, worker, count, durable)


def _new_task(root: Path, name: str) -> tuple[Journal, str]:
    journal = Journal(root)
    task_id = journal.new_task_id(prefix=name)
    journal.create(TaskRecord(id=task_id, title=f"benchmark {name}", assigned_to="benchmark"))
    return journal, task_id


def measure(root: Path, *, processes: int, count: int, durable: bool) -> Figure:
    journal, task_id = _new_task(root, f"BENCH-P{processes}")
    if processes == 1:
        start = time.perf_counter()
        _append_many(str(root), task_id, 0, count, durable)
        seconds = time.perf_counter() - start
    else:
        ctx = mp.get_context("spawn")
        go = ctx.Event()
        workers = [
            ctx.Process(target=_worker, args=(str(root), task_id, w, count, durable, go))
            for w in range(processes)
        ]
        for process in workers:
            process.start()
        time.sleep(0.2 + 0.1 * processes)  # let every interpreter start before timing
        start = time.perf_counter()
        go.set()
        for process in workers:
            process.join()
        seconds = time.perf_counter() - start
        failed = [p.exitcode for p in workers if p.exitcode != 0]
        if failed:
            raise SystemExit(f"{len(failed)} worker(s) failed: exit codes {failed}")
    record = journal.read(task_id)
    total = processes * count
    if len(record.entries) != total or len({e.id for e in record.entries}) != total:
        raise SystemExit(f"expected {total} entries, found {len(record.entries)}")
    return Figure(
        processes=processes,
        appends_per_process=count,
        total_appends=total,
        seconds=round(seconds, 3),
        appends_per_second=round(total / seconds, 1),
        entries_in_file=len(record.entries),
        file_bytes=journal.path(task_id).stat().st_size,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run for the test suite")
    parser.add_argument("--single", type=int, default=400, help="appends in the one-process run")
    parser.add_argument("--each", type=int, default=200, help="appends per process (8 processes)")
    parser.add_argument("--processes", type=int, default=8, help="processes in the parallel run")
    parser.add_argument("--no-fsync", action="store_true", help="skip fsync (not durable)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    single, each, processes = args.single, args.each, args.processes
    if args.smoke:
        single, each, processes = 10, 5, 2
    with tempfile.TemporaryDirectory(prefix="modegraph-bench-") as tmp:
        root = Path(tmp) / "project_journal"
        figures = [
            measure(root, processes=1, count=single, durable=not args.no_fsync),
            measure(root, processes=processes, count=each, durable=not args.no_fsync),
        ]
    if args.json:
        print(json.dumps([asdict(f) for f in figures], indent=2))
    else:
        print(f"journal append benchmark (fsync {'off' if args.no_fsync else 'on'})")
        for f in figures:
            print(
                f"  {f.processes} process(es) x {f.appends_per_process}: {f.total_appends} appends "
                f"in {f.seconds:.2f} s = {f.appends_per_second:,.0f} appends/s "
                f"(file: {f.entries_in_file} entries, {f.file_bytes:,} bytes)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

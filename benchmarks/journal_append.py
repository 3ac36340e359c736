"""Journal append speed: appends per second, one process and eight, on one task file.

Every append is durable when it returns (fsync on, the default): a rewrite of the
task file (temporary file, fsync, rename, fsync of the directory) when the task is
quiet, or one record in the task's append log (one fdatasync, which the kernel
shares among concurrent writers) while other writers hold the task. The timed
window ends when the Markdown file holds every entry (the log folded in); every run
checks that no entry was lost or doubled and that each writer's entries keep their
order.

Baselines measured in the same run:
- the disk: processes appending the same bytes to one file with ``os.write`` and
  ``fdatasync``, nothing else (what fsync costs on this machine);
- with ``--baseline SRC``: the same benchmark against another source tree (an export
  of an older commit: ``git archive COMMIT | tar -x -C /tmp/old``, then
  ``--baseline /tmp/old/src``), run in a child process.

Run with:
    python benchmarks/journal_append.py                 # 1 process x 400, 8 processes x 200
    python benchmarks/journal_append.py --baseline /tmp/old/src
    python benchmarks/journal_append.py --smoke         # tiny, for the test suite
    python benchmarks/journal_append.py --json --no-fsync
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from multiprocessing.queues import Queue
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
    journal = Journal(root, durable=durable, lock_timeout=600)
    for i in range(count):
        journal.append(
            task_id,
            Entry(
                id=f"w{worker}-{i}",
                kind=EntryKind.NOTE,
                text=f"Worker {worker} wrote entry {i} of {count}.",
            ),
        )


def _worker(
    root: str, task_id: str, worker: int, count: int, durable: bool, ready: Queue, go: Event
) -> None:
    ready.put(worker)
    go.wait()
    _append_many(root, task_id, worker, count, durable)


def _new_task(root: Path, name: str) -> tuple[Journal, str]:
    journal = Journal(root)
    task_id = journal.new_task_id(prefix=name)
    journal.create(TaskRecord(id=task_id, title=f"benchmark {name}", assigned_to="benchmark"))
    return journal, task_id


def _in_parallel(processes: int, target: object, args: tuple[object, ...]) -> float:
    """Seconds for `processes` workers started together (each after its imports)."""
    ctx = mp.get_context("spawn")
    go, ready = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=target, args=(*args[:2], w, *args[2:], ready, go))  # type: ignore[arg-type]
        for w in range(processes)
    ]
    for process in workers:
        process.start()
    for _ in workers:
        ready.get(timeout=300)  # every interpreter has started and imported modegraph
    start = time.perf_counter()
    go.set()
    for process in workers:
        process.join()
    seconds = time.perf_counter() - start
    failed = [p.exitcode for p in workers if p.exitcode != 0]
    if failed:
        raise SystemExit(f"{len(failed)} worker(s) failed: exit codes {failed}")
    return seconds


def measure(root: Path, *, processes: int, count: int, durable: bool) -> Figure:
    journal, task_id = _new_task(root, f"BENCH-P{processes}")
    if processes == 1:
        start = time.perf_counter()
        _append_many(str(root), task_id, 0, count, durable)
        seconds = time.perf_counter() - start
    else:
        seconds = _in_parallel(processes, _worker, (str(root), task_id, count, durable))
    start = time.perf_counter()
    compact = getattr(journal, "compact", None)  # older trees have no append log to fold
    if compact is not None:
        compact(task_id)
    seconds += time.perf_counter() - start
    record = journal.read(task_id)
    total = processes * count
    ids = [e.id for e in record.entries]
    if len(ids) != total or len(set(ids)) != total:
        raise SystemExit(f"expected {total} entries, found {len(ids)} ({len(set(ids))} ids)")
    for w in range(processes):  # each writer's entries keep the order it wrote them in
        mine = [int(i.split("-")[1]) for i in ids if i.startswith(f"w{w}-")]
        if mine != list(range(count)):
            raise SystemExit(f"worker {w}'s entries are out of order or missing")
    text = journal.path(task_id).read_text(encoding="utf-8")
    if sum(f"<!-- entry: {i} " in text for i in ids) != total:
        raise SystemExit("the Markdown file does not hold every entry")
    return Figure(
        processes=processes,
        appends_per_process=count,
        total_appends=total,
        seconds=round(seconds, 3),
        appends_per_second=round(total / seconds, 1),
        entries_in_file=len(record.entries),
        file_bytes=journal.path(task_id).stat().st_size,
    )


def _raw_appends(path: str, worker: int, count: int, ready: Queue, go: Event) -> None:
    ready.put(worker)
    go.wait()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        for i in range(count):
            os.write(fd, f"- worker {worker} wrote entry {i} of {count}.\n".encode())
            getattr(os, "fdatasync", os.fsync)(fd)
    finally:
        os.close(fd)


def disk_floor(root: Path, *, processes: int, count: int) -> float:
    """Appends per second of bare ``write`` + ``fdatasync`` calls on one file."""
    path = root / f"floor-{processes}.log"
    if processes == 1:
        ctx = mp.get_context("spawn")
        ready, go = ctx.Queue(), ctx.Event()
        go.set()
        start = time.perf_counter()
        _raw_appends(str(path), 0, count, ready, go)
        return count / (time.perf_counter() - start)
    return processes * count / _in_parallel(processes, _raw_appends, (str(path), count))


def _baseline(src: str, argv: list[str]) -> list[dict[str, float]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, __file__, *argv, "--json", "--no-floor"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the baseline run failed:\n{done.stderr[-3000:]}")
    return list(json.loads(done.stdout)["journal"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run for the test suite")
    parser.add_argument("--single", type=int, default=400, help="appends in the one-process run")
    parser.add_argument("--each", type=int, default=200, help="appends per process (8 processes)")
    parser.add_argument("--processes", type=int, default=8, help="processes in the parallel run")
    parser.add_argument("--no-fsync", action="store_true", help="skip fsync (not durable)")
    parser.add_argument("--baseline", metavar="SRC", help="another source tree to compare")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare-disk baseline")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    single, each, processes = args.single, args.each, args.processes
    if args.smoke:
        single, each, processes = 10, 5, 2
    sizes = ["--single", str(single), "--each", str(each), "--processes", str(processes)]
    sizes += ["--no-fsync"] if args.no_fsync else []
    baseline = _baseline(args.baseline, sizes) if args.baseline else None
    with tempfile.TemporaryDirectory(prefix="modegraph-bench-") as tmp:
        root = Path(tmp) / "project_journal"
        figures = [
            measure(root, processes=1, count=single, durable=not args.no_fsync),
            measure(root, processes=processes, count=each, durable=not args.no_fsync),
        ]
        floor = (
            []
            if args.no_floor or args.no_fsync
            else [
                disk_floor(Path(tmp), processes=1, count=single),
                disk_floor(Path(tmp), processes=processes, count=each),
            ]
        )
    if args.json:
        print(json.dumps({"journal": [asdict(f) for f in figures], "disk": floor}, indent=2))
        return 0
    print(f"journal append benchmark (fsync {'off' if args.no_fsync else 'on'})")
    for n, f in enumerate(figures):
        line = (
            f"  {f.processes} process(es) x {f.appends_per_process}: {f.total_appends} appends "
            f"in {f.seconds:.2f} s = {f.appends_per_second:,.0f} appends/s "
            f"(file: {f.entries_in_file} entries, {f.file_bytes:,} bytes)"
        )
        if floor:
            line += f"; bare disk {floor[n]:,.0f}/s (x{f.appends_per_second / floor[n]:.2f})"
        if baseline:
            old = baseline[n]["appends_per_second"]
            line += f"; baseline {old:,.0f}/s (x{f.appends_per_second / old:.1f})"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

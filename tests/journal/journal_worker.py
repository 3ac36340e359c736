"""A separate process that writes to a journal, for the concurrency and crash tests.

Run with:
    python journal_worker.py append ROOT TASK_ID WORKER COUNT GO_FILE
    python journal_worker.py churn ROOT TASK_ID... [--pause-before-replace MARKER]
    python journal_worker.py crowd ROOT TASK_ID WORKER
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

from modegraph.journal import Entry, EntryKind, Journal, TaskStatus
from modegraph.journal import files as journal_files


def append(root: str, task_id: str, worker: str, count: str, go_file: str) -> None:
    # Eight processes append in tight loops: a waiter may queue behind over a thousand
    # appends, which on a loaded machine takes longer than the 30 s default. Losing no
    # entry is what is tested, not how long a writer waits.
    journal = Journal(root, durable=False, lock_timeout=600)
    while not Path(go_file).exists():
        time.sleep(0.005)
    for i in range(int(count)):
        journal.append(
            task_id, Entry(id=f"w{worker}-{i}", kind=EntryKind.NOTE, text=f"w{worker} {i}")
        )


def pause_before_replace(marker: str) -> None:
    """Make the next write stop between the temporary file and the rename, then wait."""
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if str(src).endswith(".tmp"):
            Path(f"{marker}.part").write_text(str(src), encoding="utf-8")
            real_replace(f"{marker}.part", marker)  # the test never sees a half-written marker
            time.sleep(60)  # killed here, holding the lock, the temporary file written
        real_replace(src, dst)

    journal_files.os.replace = replace  # type: ignore[attr-defined]


def churn(root: str, task_ids: list[str]) -> None:
    journal = Journal(root)
    padding = "lorem ipsum dolor " * 40
    start = {task_id: len(journal.read(task_id).entries) for task_id in task_ids}
    for k in itertools.count():
        for task_id in task_ids:
            n = start[task_id] + k
            journal.append(
                task_id, Entry(id=f"c{n}", kind=EntryKind.NOTE, text=f"entry {n}\n{padding}")
            )
            if k % 7 == 3:
                journal.close(task_id, status=TaskStatus.BLOCKED, summary=f"paused at {n}")


def crowd(root: str, task_id: str, worker: str) -> None:
    """Append w<WORKER>-0, -1, ... from where this worker's entries stop, until killed.

    Several run at once on one task, so most appends go through its append log; worker
    0 also folds the log now and then, so kills land inside folds too.
    """
    journal = Journal(root, lock_timeout=600)
    mine = [e for e in journal.read(task_id).entries if e.id.startswith(f"w{worker}-")]
    for n in itertools.count(len(mine)):
        journal.append(
            task_id, Entry(id=f"w{worker}-{n}", kind=EntryKind.NOTE, text=f"entry {n}\ndolor")
        )
        if worker == "0" and n % 40 == 39:
            journal.compact(task_id)


def main(argv: list[str]) -> None:
    mode, *args = argv
    if mode == "append":
        append(*args)
    elif mode == "crowd":
        crowd(*args)
    elif mode == "churn":
        if "--pause-before-replace" in args:
            at = args.index("--pause-before-replace")
            pause_before_replace(args[at + 1])
            args = args[:at] + args[at + 2 :]
        churn(args[0], args[1:])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])

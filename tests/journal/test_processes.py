"""Real processes: concurrent appends lose nothing; SIGKILL never leaves a torn file."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from modegraph.journal import Entry, EntryKind, Journal, TaskRecord, TaskStatus

WORKER = Path(__file__).with_name("journal_worker.py")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
_SPAWNED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test() -> Iterator[None]:
    """Kill and reap every worker a test started, even when the test failed early."""
    yield
    while _SPAWNED:
        worker = _SPAWNED.pop()
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=60)


def spawn(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as err:
        worker = subprocess.Popen(
            [sys.executable, str(WORKER), *args], stdout=subprocess.DEVNULL, stderr=err
        )
    _SPAWNED.append(worker)
    return worker


@pytest.mark.slow
def test_eight_processes_times_200_appends_give_exactly_1600_entries(tmp_path: Path) -> None:
    root = tmp_path / "project_journal"
    journal = Journal(root)
    task_id = journal.new_task_id(prefix="RACE")
    journal.create(TaskRecord(id=task_id, title="race"))
    go = tmp_path / "go"
    logs = [tmp_path / f"worker{w}.log" for w in range(8)]
    workers = [
        spawn("append", str(root), task_id, str(w), "200", str(go), log=logs[w]) for w in range(8)
    ]
    go.touch()
    for worker, log in zip(workers, logs, strict=True):
        worker.wait(timeout=600)  # only bounds a hang; a loaded machine is slow
        assert worker.returncode == 0, log.read_text(encoding="utf-8")
    entries = journal.read(task_id).entries
    assert len(entries) == 1600
    assert {e.id for e in entries} == {f"w{w}-{i}" for w in range(8) for i in range(200)}
    for w in range(8):  # each process's entries stay in the order it wrote them
        mine = [int(e.id.split("-")[1]) for e in entries if e.id.startswith(f"w{w}-")]
        assert mine == list(range(200))


def check_whole(journal: Journal, task_ids: list[str]) -> dict[str, int]:
    """Every file parses, ends cleanly and holds a gap-free run of entries c0..cN."""
    counts = {}
    for task_id in task_ids:
        text = journal.path(task_id).read_text(encoding="utf-8")
        assert text.endswith("\n")
        record = journal.read(task_id)
        ids = [e.id for e in record.entries]
        assert ids == [f"c{n}" for n in range(len(ids))], ids[-5:]
        assert all(e.text.endswith("dolor") for e in record.entries)
        counts[task_id] = len(ids)
    return counts


def new_tasks(journal: Journal, n: int) -> list[str]:
    task_ids = []
    for k in range(n):
        task_id = f"TASK-KILL-20261127-09150{k}"
        journal.create(TaskRecord(id=task_id, title=f"kill {k}"))
        task_ids.append(task_id)
    return task_ids


def test_sigkill_at_random_moments_leaves_every_file_whole(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "project_journal")
    task_ids = new_tasks(journal, 3)
    rng = random.Random(4)
    counts = dict.fromkeys(task_ids, 0)
    for _ in range(4):
        log = tmp_path / "churn.log"
        worker = spawn("churn", str(journal.root), *task_ids, log=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # wait until this worker has written something
            if len(journal.read(task_ids[-1]).entries) > counts[task_ids[-1]]:
                break
            assert worker.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert worker.returncode == -signal.SIGKILL, log.read_text(encoding="utf-8")
        new_counts = check_whole(journal, task_ids)
        assert sum(new_counts.values()) > sum(counts.values())
        counts = new_counts
    # the killed writers' locks are gone: a new writer gets in at once
    fast = Journal(journal.root, lock_timeout=5)
    assert fast.append(
        task_ids[0], Entry(id=f"c{counts[task_ids[0]]}", kind=EntryKind.NOTE, text="x\ndolor")
    )


def test_sigkill_between_temporary_file_and_rename_keeps_the_old_file(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "project_journal")
    (task_id,) = new_tasks(journal, 1)
    before = journal.path(task_id).read_bytes()
    marker = tmp_path / "paused"
    log = tmp_path / "churn.log"
    worker = spawn(
        "churn", str(journal.root), task_id, "--pause-before-replace", str(marker), log=log
    )
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline, "the worker never reached its first rename"
        assert worker.poll() is None, log.read_text(encoding="utf-8")
        time.sleep(0.02)
    temporary = Path(marker.read_text(encoding="utf-8"))
    assert temporary.name.endswith(".tmp")
    assert temporary.exists() and temporary.stat().st_size > len(before)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert journal.path(task_id).read_bytes() == before  # the old file, whole
    assert journal.ids() == [task_id]  # the left-over temporary file is not a task
    assert journal.list()[0].id == task_id
    # the lock died with the process: the next write goes through and the task reads fine
    assert Journal(journal.root, lock_timeout=5).append(
        task_id, Entry(id="c0", kind=EntryKind.NOTE, text="after the crash\ndolor")
    )
    assert check_whole(journal, [task_id]) == {task_id: 1}
    # closing the task clears what the killed writer left behind
    journal.close(task_id, status=TaskStatus.FAILED, summary="the writer was killed")
    assert not temporary.exists()


def test_sigkill_of_writers_crowding_one_task_loses_and_doubles_nothing(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "project_journal")
    (task_id,) = new_tasks(journal, 1)
    rng = random.Random(7)
    total = 0
    for _ in range(3):
        logs = [tmp_path / f"crowd{w}.log" for w in range(4)]
        workers = [
            spawn("crowd", str(journal.root), task_id, str(w), log=logs[w]) for w in range(4)
        ]
        deadline = time.monotonic() + 60
        while len(journal.read(task_id).entries) < total + 40:  # every worker is writing
            assert time.monotonic() < deadline, "the workers wrote nothing"
            for worker, log in zip(workers, logs, strict=True):
                assert worker.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.02)
        for worker in workers:
            time.sleep(rng.uniform(0.0, 0.05))
            worker.send_signal(signal.SIGKILL)
        for worker in workers:
            worker.wait(timeout=10)
        record = journal.read(task_id)  # the file and the append log both read
        ids = [e.id for e in record.entries]
        assert len(ids) == len(set(ids))
        for w in range(4):  # what each worker wrote is whole: no gap, nothing twice
            mine = [int(i.split("-")[1]) for i in ids if i.startswith(f"w{w}-")]
            assert mine == list(range(len(mine))), (w, mine[-5:])
        assert len(ids) > total
        total = len(ids)
    journal.compact(task_id)
    assert len(journal.read(task_id).entries) == total
    assert not (journal.root / ".pending" / f"{task_id}.log").exists()

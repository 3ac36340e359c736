"""The README main job, killed inside any checkpoint or journal write, resumes to the same end.

`crash_worker.py` counts the write points of an uninterrupted run (checkpoint
`put`/`put_writes`, journal atomic replaces and append-log records), then kills one
run inside each point in turn and resumes it with `modegraph resume TASK-ID --json`.
Every trial must end with the route and status of the uninterrupted run and every
journal entry exactly once. A kill inside the very first write leaves nothing saved at all: `resume`
says so (exit 1) and the journal holds nothing of the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from modegraph.journal.store import Journal

WORKER = Path(__file__).with_name("crash_worker.py")
SIGKILLED = -9
WORKERS = 2
"""Worker processes (each forks its trials one at a time); CI machines have two cores."""


def workers(root: Path, points: list[int]) -> list[dict[str, Any]]:
    """Run the trials of `points` in `WORKERS` processes; their JSON lines."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(root), *map(str, points[n::WORKERS])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
        if points[n::WORKERS]
    ]
    trials: list[dict[str, Any]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        trials.extend(json.loads(line) for line in out.splitlines())
    return sorted(trials, key=lambda t: t["point"])


def relative(task_id: str, text: str | None) -> str | None:
    return None if text is None else text.replace(task_id, "ROOT")


def ending(workdir: Path, task_id: str) -> dict[str, Any]:
    """What a finished run left: `resume --json`'s route and status, and the journal."""
    out = json.loads((workdir / "resume.out").read_text(encoding="utf-8"))
    journal = Journal(workdir / "project_journal")
    files = {}
    for sub_id in journal.ids():
        record = journal.read(sub_id)
        files[relative(task_id, sub_id)] = {
            "status": record.status.value,
            "entries": Counter((relative(task_id, e.id), e.kind.value) for e in record.entries),
        }
    return {
        "status": out["status"],
        "route": [
            (relative(task_id, s["id"]), s["role"], relative(task_id, s["parent"]), s["status"])
            for s in out["subtasks"]
        ],
        "refused": out["refused"],
        "files": files,
    }


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash worker forks its trials")
def test_a_kill_inside_any_write_point_resumes_to_the_same_route_and_status(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    (reference,) = workers(tmp_path, [0])
    assert reference["run"] == 0 and reference["resume"] == 0
    count = int((tmp_path / "0" / "points").read_text(encoding="utf-8"))
    assert count >= 20, "the write hooks saw too few writes: they no longer wrap the writers"
    want = ending(tmp_path / "0", reference["task_id"])
    assert want["status"] == "completed"
    assert len(want["route"]) == 4

    # every point, and one past the last (the run completes, resume reruns nothing)
    trials = workers(tmp_path, list(range(1, count + 2)))
    assert [t["point"] for t in trials] == list(range(1, count + 2))
    nothing_saved = []
    for trial in trials:
        point, task_id, workdir = trial["point"], trial["task_id"], tmp_path / str(trial["point"])
        assert task_id is not None, point
        assert trial["run"] == (0 if point > count else SIGKILLED), point
        errors = (workdir / "resume.err").read_text(encoding="utf-8")
        assert "Traceback" not in errors, (point, errors)
        if trial["resume"] == 1 and "stopped before its first checkpoint" in errors:
            nothing_saved.append(point)
            assert not Journal(workdir / "project_journal").ids(), point
            continue
        assert trial["resume"] == 0, (point, errors)
        got = ending(workdir, task_id)
        assert got["status"] == want["status"], point
        assert got["route"] == want["route"], point
        assert got["refused"] == want["refused"], point
        assert got["files"].keys() == want["files"].keys(), point
        journal_dir = workdir / "project_journal"
        leftovers = [*journal_dir.glob("tasks/.*.tmp"), *journal_dir.glob(".tmp/*")]
        assert leftovers == [], (point, leftovers)
        for name, file in want["files"].items():
            assert got["files"][name]["status"] == file["status"], (point, name)
            assert got["files"][name]["entries"] == file["entries"], (point, name)
            assert max(got["files"][name]["entries"].values()) == 1, (point, name)
    # only a kill inside the first checkpoint write (or a write racing it) saves nothing
    assert 1 in nothing_saved
    assert all(p <= 2 for p in nothing_saved), nothing_saved
    print(f"{count} write points, {len(trials)} trials in {time.monotonic() - started:.1f} s")

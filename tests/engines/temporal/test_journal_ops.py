"""Journal writes recorded in a workflow and replayed later give the files a local run writes.

No Temporal here: the coordinator runs with a `BufferedJournal` (as inside the task
workflow), and the recorded ops are replayed on a `Journal` (as the `journal_write`
activity does), in batches, and then once more, as a retried activity would.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from modegraph.agents import RuleAgent
from modegraph.coordinator import Runner, build_coordinator
from modegraph.coordinator.records import new_state
from modegraph.engines.temporal.journal_ops import (
    AppendOp,
    BufferedJournal,
    JournalOp,
    apply_ops,
)
from modegraph.errors import JournalError
from modegraph.journal.store import Journal
from modegraph.modes.catalog.layers import load_catalog

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)


class Clock:
    """A workflow clock: it moves only when told."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _buffer(task_id: str) -> BufferedJournal:
    """The journal of a run of the main job, recorded."""
    catalog = load_catalog()
    buffered = BufferedJournal(clock=Clock())
    graph = build_coordinator(
        catalog=catalog,
        entry="fastapi-developer",
        agent=RuleAgent(catalog=catalog),
        journal=buffered,
    )
    graph.invoke(new_state(task_id=task_id, goal=GOAL, entry="fastapi-developer"))
    return buffered


def _recorded(task_id: str) -> list[Any]:
    return _buffer(task_id).take()


def test_replayed_ops_write_what_a_local_run_writes(tmp_path: Path, same_journal: Any) -> None:
    local = Runner(catalog=load_catalog(), journal_root=tmp_path / "local").start(
        GOAL, entry="fastapi-developer"
    )
    ops = _recorded(local.task_id)
    journal = Journal(tmp_path / "replayed")
    for start in range(0, len(ops), 7):  # in batches, as the workflow sends them
        apply_ops(journal, ops[start : start + 7])
    want = same_journal(tmp_path / "local", local.task_id)
    assert same_journal(tmp_path / "replayed", local.task_id) == want
    assert len(want) == 4


def test_a_retried_batch_changes_nothing(tmp_path: Path) -> None:
    ops = _recorded("TASK-FASTAPI-20260101-000000")
    journal = Journal(tmp_path)
    assert apply_ops(journal, ops) == len(ops)
    before = {p.name: p.read_bytes() for p in (tmp_path / "tasks").iterdir()}
    assert apply_ops(journal, ops) == 0
    assert apply_ops(journal, ops[3:9]) == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "tasks").iterdir()} == before


def test_entries_take_the_workflow_clock_and_survive_the_wire() -> None:
    ops = _recorded("TASK-FASTAPI-20260101-000000")
    appends = [op for op in ops if isinstance(op, AppendOp)]
    times = [op.entry.at for op in appends]
    assert times == sorted(times)
    assert times[0] > datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    adapter = TypeAdapter(list[JournalOp])
    wire = json.loads(adapter.dump_json(ops))
    assert adapter.validate_python(wire) == ops
    assert {op["op"] for op in wire} == {"create", "append", "close", "results"}


def test_take_hands_out_the_oldest_first_in_limited_batches() -> None:
    ops = _recorded("TASK-FASTAPI-20260101-000000")
    buffered = _buffer("TASK-FASTAPI-20260101-000000")
    assert buffered.pending == len(ops)
    first = buffered.take(5)
    assert first == ops[:5]
    assert buffered.pending == len(ops) - 5
    # parallel role turns (threads in a sync run) may record in another order
    rest = buffered.take()
    assert sorted(map(_key, rest)) == sorted(map(_key, ops[5:]))
    assert buffered.pending == 0


def _key(op: Any) -> str:
    """An op without its time (parallel turns take the clock in any order)."""
    data = op.model_dump(mode="json")
    if data.get("entry"):
        data["entry"]["at"] = None
    return json.dumps(data, sort_keys=True)


def test_another_tasks_file_under_the_same_id_is_not_written_into(tmp_path: Path) -> None:
    task_id = "TASK-FASTAPI-20260101-000000"
    journal = Journal(tmp_path)
    other = Runner(catalog=load_catalog(), journal_root=tmp_path / "other")
    local = other.start("Write the release notes", entry="fastapi-developer")
    theirs = (tmp_path / "other" / "tasks" / f"{local.task_id}.md").read_text(encoding="utf-8")
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / f"{task_id}.md").write_text(
        theirs.replace(local.task_id, task_id), encoding="utf-8"
    )
    before = (tmp_path / "tasks" / f"{task_id}.md").read_bytes()
    with pytest.raises(JournalError, match=f"already holds another task with the id {task_id}"):
        apply_ops(journal, _recorded(task_id))
    assert (tmp_path / "tasks" / f"{task_id}.md").read_bytes() == before

"""Closing a task can write its last entry in the same update: one write, same text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from modegraph.journal import Entry, EntryKind, Journal, TaskRecord, TaskStatus
from modegraph.journal import _writer as writer_module

from .conftest import ticking_clock

AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
AT_ENTRY = Entry(id="closed:completed", kind=EntryKind.COMPLETED, text="Success", at=AT)


def _journal(root: Path) -> tuple[Journal, str]:
    journal = Journal(root, clock=ticking_clock(), durable=False)
    task_id = "TASK-FASTAPI-20261127-101500"
    journal.create(TaskRecord(id=task_id, title="Users API", goal="Build the users API."))
    journal.append(task_id, Entry(id="s", kind=EntryKind.STARTED, text="started", at=AT))
    return journal, task_id


def test_one_write_gives_the_text_of_append_then_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apart, apart_id = _journal(tmp_path / "apart")
    together, together_id = _journal(tmp_path / "together")
    apart.append(apart_id, AT_ENTRY)
    apart.close(apart_id, status=TaskStatus.COMPLETE, outcome="Success", summary="Done.")

    writes: list[Path] = []
    real = writer_module.write_atomic
    monkeypatch.setattr(
        writer_module,
        "write_atomic",
        lambda path, *a, **k: (writes.append(path), real(path, *a, **k)),
    )
    assert together.close(
        together_id, status=TaskStatus.COMPLETE, outcome="Success", summary="Done.", entry=AT_ENTRY
    )
    assert writes == [together.path(together_id)]

    def body(journal: Journal, task_id: str) -> list[str]:
        lines = journal.path(task_id).read_text(encoding="utf-8").splitlines()
        return [line for line in lines if not line.startswith("updated")]

    assert body(together, together_id) == body(apart, apart_id)
    record = together.read(together_id)
    assert record.status is TaskStatus.COMPLETE
    assert [e.id for e in record.entries][-1] == "closed:completed"


def test_closing_again_writes_the_entry_exactly_once(tmp_path: Path) -> None:
    journal, task_id = _journal(tmp_path)
    kwargs = {"status": TaskStatus.COMPLETE, "summary": "Done.", "entry": AT_ENTRY}
    assert journal.close(task_id, **kwargs) is True  # type: ignore[arg-type]
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert journal.close(task_id, **kwargs) is False  # type: ignore[arg-type]
    assert journal.path(task_id).read_text(encoding="utf-8") == text
    assert [e.id for e in journal.read(task_id).entries].count("closed:completed") == 1

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from modegraph.journal import (
    Journal,
    TaskRecord,
    child_task_id,
    is_valid_task_id,
    new_task_id,
    parent_task_id,
    prefix_for_mode,
    root_task_id,
)

MOMENT = datetime(2026, 11, 27, 9, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("slug", "prefix"),
    [
        ("fastapi-developer", "FASTAPI"),
        ("database-specialist", "DATABASE"),
        ("technical-architect", "TECHNICAL-ARCHITECT"),
        ("roo-commander", "ROO-COMMANDER"),
        ("developer", "DEVELOPER"),
        ("cicd_specialist", "CICD"),
        ("", "TASK"),
    ],
)
def test_prefix_for_mode(slug: str, prefix: str) -> None:
    assert prefix_for_mode(slug) == prefix


def test_new_task_id_format() -> None:
    assert new_task_id("FASTAPI", now=MOMENT) == "TASK-FASTAPI-20261127-091500"
    assert new_task_id("fastapi-developer", now=MOMENT) == "TASK-FASTAPI-20261127-091500"
    assert new_task_id("FASTAPI", now=MOMENT, suffix=3) == "TASK-FASTAPI-20261127-091500-3"
    assert new_task_id("X", now=datetime(2026, 11, 27, 9, 15)) == "TASK-X-20261127-091500"


def test_child_ids_name_their_parents() -> None:
    root = "TASK-FASTAPI-20261127-091500"
    child = child_task_id(root, 2)
    grandchild = child_task_id(child, 1)
    assert child == "TASK-FASTAPI-20261127-091500.2"
    assert grandchild == "TASK-FASTAPI-20261127-091500.2.1"
    assert parent_task_id(grandchild) == child
    assert parent_task_id(child) == root
    assert parent_task_id(root) is None
    assert root_task_id(grandchild) == root
    assert parent_task_id("TASK-X-20261127-091500-2") is None
    with pytest.raises(ValueError, match="start at 1"):
        child_task_id(root, 0)


@pytest.mark.parametrize("task_id", ["../etc", "a/b", "", "a b", ".x", "a..b"])
def test_invalid_ids(task_id: str) -> None:
    assert not is_valid_task_id(task_id)


def test_journal_ids_are_unique_within_one_second(tmp_path: Path) -> None:
    journal = Journal(tmp_path, clock=lambda: MOMENT)
    first = journal.new_task_id(prefix="FASTAPI")
    second = journal.new_task_id(prefix="FASTAPI")
    assert first == "TASK-FASTAPI-20261127-091500"
    assert second == "TASK-FASTAPI-20261127-091500-2"


def test_an_existing_task_file_is_never_reused(tmp_path: Path) -> None:
    writer = Journal(tmp_path, clock=lambda: MOMENT, durable=False)
    writer.create(TaskRecord(id="TASK-FASTAPI-20261127-091500", title="made by hand"))
    (tmp_path / ".ids").mkdir(exist_ok=True)
    for reservation in (tmp_path / ".ids").iterdir():
        reservation.unlink()
    assert writer.new_task_id(prefix="FASTAPI") == "TASK-FASTAPI-20261127-091500-2"


def test_threads_racing_for_one_second_get_distinct_ids(tmp_path: Path) -> None:
    ids: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        task_id = Journal(tmp_path, clock=lambda: MOMENT).new_task_id(prefix="RACE")
        with lock:
            ids.append(task_id)

    threads = [threading.Thread(target=take) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 16
    assert "TASK-RACE-20261127-091500" in ids
    assert "TASK-RACE-20261127-091500-16" in ids

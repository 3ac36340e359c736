"""The progress lines of a run mark how each subtask ended, not only that it did."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from modegraph.cli._run_view import Progress
from modegraph.coordinator import Runner
from modegraph.coordinator.state import EventRecord
from modegraph.modes.catalog.layers import load_catalog


def _line(event: EventRecord) -> str:
    console = Console(record=True, width=200, color_system=None)
    Progress(console)(event)
    return console.export_text().strip()


@pytest.mark.parametrize(
    ("status", "mark"),
    [
        ("completed", "✓"),
        ("incomplete", "◐"),
        ("failed", "✗"),
        ("blocked", "✗"),
        ("unassigned", "✗"),
    ],
)
def test_a_finished_subtask_is_marked_by_how_it_ended(status: str, mark: str) -> None:
    event = EventRecord(
        kind="done", subtask="TASK-X", role="dev", target="", text="Failed: it broke"
    )
    event["status"] = status
    assert _line(event) == f"{mark} dev finished TASK-X: Failed: it broke"


def test_an_event_from_before_the_status_was_kept_reads_as_completed() -> None:
    event = EventRecord(kind="done", subtask="TASK-X", role="dev", target="", text="ok")
    assert _line(event).startswith("✓ dev finished")


def test_a_run_tells_its_progress_how_each_subtask_ended(tmp_path: Path) -> None:
    events: list[EventRecord] = []
    runner = Runner(catalog=load_catalog(), journal_root=tmp_path, on_event=events.append)
    runner.start(
        "Add a users table with a migration and compose a wedding speech for my brother",
        entry="fastapi-developer",
    )
    ended = {e["role"]: e.get("status") for e in events if e["kind"] == "done"}
    assert ended["fastapi-developer"] == "incomplete"
    assert "completed" in ended.values()

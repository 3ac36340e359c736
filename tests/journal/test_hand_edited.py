"""Files people wrote or edited by hand are read, and what the parser does not know is kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from modegraph.errors import JournalError
from modegraph.journal import Entry, EntryKind, Journal, RouteStep, TaskRecord, TaskStatus
from modegraph.journal.parse import parse_document

AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)

SEED_STYLE = """\
# Task Log: TASK-FASTAPI-20250101-120000 - FastAPI Feature: WebSocket updates

**Goal:** Implement WebSocket endpoint for real-time updates.
**Context:** [Stack Profile](docs/stack.md)

Some free notes written by hand.

* a list the parser does not know
* with two items

---
**Status:** ✅ Complete
**Outcome:** Success
**Summary:** Implemented WebSocket endpoint `/ws/updates` using Pydantic for messages and async handling.
**References:** [`main.py` (modified), `schemas.py` (created)]
"""  # noqa: E501


def write(journal: Journal, task_id: str, text: str) -> Path:
    path = journal.path(task_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_the_seed_example_reads(journal: Journal) -> None:
    task_id = "TASK-FASTAPI-20250101-120000"
    write(journal, task_id, SEED_STYLE)
    record = journal.read(task_id)
    assert record.id == task_id
    assert record.title == "FastAPI Feature: WebSocket updates"
    assert record.goal == "Implement WebSocket endpoint for real-time updates."
    assert record.context == "[Stack Profile](docs/stack.md)"
    assert record.status is TaskStatus.COMPLETE
    assert record.closing is not None
    assert record.closing.outcome == "Success"
    assert record.closing.references == ("`main.py` (modified)", "`schemas.py` (created)")
    assert record.unknown == (
        "Some free notes written by hand.\n\n* a list the parser does not know\n* with two items",
    )


def test_writing_to_a_hand_written_file_keeps_every_line(journal: Journal) -> None:
    task_id = "TASK-FASTAPI-20250101-120000"
    path = write(journal, task_id, SEED_STYLE)
    assert journal.append(task_id, Entry(id="n1", kind=EntryKind.NOTE, text="resumed", at=AT))
    text = path.read_text(encoding="utf-8")
    assert text.startswith('+++\nid = "TASK-FASTAPI-20250101-120000"\n')
    for line in SEED_STYLE.splitlines():
        assert line in text.splitlines()
    assert text.index("**Context:**") < text.index("resumed") < text.index("Some free notes")
    record = journal.read(task_id)
    assert record.entries[0].text == "resumed"
    assert record.status is TaskStatus.COMPLETE


def test_hand_edits_survive_every_kind_of_write(journal: Journal) -> None:
    task_id = journal.new_task_id(prefix="FASTAPI")
    journal.create(
        TaskRecord(id=task_id, title="Users", goal="Build it", assigned_to="fastapi-developer")
    )
    journal.append(task_id, Entry(id="a", kind=EntryKind.STARTED, text="first", at=AT))
    journal.append(task_id, Entry(id="b", kind=EntryKind.NOTE, text="second", at=AT))
    path = journal.path(task_id)
    text = path.read_text(encoding="utf-8")
    text = text.replace("+++\n\n", 'owner = "ana"\n[links]\nissue = "#12"\n+++\n\n', 1)
    text = text.replace("**Goal:** Build it", "**Goal:** Build it well")
    line_b = next(line for line in text.splitlines() if "<!-- entry: b " in line)
    text = text.replace(f"\n{line_b}", f"\n\nA remark between entries, by hand.\n\n{line_b}", 1)
    text += "\n## My notes\n\n```python\n# not a heading\n---\n**Status:** nope\n```\n"
    path.write_text(text, encoding="utf-8")

    journal.append(task_id, Entry(id="c", kind=EntryKind.NOTE, text="third", at=AT))
    journal.close(task_id, status=TaskStatus.COMPLETE, summary="done")
    journal.set_results(task_id, results=[], route=[RouteStep(source="x", target="y", reason="z")])

    after = path.read_text(encoding="utf-8")
    assert 'owner = "ana"' in after
    assert "[links]" in after and 'issue = "#12"' in after
    assert "A remark between entries, by hand." in after
    assert "## My notes\n\n```python\n# not a heading\n---\n**Status:** nope\n```" in after
    record = journal.read(task_id)
    assert record.goal == "Build it well"
    assert [e.id for e in record.entries] == ["a", "b", "c"]
    assert record.extra_front_matter == {"owner": "ana", "links": {"issue": "#12"}}
    assert record.unknown[0] == "A remark between entries, by hand."
    assert record.unknown[1].startswith("## My notes")
    assert record.closing is not None and record.closing.summary == "done"
    assert after.count("**Status:**") == 2  # the closing block and the one inside the code block


def test_a_hand_written_entry_with_only_an_id(journal: Journal) -> None:
    task_id = "T-1"
    write(
        journal,
        task_id,
        '+++\nid = "T-1"\ntitle = "t"\nupdated = 2026-11-27T10:00:00Z\n+++\n\n'
        "# Task Log: T-1 - t\n\n"
        "- <!-- entry: my-note --> I checked the logs.\n"
        "- <!-- entry: old --> **2026-01-02 03:04:05 UTC** · **Handed off:** to db\n",
    )
    first, second = journal.read(task_id).entries
    assert (first.id, first.kind, first.text, first.at) == (
        "my-note",
        EntryKind.NOTE,
        "I checked the logs.",
        AT,
    )
    assert (second.kind, second.text) == (EntryKind.HANDOFF, "to db")
    assert second.at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert journal.append(task_id, Entry(id="my-note", kind=EntryKind.NOTE)) is False


def test_an_entry_without_a_usable_id_names_its_line(journal: Journal) -> None:
    path = write(
        journal, "T-2", "# Task Log: T-2 - t\n\n**Goal:** g\n\n- <!-- entry: kind=note --> x\n"
    )
    with pytest.raises(JournalError, match=rf"{path}:5: an entry comment needs an id"):
        journal.read("T-2")


def test_windows_line_ends_and_a_bom_are_read(journal: Journal) -> None:
    text = "\ufeff" + SEED_STYLE.replace("\n", "\r\n")
    write(journal, "TASK-FASTAPI-20250101-120000", text)
    record = journal.read("TASK-FASTAPI-20250101-120000")
    assert record.goal == "Implement WebSocket endpoint for real-time updates."
    assert record.status is TaskStatus.COMPLETE


def test_a_file_with_only_a_title_line(journal: Journal) -> None:
    write(journal, "T-3", "just some words\n")
    record = journal.read("T-3")
    assert record.id == "T-3"
    assert record.unknown == ("just some words",)
    journal.append("T-3", Entry(id="x", kind=EntryKind.NOTE, text="hello", at=AT))
    assert "just some words" in journal.path("T-3").read_text(encoding="utf-8")


def blocks_of(text: str) -> list[tuple[object, ...]]:
    return [tuple(b) for b in parse_document(text, path=Path("x.md")).blocks]


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("**Outcome:**", "- <!-- entry: n9 kind=note --> new\n\n**Outcome:**"),
        lambda t: t + "\n- <!-- entry: n10 kind=note --> at the end\n",
        lambda t: t.replace("entry n2", "entry n2\n  an indented continuation"),
        lambda t: t.replace("entry n0", "entry zero"),
        lambda t: t.replace("**Goal:** g", "**Goal:** g\n\n  - <!-- entry: fake --> indented"),
        lambda t: re.sub(r"(?m)^(?=- .*<!-- entry: n2 )", "\n```\n", t, count=1),
        lambda t: t.replace("title = ", "extra = 1\ntitle = "),
        lambda t: t[: len(t) // 2],
        lambda t: "",
    ],
)
def test_incremental_parse_equals_a_full_parse(journal: Journal, edit: object) -> None:
    task_id = "T-9"
    journal.create(TaskRecord(id=task_id, title="t", goal="g"))
    for n in range(3):
        journal.append(task_id, Entry(id=f"n{n}", kind=EntryKind.NOTE, text=f"entry n{n}", at=AT))
    journal.close(task_id, status=TaskStatus.COMPLETE, outcome="ok")
    path = journal.path(task_id)
    before = path.read_text(encoding="utf-8")
    previous = parse_document(before, path=path)
    after = edit(before)  # type: ignore[operator]
    incremental = parse_document(after, path=path, previous=previous)
    full = parse_document(after, path=path)
    assert [tuple(b) for b in incremental.blocks] == [tuple(b) for b in full.blocks]
    assert incremental.front == full.front

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from modegraph.journal import (
    Closing,
    Entry,
    EntryKind,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    TaskType,
)
from modegraph.journal.model import normalise_text


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("🟢 Done", TaskStatus.COMPLETE),
        ("✅ Complete", TaskStatus.COMPLETE),
        ("completed", TaskStatus.COMPLETE),
        ("🔵 In Progress", TaskStatus.IN_PROGRESS),
        ("in_progress", TaskStatus.IN_PROGRESS),
        ("In-Progress", TaskStatus.IN_PROGRESS),
        ("🟡 To Do", TaskStatus.OPEN),
        ("⚠️ Blocked", TaskStatus.BLOCKED),
        ("❌ Failed", TaskStatus.FAILED),
        ("🔴 Error", TaskStatus.FAILED),
        ("🟣 Review", TaskStatus.WAITING_APPROVAL),
        ("waiting_approval", TaskStatus.WAITING_APPROVAL),
    ],
)
def test_status_words_are_understood(word: str, status: TaskStatus) -> None:
    assert TaskStatus.parse(word) is status


def test_every_status_reads_back_from_its_own_words() -> None:
    for status in TaskStatus:
        assert TaskStatus.parse(status.front_matter_word) is status
        assert TaskStatus.parse(status.closing_word) is status
        assert TaskStatus.parse(status.value) is status


def test_unknown_status_names_the_known_words() -> None:
    with pytest.raises(ValueError, match=r"unknown task status 'Pending'; use one of: .*complete"):
        TaskStatus.parse("Pending")


def test_final_statuses() -> None:
    assert {s for s in TaskStatus if s.is_final} == {
        TaskStatus.COMPLETE,
        TaskStatus.BLOCKED,
        TaskStatus.FAILED,
        TaskStatus.INCOMPLETE,
        TaskStatus.UNASSIGNED,
    }
    assert TaskStatus.COMPLETE.closing_word == "✅ Complete"
    assert TaskStatus.BLOCKED.closing_word == "⚠️ Blocked"
    assert TaskStatus.FAILED.closing_word == "❌ Failed"


def test_text_is_normalised() -> None:
    assert normalise_text("\r\n  hello  \r\nworld \n\n") == "hello\nworld"
    assert normalise_text("a\n\n\n  b") == "a\n\n\n  b"


def test_entry_time_is_utc_and_naive_means_utc() -> None:
    naive = Entry(id="a", kind=EntryKind.NOTE, at=datetime(2026, 1, 1, 12, 0))
    assert naive.at == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    paris = Entry(
        id="b",
        kind=EntryKind.NOTE,
        at=datetime(2026, 1, 1, 13, 0, tzinfo=timezone(timedelta(hours=1))),
    )
    assert paris.at == naive.at
    assert paris.at.tzinfo is UTC


@pytest.mark.parametrize("bad", ["", "has space", "a-->b", "<x>", "-leading"])
def test_entry_ids_must_fit_in_an_html_comment(bad: str) -> None:
    with pytest.raises(ValidationError):
        Entry(id=bad, kind=EntryKind.NOTE)


@pytest.mark.parametrize("bad", ["", "a/b", "a b", ".hidden", "x" * 201])
def test_task_ids_must_name_a_file(bad: str) -> None:
    with pytest.raises(ValidationError):
        TaskRecord(id=bad, title="t")


def test_models_are_frozen_and_strict() -> None:
    record = TaskRecord(id="T-1", title="t")
    with pytest.raises(ValidationError):
        record.title = "other"
    with pytest.raises(ValidationError):
        TaskRecord(id="T-1", title="t", unknown_field=1)  # type: ignore[call-arg]


def test_statuses_accept_agent_words() -> None:
    result = SubtaskResult(id="T-1.1", role="database-specialist", status="completed")  # type: ignore[arg-type]
    assert result.status is TaskStatus.COMPLETE
    assert Closing(status="done").status is TaskStatus.COMPLETE  # type: ignore[arg-type]
    assert TaskRecord(id="T", title="t", type="subtask").type is TaskType.SUBTASK  # type: ignore[arg-type]


def test_references_and_roles_are_tidied() -> None:
    closing = Closing(status=TaskStatus.COMPLETE, references=(" a.py ", "", "b\nc.py"))
    assert closing.references == ("a.py", "b c.py")
    step = RouteStep(source=" a ", target="b\n", reason=" why \n")
    assert (step.source, step.target, step.reason) == ("a", "b", "why")


def test_entry_kind_labels_are_distinct() -> None:
    labels = [kind.label.lower() for kind in EntryKind]
    assert len(set(labels)) == len(labels)

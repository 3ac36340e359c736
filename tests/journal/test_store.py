"""The Journal API: create, append, close, set_results, read, list; errors that help."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from modegraph.errors import JournalError
from modegraph.journal import (
    Entry,
    EntryKind,
    Journal,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    TaskType,
    child_task_id,
)

AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def make_root(journal: Journal) -> str:
    task_id = journal.new_task_id(prefix="FASTAPI")
    journal.create(
        TaskRecord(
            id=task_id,
            title="Users API",
            goal="Build the users API with a database and OAuth2.",
            context="Seed task.",
            assigned_to="fastapi-developer",
            tags=["api"],  # type: ignore[arg-type]
        )
    )
    return task_id


def test_layout_and_path(journal: Journal) -> None:
    task_id = make_root(journal)
    assert task_id == "TASK-FASTAPI-20261127-091500"
    assert journal.path(task_id) == journal.root / "tasks" / f"{task_id}.md"
    assert journal.path(task_id).is_file()
    assert journal.ids() == [task_id]


def test_create_is_idempotent_and_keeps_the_existing_file(journal: Journal) -> None:
    task_id = make_root(journal)
    before = journal.path(task_id).read_bytes()
    assert journal.create(TaskRecord(id=task_id, title="something else")) is False
    assert journal.path(task_id).read_bytes() == before


def test_create_fills_in_times(journal: Journal) -> None:
    task_id = make_root(journal)
    record = journal.read(task_id)
    assert record.created is not None
    assert record.updated == record.created
    assert record.status is TaskStatus.OPEN
    assert record.tags == ("api",)


def test_append_is_idempotent(journal: Journal) -> None:
    task_id = make_root(journal)
    entry = Entry(id="handoff-1", kind=EntryKind.HANDOFF, text="Handed off to `db`.", at=AT)
    assert journal.append(task_id, entry) is True
    after_first = journal.path(task_id).read_bytes()
    assert journal.append(task_id, entry) is False
    assert journal.append(task_id, entry.model_copy(update={"text": "different"})) is False
    assert journal.path(task_id).read_bytes() == after_first
    assert journal.read(task_id).entries == (entry,)


def test_entries_keep_their_order_and_update_the_status(journal: Journal) -> None:
    task_id = make_root(journal)
    kinds = [
        EntryKind.STARTED,
        EntryKind.HANDOFF,
        EntryKind.REFUSED,
        EntryKind.APPROVAL_ASKED,
    ]
    for n, kind in enumerate(kinds):
        journal.append(task_id, Entry(id=f"e{n}", kind=kind, text=f"entry {n}", at=AT))
        if kind is EntryKind.STARTED:
            assert journal.read(task_id).status is TaskStatus.IN_PROGRESS
    record = journal.read(task_id)
    assert [e.kind for e in record.entries] == kinds
    assert record.status is TaskStatus.WAITING_APPROVAL
    journal.append(task_id, Entry(id="ok", kind=EntryKind.APPROVAL_GIVEN, at=AT))
    assert journal.read(task_id).status is TaskStatus.IN_PROGRESS


def test_updated_moves_on_with_every_write(journal: Journal) -> None:
    task_id = make_root(journal)
    first = journal.read(task_id).updated
    journal.append(task_id, Entry(id="n", kind=EntryKind.NOTE, at=AT))
    second = journal.read(task_id).updated
    assert first is not None and second is not None and second > first


def test_close_writes_the_closing_block_once(journal: Journal) -> None:
    task_id = make_root(journal)
    journal.append(task_id, Entry(id="s", kind=EntryKind.STARTED, at=AT))
    kwargs = {"outcome": "Success", "summary": "Done.", "references": ["app/main.py"]}
    assert journal.close(task_id, status=TaskStatus.COMPLETE, **kwargs) is True  # type: ignore[arg-type]
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert journal.close(task_id, status=TaskStatus.COMPLETE, **kwargs) is False  # type: ignore[arg-type]
    assert journal.path(task_id).read_text(encoding="utf-8") == text
    assert text.count("**Status:**") == 1
    assert "---\n\n**Status:** ✅ Complete\n\n**Outcome:** Success" in text
    assert "**References:** [`app/main.py`]" in text
    record = journal.read(task_id)
    assert record.status is TaskStatus.COMPLETE
    assert record.closing is not None and record.closing.references == ("app/main.py",)


def test_close_again_with_other_words_replaces_the_block(journal: Journal) -> None:
    task_id = make_root(journal)
    journal.close(task_id, status=TaskStatus.BLOCKED, outcome="Waiting", summary="Needs approval.")
    journal.close(task_id, status=TaskStatus.FAILED, outcome="Refused", summary="No.")
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert text.count("**Status:**") == 1
    assert "**Status:** ❌ Failed" in text
    assert 'status = "🔴 Failed"' in text
    assert journal.read(task_id).status is TaskStatus.FAILED


def test_entries_after_close_stay_above_the_closing_block(journal: Journal) -> None:
    task_id = make_root(journal)
    journal.close(task_id, status=TaskStatus.COMPLETE, summary="done")
    journal.append(task_id, Entry(id="late", kind=EntryKind.NOTE, text="late note", at=AT))
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert text.index("late note") < text.index("**Status:**")
    assert journal.read(task_id).status is TaskStatus.COMPLETE


def test_subtasks_and_merged_results(journal: Journal) -> None:
    root = make_root(journal)
    child = child_task_id(root, 1)
    journal.create(
        TaskRecord(
            id=child,
            title="Users table",
            goal="Design the users table",
            assigned_to="database-specialist",
            coordinator=root,
            type=TaskType.SUBTASK,
        )
    )
    journal.close(child, status=TaskStatus.COMPLETE, outcome="Success", summary="Table made.")
    results = [
        {
            "subtask_id": child,
            "role": "database-specialist",
            "goal": "Design the users table",
            "status": "completed",
            "summary": "Table made.",
            "references": ("migrations/0001.py",),
        }
    ]
    route: list[RouteStep | dict[str, object]] = [
        RouteStep(source="fastapi-developer", target="database-specialist", reason="schema"),
        {
            "source": "fastapi-developer",
            "target": "cicd-specialist",
            "reason": "x",
            "refused": True,
        },
    ]
    assert journal.set_results(root, results=results, route=route) is True
    assert journal.set_results(root, results=results, route=route) is False
    journal.close(root, status=TaskStatus.COMPLETE, outcome="Success", summary="All done.")
    record = journal.read(root)
    assert record.results == (
        SubtaskResult(
            id=child,
            role="database-specialist",
            goal="Design the users table",
            summary="Table made.",
            references=("migrations/0001.py",),
        ),
    )
    assert [step.refused for step in record.route] == [False, True]
    text = journal.path(root).read_text(encoding="utf-8")
    assert text.index("**Status:**") < text.index("## Merged results") < text.index("## Route")
    sub = journal.read(child)
    assert sub.coordinator == root and sub.type is TaskType.SUBTASK


def test_set_results_replaces_the_sections(journal: Journal) -> None:
    root = make_root(journal)
    journal.set_results(root, results=[], route=[])
    journal.set_results(
        root,
        results=[SubtaskResult(id=f"{root}.1", role="db")],
        route=[RouteStep(source="a", target="b")],
    )
    text = journal.path(root).read_text(encoding="utf-8")
    assert text.count("## Merged results") == 1
    assert text.count("```mermaid") == 1
    assert "No subtasks." not in text


def test_set_results_rejects_a_wrong_result(journal: Journal) -> None:
    root = make_root(journal)
    with pytest.raises(TypeError, match="expected a SubtaskResult or a mapping"):
        journal.set_results(root, results=["not a result"])  # type: ignore[list-item]


def test_list_is_newest_first_and_filters_by_status(journal: Journal) -> None:
    a = make_root(journal)
    b = make_root(journal)
    c = make_root(journal)
    journal.close(a, status=TaskStatus.COMPLETE, summary="a")
    assert [r.id for r in journal.list()] == [a, c, b]
    assert [r.id for r in journal.list(status=TaskStatus.COMPLETE)] == [a]
    assert [r.id for r in journal.list(status=TaskStatus.OPEN)] == [c, b]


def test_list_of_an_empty_journal(tmp_path: Path) -> None:
    assert Journal(tmp_path / "nothing").list() == []


def test_unknown_task_names_the_nearest_ids(journal: Journal) -> None:
    task_id = make_root(journal)
    with pytest.raises(JournalError, match=rf"no task TASK-FASTAPI-20261127-091501 .*{task_id}"):
        journal.read("TASK-FASTAPI-20261127-091501")
    with pytest.raises(JournalError, match="create the task first"):
        journal.append("TASK-NOPE", Entry(id="x", kind=EntryKind.NOTE))


@pytest.mark.parametrize("bad", ["../escape", "a/b", "", "with space"])
def test_ids_that_cannot_name_a_file_are_refused(journal: Journal, bad: str) -> None:
    with pytest.raises(JournalError, match="not a valid task id"):
        journal.path(bad)


def test_bad_front_matter_says_where_and_how_to_fix(journal: Journal) -> None:
    task_id = make_root(journal)
    path = journal.path(task_id)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title = "Users API"', "title = Users API"), encoding="utf-8")
    with pytest.raises(JournalError, match=rf"{path}:3: the front matter is not valid TOML"):
        journal.read(task_id)
    path.write_text(text.replace('status = "🟡 To Do"', 'status = "Pending"'), encoding="utf-8")
    with pytest.raises(JournalError, match="unknown task status 'Pending'"):
        journal.read(task_id)
    path.write_text(text.replace("+++\n\n#", "\n#", 1), encoding="utf-8")
    with pytest.raises(JournalError, match="never closed"):
        journal.read(task_id)


def test_list_can_skip_unreadable_files(journal: Journal) -> None:
    good = make_root(journal)
    bad = make_root(journal)
    journal.path(bad).write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(JournalError, match="not UTF-8"):
        journal.list()
    problems: list[JournalError] = []
    assert [r.id for r in journal.list(on_error=problems.append)] == [good]
    assert len(problems) == 1


def test_unwritable_journal_says_how_to_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    journal = Journal(blocker / "journal")
    with pytest.raises(JournalError, match="--journal DIR"):
        journal.create(TaskRecord(id="T-1", title="x"))


def test_read_only_task_file_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal(tmp_path)
    journal.create(TaskRecord(id="T-1", title="x"))
    os.chmod(journal.tasks_dir, 0o500)
    if os.geteuid() == 0:  # root can write anywhere: fail the temp file as a user would
        import tempfile

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied", str(journal.tasks_dir))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(JournalError, match="cannot write"):
            journal.append("T-1", Entry(id="n", kind=EntryKind.NOTE))
    finally:
        os.chmod(journal.tasks_dir, 0o700)


def test_lock_timeout_is_a_journal_error(tmp_path: Path) -> None:
    from filelock import FileLock

    journal = Journal(tmp_path, lock_timeout=0.05)
    journal.create(TaskRecord(id="T-1", title="x"))
    with FileLock(tmp_path / ".locks" / "T-1.lock"):
        with pytest.raises(JournalError, match=r"held the lock .* delete that file"):
            journal.append("T-1", Entry(id="n", kind=EntryKind.NOTE))


def test_no_temporary_files_are_left_behind(journal: Journal) -> None:
    task_id = make_root(journal)
    for n in range(5):
        journal.append(task_id, Entry(id=f"n{n}", kind=EntryKind.NOTE, at=AT))
    assert sorted(p.name for p in journal.tasks_dir.iterdir()) == [f"{task_id}.md"]


def test_no_langgraph_in_the_journal() -> None:
    import subprocess
    import sys

    code = (
        "import sys, modegraph.journal; "
        "bad = [m for m in sys.modules if m.startswith(('langgraph', 'langchain'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_threads_sharing_one_journal_lose_nothing(tmp_path: Path) -> None:
    import threading

    # six threads in tight loops: a waiter may queue behind most of the 150 appends,
    # longer than the 30 s default on a loaded machine; losing nothing is what is tested
    journal = Journal(tmp_path, durable=False, lock_timeout=600)
    journal.create(TaskRecord(id="T-1", title="threads"))
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(25):
                journal.append("T-1", Entry(id=f"t{worker}-{i}", kind=EntryKind.NOTE, at=AT))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({e.id for e in journal.read("T-1").entries}) == 150


def test_a_second_journal_object_sees_the_first_ones_writes(tmp_path: Path) -> None:
    first, second = Journal(tmp_path, durable=False), Journal(tmp_path, durable=False)
    first.create(TaskRecord(id="T-1", title="t"))
    first.append("T-1", Entry(id="a", kind=EntryKind.NOTE, at=AT))
    second.append("T-1", Entry(id="b", kind=EntryKind.NOTE, at=AT))
    first.append("T-1", Entry(id="c", kind=EntryKind.NOTE, at=AT))  # its cached parse is stale
    second.append("T-1", Entry(id="a", kind=EntryKind.NOTE, at=AT))
    assert [e.id for e in first.read("T-1").entries] == ["a", "b", "c"]


def test_set_status(journal: Journal) -> None:
    task_id = make_root(journal)
    assert journal.set_status(task_id, TaskStatus.WAITING_APPROVAL) is True
    assert journal.set_status(task_id, TaskStatus.WAITING_APPROVAL) is False
    assert journal.read(task_id).status is TaskStatus.WAITING_APPROVAL
    assert 'status = "🟣 Awaiting Approval"' in journal.path(task_id).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title = 3", "front matter key 'title' must be a string, got 3"),
        ('created = "last week"', "front matter key 'created' must be a date and time"),
        ('tags = "api"', "front matter key 'tags' must be a list of strings"),
        ('type = "epic"', "front matter type 'epic' is unknown; use 'task' or 'subtask'"),
    ],
)
def test_wrong_front_matter_types(journal: Journal, line: str, message: str) -> None:
    path = journal.path("T-1")
    path.parent.mkdir(parents=True)
    path.write_text(f'+++\nid = "T-1"\n{line}\n+++\n\n# Task Log: T-1 - t\n', encoding="utf-8")
    with pytest.raises(JournalError, match=message):
        journal.read("T-1")


def test_front_matter_dates_may_be_strings_or_local_times(journal: Journal) -> None:
    path = journal.path("T-1")
    path.parent.mkdir(parents=True)
    path.write_text(
        '+++\ncreated = "2026-11-27 09:15:00"\nupdated = 2026-11-27T10:00:00\n+++\n',
        encoding="utf-8",
    )
    record = journal.read("T-1")
    assert record.created == datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
    assert record.updated == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def test_write_errors_become_journal_errors(tmp_path: Path) -> None:
    from modegraph.journal.files import write_atomic

    target = tmp_path / "a-directory.md"
    target.mkdir()
    with pytest.raises(JournalError, match=r"cannot write the task file .*a-directory\.md"):
        write_atomic(target, "text")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind

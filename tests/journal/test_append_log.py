"""The append log: busy appends wait next to the task file, reads merge them, writes fold them."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from filelock import FileLock

from modegraph.journal import Entry, EntryKind, Journal, TaskRecord, TaskStatus
from modegraph.journal.pending import encode, read_log

from .conftest import ticking_clock

AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def note(entry_id: str, text: str = "a note", kind: EntryKind = EntryKind.NOTE) -> Entry:
    return Entry(id=entry_id, kind=kind, text=text, at=AT)


def new_task(tmp_path: Path, *, durable: bool = False) -> tuple[Journal, str]:
    journal = Journal(tmp_path / "project_journal", clock=ticking_clock(), durable=durable)
    journal.create(TaskRecord(id="T-1", title="Users API", goal="Build it."))
    return journal, "T-1"


def log_path(journal: Journal, task_id: str) -> Path:
    return journal.root / ".pending" / f"{task_id}.log"


def append_while_busy(journal: Journal, task_id: str, entry: Entry) -> bool:
    """Append while another writer holds the task's lock, as concurrent writers do."""
    lock = FileLock(journal.root / ".locks" / f"{task_id}.lock")
    result: list[bool] = []
    with lock:
        worker = threading.Thread(target=lambda: result.append(journal.append(task_id, entry)))
        worker.start()
        time.sleep(0.05)  # the append is now waiting for the lock
        assert not result
    worker.join(timeout=30)
    assert result, "the append never finished"
    return result[0]


def test_a_busy_append_goes_to_the_log_and_every_read_shows_it(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    before = journal.path(task_id).read_text(encoding="utf-8")
    assert append_while_busy(journal, task_id, note("n1", "written while busy")) is True
    assert journal.path(task_id).read_text(encoding="utf-8") == before  # not folded yet
    assert log_path(journal, task_id).is_file()
    record = journal.read(task_id)
    assert [(e.id, e.text) for e in record.entries] == [("n1", "written while busy")]
    assert "written while busy" in journal.text(task_id)
    assert [r.entries for r in journal.list()] == [record.entries]


def test_compact_folds_the_log_into_the_file_once(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    append_while_busy(journal, task_id, note("n1"))
    append_while_busy(journal, task_id, note("n2"))
    merged = journal.text(task_id)
    assert journal.compact(task_id) is True
    assert not log_path(journal, task_id).exists()
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert [e.id for e in journal.read(task_id).entries] == ["n1", "n2"]
    assert _without_updated(text) == _without_updated(merged)
    assert journal.compact(task_id) is False


def test_the_next_rewrite_folds_the_log(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    append_while_busy(journal, task_id, note("n1"))
    journal.close(task_id, status=TaskStatus.COMPLETE, summary="Done.")
    assert not log_path(journal, task_id).exists()
    record = journal.read(task_id)
    assert [e.id for e in record.entries] == ["n1"]
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert text.index("<!-- entry: n1 ") < text.index("**Status:**")  # above the closing block


def test_an_append_once_the_log_is_quiet_folds_it(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    append_while_busy(journal, task_id, note("n1"))
    log = log_path(journal, task_id)
    old = time.time() - 60
    import os

    os.utime(log, (old, old))  # nobody appended for a minute
    assert journal.append(task_id, note("n2")) is True
    assert not log.exists()
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert text.index("entry: n1 ") < text.index("entry: n2 ")


def test_repeats_are_refused_whether_the_entry_is_in_the_file_or_the_log(
    tmp_path: Path,
) -> None:
    journal, task_id = new_task(tmp_path)
    journal.append(task_id, note("in-file"))
    assert append_while_busy(journal, task_id, note("in-file")) is False
    assert append_while_busy(journal, task_id, note("in-log")) is True
    assert append_while_busy(journal, task_id, note("in-log")) is False
    assert [e.id for e in journal.read(task_id).entries] == ["in-file", "in-log"]


def test_a_record_whose_id_the_file_holds_counts_once(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    journal.append(task_id, note("n1", "the first"))
    log = log_path(journal, task_id)
    log.parent.mkdir(exist_ok=True)
    log.write_bytes(encode(note("n1", "a repeat"), AT) + encode(note("n2"), AT))
    assert [(e.id, e.text) for e in journal.read(task_id).entries] == [
        ("n1", "the first"),
        ("n2", "a note"),
    ]
    journal.compact(task_id)
    assert [(e.id, e.text) for e in journal.read(task_id).entries] == [
        ("n1", "the first"),
        ("n2", "a note"),
    ]


def test_a_torn_record_is_skipped_and_the_records_after_it_count(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    whole = encode(note("n2", "after the torn one"), AT)
    torn = encode(note("n1", "x" * 300), AT)[:150]  # a writer killed inside its write
    log = log_path(journal, task_id)
    log.parent.mkdir(exist_ok=True)
    log.write_bytes(encode(note("n0"), AT) + torn + whole + b"\n\x00\x00garbage\n")
    state = read_log(log)
    assert state is not None and state.ids == {"n0", "n2"}
    assert [e.id for e in journal.read(task_id).entries] == ["n0", "n2"]
    assert append_while_busy(journal, task_id, note("n1", "written again")) is True
    assert [(e.id, e.text) for e in journal.read(task_id).entries][-1] == ("n1", "written again")
    journal.compact(task_id)
    assert [e.id for e in journal.read(task_id).entries] == ["n0", "n2", "n1"]


def test_entries_in_the_log_move_the_status_on_as_in_the_file(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    append_while_busy(journal, task_id, note("s", "started", kind=EntryKind.STARTED))
    assert journal.read(task_id).status is TaskStatus.IN_PROGRESS
    append_while_busy(journal, task_id, note("a", "may I?", kind=EntryKind.APPROVAL_ASKED))
    assert journal.read(task_id).status is TaskStatus.WAITING_APPROVAL
    journal.compact(task_id)
    text = journal.path(task_id).read_text(encoding="utf-8")
    assert 'status = "🟣 Awaiting Approval"' in text


def test_a_hand_edit_made_while_entries_wait_is_kept_by_the_fold(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    journal.append(task_id, note("n1"))
    append_while_busy(journal, task_id, note("n2"))
    path = journal.path(task_id)
    path.write_text(
        path.read_text(encoding="utf-8") + "\n## Notes\n\nAsk the DBA about indexes.\n",
        encoding="utf-8",
    )
    journal.compact(task_id)
    text = path.read_text(encoding="utf-8")
    assert "## Notes\n\nAsk the DBA about indexes." in text
    assert text.index("entry: n2 ") < text.index("## Notes")
    assert [e.id for e in journal.read(task_id).entries] == ["n1", "n2"]


def test_a_new_task_does_not_inherit_a_stale_log(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "project_journal", durable=False)
    log = log_path(journal, "T-9")
    log.parent.mkdir(parents=True)
    log.write_bytes(encode(note("old"), AT))
    journal.create(TaskRecord(id="T-9", title="new"))
    assert not log.exists()
    assert journal.read("T-9").entries == ()


def test_threads_appending_at_once_lose_nothing_and_double_nothing(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(30):
                journal.append(task_id, note(f"t{worker}-{i % 20}"))  # ten repeats each
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [e.id for e in journal.read(task_id).entries]
    assert sorted(ids) == sorted(f"t{w}-{i}" for w in range(6) for i in range(20))
    journal.compact(task_id)
    assert [e.id for e in journal.read(task_id).entries] == ids


@pytest.mark.parametrize("durable", [True, False])
def test_a_log_append_is_synced_when_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool
) -> None:
    from modegraph.journal import _writer

    journal, task_id = new_task(tmp_path, durable=durable)
    synced: list[int] = []
    real = _writer._datasync
    monkeypatch.setattr(_writer, "_datasync", lambda fd: (synced.append(fd), real(fd)))
    append_while_busy(journal, task_id, note("n1"))
    assert len(synced) == (1 if durable else 0)


def _without_updated(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("updated"))


def test_text_is_the_file_as_it_is_when_nothing_waits(tmp_path: Path) -> None:
    journal, task_id = new_task(tmp_path)
    path = journal.path(task_id)
    hand_edited = path.read_text(encoding="utf-8") + "\n\n\n## Notes\n\nkept   as is  \n"
    path.write_text(hand_edited, encoding="utf-8")
    assert journal.text(task_id) == hand_edited


def test_journal_show_raw_prints_the_entries_that_wait(tmp_path: Path) -> None:
    import importlib

    from typer.testing import CliRunner

    journal, task_id = new_task(tmp_path)
    append_while_busy(journal, task_id, note("n1", "waiting in the log"))
    cli = importlib.import_module("modegraph.cli.app").app
    done = CliRunner().invoke(
        cli, ["journal", "show", task_id, "--raw", "--journal", str(journal.root)]
    )
    assert done.exit_code == 0, done.output
    assert "waiting in the log" in done.stdout
    assert "waiting in the log" not in journal.path(task_id).read_text(encoding="utf-8")

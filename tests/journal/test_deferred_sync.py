"""`Journal.deferred_sync`: writes skip fsync inside the block; its end syncs them once."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from modegraph.journal import Entry, EntryKind, Journal, TaskRecord, TaskStatus, _writer
from modegraph.journal import files as journal_files

AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths fsynced (files and directories), in order."""
    seen: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    if not Path("/proc/self/fd").is_dir():  # pragma: no cover - not Linux
        pytest.skip("needs /proc/self/fd to name the files synced")
    monkeypatch.setattr(journal_files.os, "fsync", fsync)
    return seen


def write_a_task(journal: Journal, task_id: str) -> None:
    journal.create(TaskRecord(id=task_id, title="t"))
    for n in range(3):
        journal.append(task_id, Entry(id=f"n{n}", kind=EntryKind.NOTE, text="x", at=AT))
    journal.close(task_id, status=TaskStatus.COMPLETE, summary="Done.")


def test_outside_a_block_every_write_is_synced(tmp_path: Path, fsyncs: list[str]) -> None:
    journal = Journal(tmp_path)
    write_a_task(journal, "T-1")
    # create, three appends and the close: each the new file (before it is renamed
    # over the task file) and then the directory
    assert len(fsyncs) == 2 * 5
    assert all(Path(p).name.startswith(".T-1.md.") for p in fsyncs[0::2])
    assert fsyncs[1::2] == [str(journal.tasks_dir)] * 5


def test_inside_a_block_writes_are_synced_once_at_its_end(
    tmp_path: Path, fsyncs: list[str]
) -> None:
    journal = Journal(tmp_path)
    with journal.deferred_sync():
        write_a_task(journal, "T-1")
        write_a_task(journal, "T-2")
        assert fsyncs == []
        assert [e.id for e in journal.read("T-2").entries] == ["n0", "n1", "n2"]
    assert sorted(fsyncs) == sorted(
        [str(journal.path("T-1")), str(journal.path("T-2")), str(journal.tasks_dir)]
    )


def test_nested_blocks_sync_at_the_outermost_end(tmp_path: Path, fsyncs: list[str]) -> None:
    journal = Journal(tmp_path)
    with journal.deferred_sync():
        with journal.deferred_sync():
            write_a_task(journal, "T-1")
        assert fsyncs == []
    assert str(journal.path("T-1")) in fsyncs


def test_blocks_from_several_threads_end_with_everything_synced(
    tmp_path: Path, fsyncs: list[str]
) -> None:
    journal = Journal(tmp_path)
    inside = threading.Barrier(2)

    def run(task_id: str) -> None:
        with journal.deferred_sync():
            write_a_task(journal, task_id)
            inside.wait(timeout=30)

    threads = [threading.Thread(target=run, args=(f"T-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {str(journal.path("T-1")), str(journal.path("T-2"))} <= set(fsyncs)


def test_a_throwaway_journal_never_syncs(tmp_path: Path, fsyncs: list[str]) -> None:
    journal = Journal(tmp_path, durable=False)
    with journal.deferred_sync():
        write_a_task(journal, "T-1")
    write_a_task(journal, "T-2")
    assert fsyncs == []


def test_inside_a_block_entries_wait_in_the_log_and_its_end_folds_them(tmp_path: Path) -> None:
    journal = Journal(tmp_path, durable=False)
    log = tmp_path / ".pending" / "T-1.log"
    with journal.deferred_sync():
        journal.create(TaskRecord(id="T-1", title="t"))
        for n in range(2):
            journal.append("T-1", Entry(id=f"n{n}", kind=EntryKind.STARTED, text="x", at=AT))
        assert log.is_file()
        assert "entry: n0" not in journal.path("T-1").read_text(encoding="utf-8")
        record = journal.read("T-1")
        assert [e.id for e in record.entries] == ["n0", "n1"]
        assert record.status is TaskStatus.IN_PROGRESS
    assert not log.exists()
    text = journal.path("T-1").read_text(encoding="utf-8")
    assert text.index("entry: n0 ") < text.index("entry: n1 ")
    assert 'status = "🔵 In Progress"' in text


def test_a_close_inside_a_block_folds_the_entries_above_its_closing_block(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path, durable=False)
    with journal.deferred_sync():
        write_a_task(journal, "T-1")
        text = journal.path("T-1").read_text(encoding="utf-8")
        assert text.index("entry: n2 ") < text.index("**Status:**")
    assert not (tmp_path / ".pending" / "T-1.log").exists()


def test_flush_syncs_what_was_written_so_far_and_the_block_goes_on(
    tmp_path: Path, fsyncs: list[str]
) -> None:
    journal = Journal(tmp_path)
    with journal.deferred_sync():
        journal.create(TaskRecord(id="T-1", title="t"))
        journal.append("T-1", Entry(id="n0", kind=EntryKind.NOTE, text="x", at=AT))
        journal.flush()
        synced = set(fsyncs)
        assert str(journal.path("T-1")) in synced
        assert str(journal.tasks_dir) in synced
        fsyncs.clear()
        journal.flush()  # nothing written since
        assert fsyncs == []
        journal.append("T-1", Entry(id="n1", kind=EntryKind.NOTE, text="x", at=AT))
        assert fsyncs == []  # later writes skip fsync again
    assert fsyncs  # until the block ends


def test_a_flush_returns_only_once_a_flush_already_syncing_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path)
    syncing, release = threading.Event(), threading.Event()
    real = journal_files.sync_paths

    def slow_sync(paths: object) -> None:
        syncing.set()
        assert release.wait(10)
        real(paths)  # type: ignore[arg-type]

    monkeypatch.setattr(_writer, "sync_paths", slow_sync)
    with journal.deferred_sync():
        journal.create(TaskRecord(id="T-1", title="t"))
        first = threading.Thread(target=journal.flush)
        first.start()
        assert syncing.wait(10)
        # the second flush finds nothing left to sync, but the file is not on disk yet
        second = threading.Thread(target=journal.flush)
        second.start()
        second.join(0.2)
        assert second.is_alive()
        release.set()
        first.join(10)
        second.join(10)
        assert not second.is_alive()
        monkeypatch.setattr(_writer, "sync_paths", real)


def test_entries_appended_after_a_rewrite_folded_the_log_are_folded_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path)
    compacted: list[str] = []
    real = _writer.Writer.compact

    def compact(self: _writer.Writer, task_id: str, path: Path) -> bool:
        compacted.append(task_id)
        return real(self, task_id, path)

    monkeypatch.setattr(_writer.Writer, "compact", compact)
    with journal.deferred_sync():
        write_a_task(journal, "T-1")  # the close folds its log whole
        write_a_task(journal, "T-2")
        journal.append("T-2", Entry(id="late", kind=EntryKind.NOTE, text="after", at=AT))
    assert compacted == ["T-2"]  # T-1 had nothing left to fold
    assert list((tmp_path / ".pending").glob("*.log")) == []
    text = (tmp_path / "tasks" / "T-2.md").read_text(encoding="utf-8")
    assert all(f"<!-- entry: {e} " in text for e in ("n0", "n1", "n2", "late"))
    assert [e.id for e in journal.read("T-1").entries][:3] == ["n0", "n1", "n2"]


def test_a_new_task_file_is_not_parsed_again_at_its_next_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modegraph.journal import parse as parse_module

    parsed: list[str] = []
    real = parse_module.tomllib.loads

    def loads(text: str) -> dict[str, object]:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(parse_module.tomllib, "loads", loads)
    journal = Journal(tmp_path)
    with journal.deferred_sync():
        write_a_task(journal, "T-1")  # create, three appends, a close that folds them
    assert parsed == []  # the writer knew every table it wrote
    assert [e.id for e in Journal(tmp_path).read("T-1").entries][:3] == ["n0", "n1", "n2"]
    assert parsed  # a reader with no cache parses the file

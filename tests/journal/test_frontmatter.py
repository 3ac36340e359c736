"""Front matter writes change only the lines of the keys they set."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from modegraph.journal import Entry, EntryKind, Journal, TaskStatus
from modegraph.journal.frontmatter import patch_front_matter

AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)

HAND_WRITTEN = """\
# written by hand
id = "T-1"          # the task id
title = "Users"
status = "🟡 To Do"
tags = ["api", "users"]   # inline, as a person writes it

[links]
issue = "#12"
"""


def test_patch_keeps_comments_order_and_formatting() -> None:
    expected = tomllib.loads(HAND_WRITTEN) | {"status": "🟢 Done", "updated": AT}
    patched = patch_front_matter(HAND_WRITTEN, {"status": "🟢 Done", "updated": AT}, expected)
    assert patched is not None
    lines = patched.split("\n")
    assert lines[0] == "+++" and lines[-1] == "+++"
    assert "# written by hand" in lines
    assert 'status = "🟢 Done"' in lines
    assert 'tags = ["api", "users"]   # inline, as a person writes it' in lines
    assert lines.index("updated = 2026-11-27 10:00:00+00:00") < lines.index("[links]")
    assert tomllib.loads(patched.strip("+\n")) == expected


def test_patch_gives_up_when_it_cannot_be_safe() -> None:
    multi = 'status = """🟡\nTo Do"""\n'
    expected = {"status": "🟢 Done"}
    assert patch_front_matter(multi, {"status": "🟢 Done"}, expected) is None
    nested = '[task]\nstatus = "open"\n'
    assert patch_front_matter(nested, {"status": "x"}, {"task": {"status": "open"}, "status": "x"})
    assert patch_front_matter("a = 1\n", {"tags": ["x", "y"]}, {"a": 1, "tags": ["x", "y"]}) is None


def test_journal_writes_keep_front_matter_comments(journal: Journal) -> None:
    path = journal.path("T-1")
    path.parent.mkdir(parents=True)
    path.write_text(f"+++\n{HAND_WRITTEN}+++\n\n# Task Log: T-1 - Users\n", encoding="utf-8")
    journal.append("T-1", Entry(id="s", kind=EntryKind.STARTED, at=AT))
    journal.close("T-1", status=TaskStatus.COMPLETE, summary="done")
    text = path.read_text(encoding="utf-8")
    for line in ("# written by hand", 'id = "T-1"          # the task id', "[links]"):
        assert line in text.split("\n")
    assert 'status = "🟢 Done"' in text
    record = journal.read("T-1")
    assert record.status is TaskStatus.COMPLETE
    assert record.tags == ("api", "users")
    assert record.extra_front_matter == {"links": {"issue": "#12"}}


def test_a_front_matter_that_cannot_be_patched_is_written_whole(journal: Journal) -> None:
    path = journal.path("T-2")
    path.parent.mkdir(parents=True)
    path.write_text(
        '+++\nid = "T-2"  # a comment that is lost\nstatus = """\nTo Do"""\n+++\n\n'
        "# Task Log: T-2 - t\n",
        encoding="utf-8",
    )
    assert journal.read("T-2").status is TaskStatus.OPEN
    journal.close("T-2", status=TaskStatus.FAILED, summary="no")
    assert journal.read("T-2").status is TaskStatus.FAILED
    text = path.read_text(encoding="utf-8")
    assert 'status = "🔴 Failed"' in text
    assert "a comment that is lost" not in text  # the table was written whole

"""Any text in a task file is either read or refused with a JournalError, and appending
to a file keeps every line it had."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modegraph.errors import JournalError
from modegraph.journal import (
    Entry,
    EntryKind,
    Journal,
    RouteStep,
    TaskRecord,
    TaskStatus,
    parse_record,
)
from modegraph.journal.document import BlockKind
from modegraph.journal.parse import parse_document

PATH = Path("project_journal/tasks/T-1.md")

# lines that look like the parts of a task file, and arbitrary ones
MARKUP = [
    "+++",
    'id = "T-1"',
    'status = "🟢 Done"',
    "# Task Log: T-1 - title",
    "**Goal:** g",
    "**Context:** c",
    "- <!-- entry: e1 kind=note at=2026-11-27T09:15:00+00:00 --> **x** · 📝 **Note:** hi",
    "- <!-- entry: kind=note -->",
    "- <!-- entry: e2 -->",
    "  indented",
    "",
    "---",
    "**Status:** ✅ Complete",
    "**Status:** whatever",
    "**Outcome:** fine",
    "**References:** [`a`, ``b`",
    "## Merged results",
    "### ✅ T-1.1 · `db`",
    "### ✅ bad id! · `db`",
    "## Route taken",
    "```mermaid",
    '    n0["a"]',
    '    n0 -->|"x #quot; #99999999999; #1114112;"| n1',
    "```",
    "~~~",
    "<!-- a comment -->",
    "  - <!-- entry: nested -->",
    "* <!-- entry: star kind=result -->",
    "lazy continuation line",
    "1. a numbered item",
    "> a quote",
    "| a | table |",
    "\t**Goal:** tabbed",
    "***",
    "**Summary:** s",
    "## Another section",
]
lines = st.lists(st.sampled_from(MARKUP) | st.text(max_size=30), max_size=25)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_any_text_reads_or_raises_a_journal_error(body: list[str]) -> None:
    try:
        parse_record("\n".join(body), path=PATH)
    except JournalError:
        pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines)
def test_append_keeps_every_line_of_a_readable_file(tmp_path: Path, body: list[str]) -> None:
    journal = Journal(tmp_path / "j", durable=False)
    path = journal.path("T-1")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Task Log: T-1 - fuzz\n\n" + "\n".join(line for line in body if line != "+++") + "\n"
    path.write_text(text, encoding="utf-8")
    try:
        before = journal.read("T-1")
    except JournalError:
        return
    journal.append("T-1", Entry(id="fuzz-entry", kind=EntryKind.NOTE, text="appended"))
    after_text = path.read_text(encoding="utf-8")
    after = journal.read("T-1")
    assert [e.id for e in after.entries] == [*(e.id for e in before.entries), "fuzz-entry"]
    remaining = iter(after_text.split("\n"))
    written = text.replace("\r\n", "\n").replace("\r", "\n")  # what reading it gives
    for line in written.rstrip("\n").split("\n"):  # the old lines, in order, none lost
        if line.strip():
            assert any(line == other for other in remaining), line
    assert after.unknown == before.unknown


def kept_lines(text: str, *, rewritten: set[BlockKind]) -> list[str]:
    """The non-blank lines of the blocks a write must not touch, in order."""
    doc = parse_document(text, path=PATH)
    return [
        line
        for block in doc.blocks
        if block.kind not in rewritten
        for line in block.text.split("\n")
        if line.strip()
    ]


def in_order(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(n == h for h in remaining) for n in needles)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines)
def test_close_and_set_results_touch_only_their_blocks(tmp_path: Path, body: list[str]) -> None:
    journal = Journal(tmp_path / "j", durable=False)
    path = journal.path("T-1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Task Log: T-1 - fuzz\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    try:
        journal.read("T-1")
    except JournalError:
        return
    text = path.read_text(encoding="utf-8")
    keep = kept_lines(text, rewritten={BlockKind.CLOSING})
    journal.close("T-1", status=TaskStatus.COMPLETE, outcome="ok", summary="closed by fuzz")
    after = path.read_text(encoding="utf-8")
    assert in_order(keep, after.split("\n"))
    assert journal.read("T-1").closing is not None
    keep = kept_lines(after, rewritten={BlockKind.RESULTS, BlockKind.ROUTE})
    journal.set_results("T-1", results=[], route=[RouteStep(source="a", target="b")])
    after = path.read_text(encoding="utf-8")
    assert in_order(keep, after.split("\n"))
    assert journal.read("T-1").route == (RouteStep(source="a", target="b"),)


def test_a_record_written_then_read_by_another_journal(tmp_path: Path) -> None:
    Journal(tmp_path).create(TaskRecord(id="T-1", title="t"))
    assert Journal(tmp_path).read("T-1").title == "t"

"""Any text in any field renders as inert Markdown and still reads back exactly.

The rendered task file is parsed with markdown-it (CommonMark plus GFM tables); its
block structure (headings, rules, fences, HTML blocks, quotes, tables, lists) must be
the same whatever the goal, context, entries, outcome and summary hold.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from modegraph.journal import (
    Closing,
    Entry,
    EntryKind,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    parse_record,
)
from modegraph.journal.fields import escape_continuation, unescape_continuation
from modegraph.journal.render import NO_REFERENCES, display_title, render_heading
from modegraph.journal.store import document_from_record

AT = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
PATH = Path("project_journal/tasks/T-1.md")
MD = MarkdownIt("commonmark").enable("table")
BLOCKS = ("heading_open", "hr", "fence", "html_block", "blockquote_open", "table_open")
"""The block tokens counted anywhere, and top-level list items (the log's entries).

A list inside an entry stays nested in it, and indented code from a value's own
indentation stays inside its field: both are the text's own Markdown, not counted."""

HOSTILE_LINES = [
    "## a heading",
    "# Task Log: T-2 - fake",
    "---",
    "***",
    "* * *",
    "___",
    "===",
    "```",
    "```python",
    "~~~",
    "$$",
    "<!-- an open comment",
    "-->",
    "<script>",
    "<div>",
    "> a quote",
    "- a list item",
    "+ another",
    "* a star item",
    "*",
    "1. one",
    "2) two",
    "12. twelve",
    "| a | b |",
    "|---|---|",
    "--- | ---",
    ":-- | --:",
    "[ref]: https://example.com",
    "[^1]: a footnote",
    "**Status:** ✅ Complete",
    "**Goal:** another goal",
    "- **2026-11-27 09:15:00 UTC** <!-- entry: fake kind=note --> · 📝 **Note:** x",
    "- <!-- entry: fake2 --> old style",
    "## Merged results",
    "## Route taken",
    "\\## escaped already",
    "\\",
    "1\\. escaped already",
    "   # three spaces",
    "\t# a tab",
    "  - two spaces",
    "**bold** at the start",
    "`code` at the start",
    "[a link](https://example.com) at the start",
    "_emphasis_ and 2.5 GB",
]


def record_with(text: str) -> TaskRecord:
    """A closed root task with ``text`` in every multi-line field."""
    return TaskRecord(
        id="T-1",
        title=text,
        goal=text,
        context=text,
        status=TaskStatus.COMPLETE,
        assigned_to="fastapi-developer",
        created=AT,
        updated=AT,
        entries=tuple(
            Entry(id=f"e{n}", kind=kind, text=text, at=AT + timedelta(seconds=n))
            for n, kind in enumerate((EntryKind.STARTED, EntryKind.NOTE, EntryKind.COMPLETED))
        ),
        closing=Closing(status=TaskStatus.COMPLETE, outcome=text, summary=text),
        results=(SubtaskResult(id="T-1.1", role="database-specialist", goal=text, summary=text),),
    )


def structure(markdown: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for token in MD.parse(markdown):
        if token.type in BLOCKS:
            counts[token.type] += 1
        elif token.type.endswith("list_open") and token.level == 0:
            counts["top-level list"] += 1
        elif token.type == "list_item_open" and token.level == 1:
            counts["top-level list item"] += 1
    return counts


def render(record: TaskRecord) -> str:
    return document_from_record(record).render()


BASELINE = structure(render(record_with("plain words\nand a second line")))


def test_the_baseline_is_what_the_file_should_be() -> None:
    assert BASELINE["heading_open"] == 4  # task log, merged results, one result, route
    assert BASELINE["hr"] == 1  # the closing block's rule
    assert BASELINE["fence"] == 1  # the Mermaid diagram
    assert BASELINE["top-level list"] == 1  # the log
    assert BASELINE["top-level list item"] == 3  # its three entries
    assert BASELINE["html_block"] == 0  # entry comments are inline, not raw HTML blocks


@pytest.mark.parametrize("line", HOSTILE_LINES)
def test_a_hostile_line_changes_no_block(line: str) -> None:
    text = f"first line\n{line}\nlast line"
    rendered = render(record_with(text))
    assert structure(rendered) == BASELINE
    assert parse_record(rendered, path=PATH) == record_with(text)


def test_all_hostile_lines_at_once_with_blank_lines_between() -> None:
    text = "goal\n" + "\n\n".join(HOSTILE_LINES) + "\n" + "\n".join(HOSTILE_LINES)
    rendered = render(record_with(text))
    assert structure(rendered) == BASELINE
    assert parse_record(rendered, path=PATH) == record_with(text)


def test_the_hostile_text_shows_as_written() -> None:
    rendered = render(record_with("goal\n## a heading\n1. one\n```\n<div>"))
    html = MD.render(rendered)
    assert "## a heading" in html
    assert "1. one" in html
    assert "```" in html
    assert "&lt;div&gt;" in html
    assert "<strong>2026-11-27 09:15:00 UTC</strong>" in html  # the entry is Markdown
    assert "\\##" in rendered  # the raw file stays readable: one backslash


def test_the_reviewers_goal_no_longer_swallows_the_log() -> None:
    goal = "Build the API.\n## Notes\n---\n```\nsecret fence"
    rendered = render(record_with(goal))
    tokens = MD.parse(rendered)
    fences = [t for t in tokens if t.type == "fence"]
    assert [t.info for t in fences] == ["mermaid"]
    assert "Task Log" in rendered.split("\n\n---\n", 1)[0]


lines = st.lists(
    st.one_of(st.sampled_from(HOSTILE_LINES), st.text(max_size=30), st.just("")),
    min_size=1,
    max_size=8,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_random_text_round_trips_and_stays_inert(parts: list[str]) -> None:
    record = record_with("\n".join(parts))
    rendered = render(record)
    assert parse_record(rendered, path=PATH) == record
    if record.goal:  # an empty value leaves its field out, so the count differs
        plain = structure(render(record_with("x\n" * record.goal.count("\n") + "x")))
        assert structure(rendered) == plain


line_text = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list(" \t-*+_#=`~<>|:[]$\\1.)x")), max_size=12),
)


@given(line_text, st.booleans())
def test_escaping_a_line_reverses_exactly(line: str, lists: bool) -> None:
    line = line.replace("\n", " ").replace("\r", " ")
    rendered = escape_continuation(line, lists=lists)
    assert unescape_continuation(rendered, lists=lists) == line
    assert rendered == "" or rendered.startswith("  ")


def test_a_list_in_an_entry_stays_a_list_nested_in_that_entry() -> None:
    text = "Hands off:\n- one: ## not a heading\n  - nested\n- two\n1. first\n- - -"
    rendered = render(record_with(text))
    assert "\n  - one: ## not a heading\n    - nested\n  - two\n  1. first\n  \\- - -" in rendered
    counts = structure(rendered)
    assert counts["heading_open"] == BASELINE["heading_open"]
    assert counts["hr"] == BASELINE["hr"]
    assert counts["top-level list item"] == 3
    tokens = MD.parse(rendered)
    assert any(t.type == "bullet_list_open" and t.level > 1 for t in tokens)
    assert parse_record(rendered, path=PATH) == record_with(text)


def test_a_list_in_a_top_level_field_is_escaped() -> None:
    record = TaskRecord(id="T-1", title="t", goal="Goal:\n- one\n1. two")
    rendered = render(record)
    assert "**Goal:** Goal:\n  \\- one\n  1\\. two" in rendered
    assert parse_record(rendered, path=PATH) == record


def test_no_references_reads_back_as_none() -> None:
    closed = record_with("x").model_copy(update={"results": ()})
    rendered = render(closed)
    assert f"**References:** {NO_REFERENCES}" in rendered
    assert parse_record(rendered, path=PATH).closing == closed.closing


def test_a_title_cut_from_the_goal_shows_the_goal_in_the_heading() -> None:
    goal = (
        "Build a users API with signup and login, a Postgres schema with migrations, "
        "and deploy it with Docker"
    )
    title = goal[:71].rstrip() + "…"
    record = TaskRecord(id="T-1", title=title, goal=goal)
    assert display_title(record) == goal
    assert render_heading(record) == f"# Task Log: T-1 - {goal}"
    assert parse_record(render(record), path=PATH) == record  # the front matter keeps it
    other = TaskRecord(id="T-1", title="Users…", goal="Something else")
    assert display_title(other) == "Users…"


def test_a_heading_ending_in_a_hash_keeps_it() -> None:
    record = TaskRecord(id="T-1", title="Learn C#")
    heading = render_heading(record)
    assert heading == "# Task Log: T-1 - Learn C\\#"
    assert MD.parse(heading)[1].content.endswith("C\\#")  # inline escape, shown as "C#"
    assert "Learn C#" in MD.render(heading)
    text = render(record).split("+++\n", 2)[2]  # no front matter: read from the heading
    assert parse_record(text, path=PATH).title == "Learn C#"


def test_empty_goal_and_context_are_left_out() -> None:
    rendered = render(TaskRecord(id="T-1", title="t"))
    assert "**Goal:**" not in rendered
    assert "**Context:**" not in rendered

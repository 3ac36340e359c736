"""Rendering and parsing task files: the exact format, the round trip, odd text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modegraph.journal import (
    Closing,
    Entry,
    EntryKind,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    TaskType,
    parse_record,
)
from modegraph.journal.store import document_from_record

AT = datetime(2026, 11, 27, 9, 15, 0, tzinfo=UTC)
PATH = Path("project_journal/tasks/T.md")


def changed(record: TaskRecord, **changes: object) -> TaskRecord:
    """A copy with changes, validated (model_copy does not validate)."""
    return TaskRecord.model_validate(record.model_dump() | changes)


def render(record: TaskRecord) -> str:
    return document_from_record(record).render()


def roundtrip(record: TaskRecord) -> TaskRecord:
    return parse_record(render(record), path=PATH)


SMALL = TaskRecord(
    id="TASK-FASTAPI-20261127-091500",
    title="Users API",
    goal="Implement the users endpoints.",
    context="From the product brief.",
    status=TaskStatus.COMPLETE,
    assigned_to="fastapi-developer",
    created=AT,
    updated=AT + timedelta(minutes=5),
    tags=("api",),
    entries=(
        Entry(id="start", kind=EntryKind.STARTED, text="Started.", at=AT),
        Entry(
            id="handoff-1",
            kind=EntryKind.HANDOFF,
            text="Handed off to `database-specialist` because the schema needs migrations.",
            at=AT + timedelta(seconds=30),
        ),
    ),
    closing=Closing(
        status=TaskStatus.COMPLETE,
        outcome="Success",
        summary="Implemented `/users`.",
        references=("app/main.py", "app/models.py"),
    ),
)

EXPECTED = """\
+++
id = "TASK-FASTAPI-20261127-091500"
title = "Users API"
status = "🟢 Done"
type = "task"
assigned_to = "fastapi-developer"
created = 2026-11-27 09:15:00+00:00
updated = 2026-11-27 09:20:00+00:00
tags = [
    "api",
]
+++

# Task Log: TASK-FASTAPI-20261127-091500 - Users API

**Goal:** Implement the users endpoints.

**Context:** From the product brief.

- **2026-11-27 09:15:00 UTC** <!-- entry: start kind=started at=2026-11-27T09:15:00+00:00 --> · ▶️ **Started:** Started.
- **2026-11-27 09:15:30 UTC** <!-- entry: handoff-1 kind=handoff at=2026-11-27T09:15:30+00:00 --> · 🔀 **Handed off:** Handed off to `database-specialist` because the schema needs migrations.

---

**Status:** ✅ Complete

**Outcome:** Success

**Summary:** Implemented `/users`.

**References:** [`app/main.py`, `app/models.py`]
"""  # noqa: E501


def test_the_file_format_is_exactly_this() -> None:
    assert render(SMALL) == EXPECTED


def test_round_trip_of_the_small_record() -> None:
    assert roundtrip(SMALL) == SMALL


def test_round_trip_with_results_and_route() -> None:
    record = changed(
        SMALL,
        **{
            "results": (
                SubtaskResult(
                    id="TASK-FASTAPI-20261127-091500.1",
                    role="database-specialist",
                    goal="Design the users table.",
                    outcome="Success",
                    summary="Added `users` with a unique email.\n\nMigration `0001`.",
                    references=("migrations/0001.py",),
                ),
                SubtaskResult(
                    id="TASK-FASTAPI-20261127-091500.2",
                    role="security-specialist",
                    goal="OAuth2",
                    status=TaskStatus.BLOCKED,
                ),
            ),
            "route": (
                RouteStep(
                    source="fastapi-developer", target="database-specialist", reason="schema"
                ),
                RouteStep(
                    source="fastapi-developer", target="cicd-specialist", reason="no", refused=True
                ),
            ),
        },
    )
    text = render(record)
    assert "## Merged results" in text
    assert "### ✅ TASK-FASTAPI-20261127-091500.1 · `database-specialist`" in text
    assert "### ⚠️ TASK-FASTAPI-20261127-091500.2 · `security-specialist`" in text
    assert "## Route taken\n\n```mermaid\nflowchart LR\n" in text
    assert parse_record(text, path=PATH) == record


ODD = [
    'He said "hi" and left',
    "Rocket 🚀 launch ✅ with emoji 👩‍💻 and flags 🇫🇷",
    "a very long title " * 60,
    "line one\nline two\n\nline four",
    "# not a heading\n---\n**Status:** not a closing block\n## Merged results\n- <!-- entry: x -->",
    "tabs\tand `code` and | pipes | and [brackets] and <html> & entities #35;",
    "trailing backslash \\",
    "```\nunclosed fence",
    "+++\nnot front matter\n+++",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_titles_goals_and_entries_render_and_parse_back(text: str) -> None:
    record = changed(
        SMALL,
        **{
            "title": text,
            "goal": text,
            "context": text,
            "entries": (Entry(id="e", kind=EntryKind.NOTE, text=text, at=AT),),
            "closing": Closing(
                status=TaskStatus.FAILED, outcome=text, summary=text, references=(text,)
            ),
            "results": (SubtaskResult(id="T.1", role="r", goal=text, summary=text),),
            "route": (RouteStep(source="a", target="b", reason=text),),
        },
    )
    parsed = roundtrip(record)
    assert parsed == record
    heading = next(line for line in render(record).splitlines() if line.startswith("# Task Log:"))
    assert "\n" not in heading


def test_titles_on_one_line_in_the_heading() -> None:
    text = render(changed(SMALL, title="two\nlines"))
    assert "# Task Log: TASK-FASTAPI-20261127-091500 - two lines\n" in text
    assert 'title = "two\\nlines"' in text


texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80)
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,12}", fullmatch=True)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
entries = st.builds(Entry, id=ids, kind=st.sampled_from(EntryKind), text=texts, at=moments)
closings = st.builds(
    Closing,
    status=st.sampled_from(TaskStatus),
    outcome=texts,
    summary=texts,
    references=st.lists(texts, max_size=3).map(tuple),
)
results = st.builds(
    SubtaskResult,
    id=st.from_regex(r"T[0-9]{1,3}(\.[0-9])*", fullmatch=True),
    role=st.from_regex(r"[a-z][a-z-]{0,15}", fullmatch=True),
    goal=texts,
    status=st.sampled_from(TaskStatus),
    outcome=texts,
    summary=texts,
    references=st.lists(texts, max_size=2).map(tuple),
)
routes = st.builds(
    RouteStep,
    source=st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True),
    target=st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True),
    reason=texts,
    refused=st.booleans(),
)


@st.composite
def records(draw: st.DrawFn) -> TaskRecord:
    entry_list = draw(st.lists(entries, max_size=5, unique_by=lambda e: e.id))
    return TaskRecord(
        id=draw(st.from_regex(r"TASK-[A-Z]{1,8}-[0-9]{8}-[0-9]{6}(\.[0-9]){0,2}", fullmatch=True)),
        title=draw(texts),
        goal=draw(texts),
        context=draw(texts),
        status=draw(st.sampled_from(TaskStatus)),
        type=draw(st.sampled_from(TaskType)),
        assigned_to=draw(st.from_regex(r"[a-z][a-z-]{0,15}", fullmatch=True)),
        coordinator=draw(st.none() | st.just("TASK-X-20261127-091500")),
        created=draw(moments),
        updated=draw(moments),
        tags=tuple(draw(st.lists(texts, max_size=3))),
        entries=tuple(entry_list),
        closing=draw(st.none() | closings),
        results=tuple(draw(st.lists(results, max_size=3))),
        route=tuple(draw(st.lists(routes, max_size=3))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_any_record_round_trips(record: TaskRecord) -> None:
    parsed = roundtrip(record)
    if not record.results and record.route:
        assert parsed.route == record.route
    assert parsed == record

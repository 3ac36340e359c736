"""Render the parts of a task file as Markdown text.

Multi-line values follow one rule everywhere: the first line goes after the bold
label, every further line is indented by two spaces (blank lines stay blank). An
indented line can never be mistaken for the start of another part, so any text
(a line ``---``, a line ``**Status:** ...``, a heading) reads back as it was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from modegraph.journal.frontmatter import render_front_matter
from modegraph.journal.model import Closing, Entry, SubtaskResult, TaskRecord, TaskStatus
from modegraph.journal.route import render_route

__all__ = [
    "RESULTS_HEADING",
    "ROUTE_HEADING",
    "render_closing",
    "render_entry",
    "render_field",
    "render_front_matter",
    "render_goal_context",
    "render_heading",
    "render_references",
    "render_results",
    "render_route_section",
    "render_timestamp",
]

RESULTS_HEADING = "## Merged results"
"""The heading of the root task's merged-results section."""
ROUTE_HEADING = "## Route taken"
"""The heading of the root task's route diagram section."""


def render_field(label: str, value: str) -> str:
    """``**Label:** first line`` and the further lines indented by two spaces."""
    first, *rest = value.split("\n") if value else [""]
    lines = [f"**{label}:** {first}".rstrip()]
    lines += [f"  {line}" if line else "" for line in rest]
    return "\n".join(lines)


def render_timestamp(moment: datetime) -> str:
    """The visible timestamp of an entry: ``2026-11-27 09:15:00 UTC``."""
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def front_matter_of(record: TaskRecord) -> dict[str, Any]:
    """The front matter keys of a record, known keys first, then the extra ones."""
    front: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "status": record.status.front_matter_word,
        "type": record.type.value,
        "assigned_to": record.assigned_to,
        "coordinator": record.coordinator,
        "created": record.created,
        "updated": record.updated,
        "tags": list(record.tags),
    }
    for key, value in record.extra_front_matter.items():
        front.setdefault(key, value)
    return front


def render_heading(record: TaskRecord) -> str:
    """``# Task Log: <ID> - <title>``, the title on one line."""
    title = " ".join(record.title.split())
    return f"# Task Log: {record.id} - {title}" if title else f"# Task Log: {record.id}"


def render_goal_context(record: TaskRecord) -> tuple[str, str]:
    """The ``**Goal:**`` and ``**Context:**`` paragraphs."""
    return render_field("Goal", record.goal), render_field("Context", record.context)


def render_entry(entry: Entry) -> str:
    """One log entry: a list item that carries its id, kind and time in an HTML comment."""
    at = entry.at.isoformat()
    head = (
        f"- <!-- entry: {entry.id} kind={entry.kind.value} at={at} --> "
        f"**{render_timestamp(entry.at)}** · {entry.kind.emoji} "
    )
    return head + render_field(entry.kind.label, entry.text)


def _code_span(text: str) -> str:
    ticks = "`"
    while ticks in text:
        ticks += "`"
    if ticks == "`":
        return f"`{text}`"
    return f"{ticks} {text} {ticks}"


def render_references(references: Sequence[str]) -> str:
    """``[`a.py`, `b.py`]``, or ``None`` when there are none."""
    if not references:
        return "None"
    return "[" + ", ".join(_code_span(ref) for ref in references) + "]"


def render_closing(closing: Closing) -> str:
    """The closing block, in the seed's format."""
    parts = [
        "---",
        render_field("Status", closing.status.closing_word),
        render_field("Outcome", closing.outcome),
        render_field("Summary", closing.summary),
        render_field("References", render_references(closing.references)),
    ]
    return "\n\n".join(parts)


def _status_emoji(status: TaskStatus) -> str:
    return status.closing_word.split(" ", 1)[0] if status.is_final else "⏳"


def render_results(results: Sequence[SubtaskResult]) -> str:
    """The merged-results section: one ``###`` part per subtask."""
    parts = [RESULTS_HEADING]
    if not results:
        parts.append("No subtasks.")
    for result in results:
        role = _code_span(result.role)
        fields = [
            f"### {_status_emoji(result.status)} {result.id} · {role}",
            render_field("Goal", result.goal),
            render_field("Status", result.status.closing_word),
        ]
        if result.outcome:
            fields.append(render_field("Outcome", result.outcome))
        fields += [
            render_field("Summary", result.summary),
            render_field("References", render_references(result.references)),
        ]
        parts.append("\n\n".join(fields))
    return "\n\n".join(parts)


def render_route_section(record: TaskRecord) -> str:
    """The route section: heading and Mermaid diagram."""
    return f"{ROUTE_HEADING}\n\n{render_route(record.route, root_role=record.assigned_to)}"

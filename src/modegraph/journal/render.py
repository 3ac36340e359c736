"""Render the parts of a task file as Markdown text.

Multi-line values follow one rule everywhere: the first line goes after the bold
label, every further line is indented by two spaces (blank lines stay blank) and made
inert for Markdown (`modegraph.journal.fields.escape_continuation`: a first character
that could start a block gets a backslash). An indented line can never be mistaken for
the start of another part, and no line of a value can become a heading, a rule or a
fence when the file is shown as Markdown, so any text (a line ``---``, a line
``**Status:** ...``, a heading, a ```` ``` ```` fence) shows and reads back as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from modegraph.journal.fields import escape_continuation
from modegraph.journal.frontmatter import render_front_matter
from modegraph.journal.model import Closing, Entry, SubtaskResult, TaskRecord, TaskStatus
from modegraph.journal.route import ROUTE_LEGEND, render_route

__all__ = [
    "FULL_TITLE_WIDTH",
    "NO_REFERENCES",
    "RESULTS_HEADING",
    "ROUTE_HEADING",
    "display_title",
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
FULL_TITLE_WIDTH = 160
"""The longest goal `display_title` shows in place of a title cut from it."""


def render_field(label: str, value: str, *, lists: bool = False) -> str:
    """``**Label:** first line`` and the further lines, indented and escaped.

    Args:
        label: The bold label.
        value: The (normalised) text; may span several lines.
        lists: Keep list markers (inside a log entry, see `escape_continuation`).
    """
    first, *rest = value.split("\n") if value else [""]
    lines = [f"**{label}:** {first}".rstrip()]
    lines += [escape_continuation(line, lists=lists) for line in rest]
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


def display_title(record: TaskRecord) -> str:
    """The title on one line; a title cut short with ``…`` from the goal shows the goal.

    The coordinator titles a task with its goal cut to a few dozen characters; a heading
    that stops mid-word says less than the goal's own line, so when the title is such a
    cut and the goal's text is at most `FULL_TITLE_WIDTH` characters, the goal is shown.
    """
    title = " ".join(record.title.split())
    if title.endswith("…"):
        goal = " ".join(record.goal.split())
        stem = title[:-1].rstrip()
        if stem and goal.startswith(stem) and len(goal) <= FULL_TITLE_WIDTH:
            return goal
    return title


def render_heading(record: TaskRecord) -> str:
    """``# Task Log: <ID> - <title>``, the title (`display_title`) on one line.

    A title ending in ``#`` gets a backslash before that ``#``, which Markdown would
    otherwise take for the end of the heading and hide.
    """
    title = display_title(record)
    if title.endswith("#"):
        title = title[:-1] + "\\#"
    return f"# Task Log: {record.id} - {title}" if title else f"# Task Log: {record.id}"


def render_goal_context(record: TaskRecord) -> tuple[str, str]:
    """The ``**Goal:**`` and ``**Context:**`` paragraphs; ``""`` for an empty one."""
    goal = render_field("Goal", record.goal) if record.goal else ""
    context = render_field("Context", record.context) if record.context else ""
    return goal, context


def render_entry(entry: Entry) -> str:
    """One log entry: a list item that carries its id, kind and time in an HTML comment.

    The comment follows the visible timestamp: a list item that began with ``<!--``
    would be a raw HTML block in Markdown, its ``**bold**`` shown as asterisks.
    """
    at = entry.at.isoformat()
    head = (
        f"- **{render_timestamp(entry.at)}** "
        f"<!-- entry: {entry.id} kind={entry.kind.value} at={at} --> · {entry.kind.emoji} "
    )
    return head + render_field(entry.kind.label, entry.text, lists=True)


def _code_span(text: str) -> str:
    ticks = "`"
    while ticks in text:
        ticks += "`"
    if ticks == "`":
        return f"`{text}`"
    return f"{ticks} {text} {ticks}"


NO_REFERENCES = "none (no files created or modified)"
"""What ``**References:**`` says when there are none (read back as no references)."""


def render_references(references: Sequence[str]) -> str:
    """``[`a.py`, `b.py`]``, or `NO_REFERENCES` when there are none."""
    if not references:
        return NO_REFERENCES
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
        fields.append(render_field("Summary", result.summary))
        if result.references:
            fields.append(render_field("References", render_references(result.references)))
        parts.append("\n\n".join(fields))
    return "\n\n".join(parts)


def render_route_section(record: TaskRecord) -> str:
    """The route section: heading, Mermaid diagram and a one-line legend."""
    diagram = render_route(record.route, root_role=record.assigned_to)
    return f"{ROUTE_HEADING}\n\n{diagram}\n\n{ROUTE_LEGEND}"

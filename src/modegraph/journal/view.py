r"""Rich renderings of the task journal for the terminal (`modegraph journal list` and `show`).

Every text of a task file is printed through `shown`: control characters a goal or a
summary holds (ANSI escapes, backspaces, bidi overrides) appear as escapes such as
`\x1b`, never acted on by the terminal; the task file keeps them unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rich import box
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from modegraph._terminal import shown
from modegraph.journal import Closing, EntryKind, SubtaskResult, TaskRecord, TaskStatus
from modegraph.journal.render import display_title
from modegraph.modes.model import EdgeKind

__all__ = ["render_task", "task_table"]

_STATUS_STYLE = {
    TaskStatus.OPEN: "yellow",
    TaskStatus.IN_PROGRESS: "blue",
    TaskStatus.WAITING_APPROVAL: "magenta",
    TaskStatus.COMPLETE: "green",
    TaskStatus.BLOCKED: "yellow",
    TaskStatus.FAILED: "red",
    TaskStatus.INCOMPLETE: "dark_orange",
    TaskStatus.UNASSIGNED: "magenta",
}
_KIND_STYLE = {
    EntryKind.REFUSED: "red",
    EntryKind.TOOL_REFUSED: "red",
    EntryKind.APPROVAL_REFUSED: "red",
    EntryKind.FAILED: "red",
    EntryKind.BLOCKED: "yellow",
    EntryKind.COMPLETED: "green",
    EntryKind.UNCOVERED: "dark_orange",
    EntryKind.HANDOFF: "cyan",
    EntryKind.RESULT: "cyan",
}


def _text(text: str, style: str = "") -> Text:
    """One line of the file's text, control characters escaped."""
    return Text(shown(text), style=style)


def _markdown(text: str) -> Markdown:
    """Markdown of the file's text, control characters other than line breaks escaped."""
    return Markdown(shown(text, keep="\n\t"))


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S}"


def _status(status: TaskStatus) -> Text:
    return Text(status.front_matter_word, style=_STATUS_STYLE[status])


def task_table(records: Sequence[TaskRecord], *, width: int = 120) -> RenderableType:
    """The `journal list` view: id, title, status, role, updated (UTC), newest first.

    A table on a wide terminal; two lines a task below 110 columns.
    """
    count = f"{len(records)} task{'s' if len(records) != 1 else ''}"
    if width < 110:
        return _task_lines(records, count)
    table = Table(
        title=count,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
    )
    table.add_column("id", no_wrap=True, style="bold")
    table.add_column("title", overflow="fold", min_width=8)
    table.add_column("status", no_wrap=True)
    table.add_column("role", no_wrap=True)
    table.add_column("updated (UTC)", no_wrap=True)
    for record in records:
        table.add_row(
            _text(record.id),
            _text(_short_title(record)),
            Text(record.status.value, style=_STATUS_STYLE[record.status]),
            _text(record.assigned_to),
            f"{record.updated:%Y-%m-%d %H:%M}" if record.updated else "",
        )
    return table


def _short_title(record: TaskRecord) -> str:
    title = " ".join(record.title.split())
    return title if len(title) <= 80 else title[:79] + "…"


def _task_lines(records: Sequence[TaskRecord], count: str) -> Group:
    lines: list[RenderableType] = [Text(count, style="italic")]
    for record in records:
        head = _text(record.id, style="bold")
        head.append("  ")
        head.append(record.status.value, style=_STATUS_STYLE[record.status])
        if record.assigned_to:
            head.append(f"  {shown(record.assigned_to)}", style="cyan")
        lines.append(head)
        body = Text("  ")
        if record.updated:
            body.append(f"{record.updated:%Y-%m-%d %H:%M}  ", style="dim")
        body.append(shown(_short_title(record)))
        lines.append(body)
    return Group(*lines)


def _facts(record: TaskRecord, path: Path, subtasks: Sequence[str]) -> Table:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    facts.add_row("status", _status(record.status))
    facts.add_row("type", record.type.value)
    facts.add_row("role", _text(record.assigned_to or "-"))
    if record.coordinator:
        facts.add_row("coordinator", _text(record.coordinator))
    if subtasks:
        facts.add_row("subtasks", _text(", ".join(subtasks)))
    facts.add_row("created", f"{_when(record.created)} UTC" if record.created else "-")
    facts.add_row("updated", f"{_when(record.updated)} UTC" if record.updated else "-")
    if record.tags:
        facts.add_row("tags", _text(", ".join(record.tags)))
    facts.add_row("file", _text(str(path)))
    return facts


def _entries(record: TaskRecord) -> Table:
    table = Table(title="Log", title_justify="left", expand=True)
    table.add_column("time (UTC)", no_wrap=True, style="dim")
    table.add_column("event", no_wrap=True)
    table.add_column("what happened", overflow="fold", ratio=1)
    for entry in record.entries:
        kind = Text(f"{entry.kind.emoji} {entry.kind.label}", style=_KIND_STYLE.get(entry.kind, ""))
        table.add_row(_when(entry.at), kind, _markdown(entry.text) if entry.text else Text(""))
    return table


def _closing(closing: Closing) -> Panel:
    body = Table.grid(padding=(0, 2))
    body.add_column(style="bold", no_wrap=True)
    body.add_column(overflow="fold")
    body.add_row("Status", Text(closing.status.closing_word, style=_STATUS_STYLE[closing.status]))
    if closing.outcome:
        body.add_row("Outcome", _text(closing.outcome))
    if closing.summary:
        body.add_row("Summary", _markdown(closing.summary))
    body.add_row("References", _text(", ".join(closing.references) or "none"))
    return Panel(
        body, title="Closing", title_align="left", border_style=_STATUS_STYLE[closing.status]
    )


def _results(results: Sequence[SubtaskResult]) -> Group:
    parts: list[RenderableType] = [Text("Merged results", style="bold italic")]
    for result in results:
        head = Text("  ")
        head.append(result.status.closing_word, style=_STATUS_STYLE[result.status])
        head.append(f" {shown(result.id)} ", style="bold")
        head.append(shown(result.role), style="cyan")
        parts.append(head)
        body = Table.grid(padding=(0, 2))
        body.add_column(no_wrap=True)
        body.add_column(style="dim", no_wrap=True)
        body.add_column(overflow="fold")
        if result.goal:
            body.add_row("", "goal", _markdown(result.goal))
        if result.outcome:
            body.add_row("", "outcome", _text(result.outcome))
        if result.summary:
            body.add_row("", "summary", _markdown(result.summary))
        if result.references:
            body.add_row("", "references", _text(", ".join(result.references)))
        parts.append(body)
    return Group(*parts)


def _route(record: TaskRecord) -> Group:
    lines: list[RenderableType] = [Text("Route taken", style="bold italic")]
    for step in record.route:
        line = Text("  ")
        line.append(shown(step.source), style="bold")
        if step.refused:
            line.append(" ✕ ", style="yellow")
            line.append(shown(step.target), style="bold yellow")
            line.append("  refused", style="yellow")
        elif step.kind is EdgeKind.DELEGATE:
            line.append(" ⇒ ", style="blue")
            line.append(shown(step.target), style="bold")
            line.append("  delegated", style="blue")
        elif step.kind is EdgeKind.ESCALATE:
            line.append(" → ", style="red")
            line.append(shown(step.target), style="bold")
            line.append("  escalated", style="red")
        else:
            line.append(" → ", style="dim")
            line.append(shown(step.target), style="bold")
        if step.reason:
            line.append(f": {shown(' '.join(step.reason.split()))}", style="dim")
        lines.append(line)
    return Group(*lines)


def render_task(record: TaskRecord, *, path: Path, subtasks: Sequence[str] = ()) -> Group:
    """The `journal show` view of one task."""
    title = _text(record.id, style="bold")
    if record.title:
        title.append(f" - {shown(display_title(record))}", style="")
    parts: list[RenderableType] = [
        Panel(_facts(record, path, subtasks), title=title, title_align="left")
    ]
    if record.goal:
        parts.append(Panel(_markdown(record.goal), title="Goal", title_align="left"))
    if record.context:
        parts.append(Panel(_markdown(record.context), title="Context", title_align="left"))
    if record.entries:
        parts.append(_entries(record))
    for text in record.unknown:
        parts.append(Panel(_markdown(text), title="Notes (hand-written)", title_align="left"))
    if record.closing is not None:
        parts.append(_closing(record.closing))
    if record.results:
        parts.append(_results(record.results))
    if record.route:
        parts.append(_route(record))
    return Group(*parts)

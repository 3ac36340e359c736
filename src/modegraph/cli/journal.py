"""`modegraph journal ...`: list the task journal and show one task.

```
modegraph journal list [--status S] [--json] [--journal DIR]
modegraph journal show TASK-ID [--raw | --json] [--journal DIR]
```

`--json` prints one JSON document: an array of task summaries for `list`, the whole
task for `show` (see the README's "The task journal" section for the fields).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from modegraph._terminal import shown
from modegraph.cli._common import EXIT_INPUT, EXIT_USAGE, FLAG, JsonOption, fail, print_json
from modegraph.errors import JournalError

if TYPE_CHECKING:
    from modegraph.journal import Journal, TaskRecord, TaskStatus

__all__ = ["JournalOption", "app", "task_summary"]

app = typer.Typer(
    help="Read the task journal: project_journal/tasks/<TASK-ID>.md.",
    no_args_is_help=True,
    add_completion=False,
)

JournalOption = Annotated[
    Path | None,
    typer.Option(
        "--journal",
        help="The journal directory; task files are under DIR/tasks/ "
        "(default: project_journal at the project root).",
        show_default=False,
    ),
]
"""`--journal DIR`: the journal root, `<project root>/project_journal` by default."""

DEFAULT_JOURNAL = Path("project_journal")
"""The default of `--journal` (the same as `modegraph.journal.DEFAULT_JOURNAL_ROOT`)."""

StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="Only tasks with this status: open, in_progress, waiting_approval, complete, "
        "blocked, failed (MDTM words such as 'done' work too).",
        show_default=False,
    ),
]


def _journal(root: Path | None) -> Journal:
    from modegraph.cli._common import default_journal_root
    from modegraph.journal import Journal

    where = root if root is not None else default_journal_root()
    try:
        a_file = where.exists() and not where.is_dir()
    except OSError:  # a name too long: reading the journal says so
        a_file = False
    if a_file:
        from modegraph.cli._common import EXIT_USAGE, fail

        fail(
            f"--journal {where} is a file, not a directory; pass the journal folder "
            "(the one holding tasks/)",
            EXIT_USAGE,
        )
    return Journal(where)


def _status(word: str | None) -> TaskStatus | None:
    from modegraph.journal import TaskStatus

    if word is None:
        return None
    try:
        return TaskStatus.parse(word)
    except ValueError as exc:
        fail(f"--status: {exc}", EXIT_USAGE)


def task_summary(record: TaskRecord, *, path: Path) -> dict[str, Any]:
    """One task as `journal list --json` prints it."""
    return {
        "id": record.id,
        "title": record.title,
        "status": record.status.value,
        "type": record.type.value,
        "assigned_to": record.assigned_to,
        "coordinator": record.coordinator,
        "created": record.created.isoformat() if record.created else None,
        "updated": record.updated.isoformat() if record.updated else None,
        "tags": list(record.tags),
        "entries": len(record.entries),
        "path": str(path),
    }


@app.command("list")
def list_tasks(
    status: StatusOption = None,
    json_out: JsonOption = False,
    journal: JournalOption = None,
) -> None:
    """List the tasks of the journal, newest first: id, title, status, role, updated."""
    from modegraph.journal.view import task_table

    store = _journal(journal)
    wanted = _status(status)
    err = Console(stderr=True, highlight=False)

    def warn(problem: JournalError) -> None:
        message = Text("warning: ", style="yellow")
        message.append(f"skipped an unreadable task file: {shown(str(problem))}")
        err.print(message, soft_wrap=True)

    try:
        records = store.list(status=wanted, on_error=warn)
    except JournalError as exc:  # pragma: no cover - on_error catches file problems
        fail(str(exc), EXIT_INPUT)
    except OSError as exc:  # the directory itself: a name too long, no permission
        fail(_unreadable(store.root, exc), EXIT_INPUT)
    if json_out:
        print_json([task_summary(r, path=store.path(r.id)) for r in records])
        return
    console = Console(highlight=False)
    if not records:
        where = store.tasks_dir
        which = f" with status {wanted.value}" if wanted else ""
        console.print(f"No tasks{which} in {shown(str(where))}.", markup=False)
        return
    console.print(task_table(records, width=console.width))


@app.command("show")
def show_task(
    task_id: Annotated[str, typer.Argument(metavar="TASK-ID", help="The task to show.")],
    raw: Annotated[
        bool, typer.Option("--raw", metavar=FLAG, help="Print the Markdown file as it is.")
    ] = False,
    json_out: JsonOption = False,
    journal: JournalOption = None,
) -> None:
    """Show one task: its goal, log, closing block, merged results and route."""
    if raw and json_out:
        fail("--raw and --json cannot be used together; pick one", EXIT_USAGE)
    store = _journal(journal)
    try:
        record = store.read(task_id)
        path = store.path(task_id)
        if raw:  # with entries that still wait in the task's append log, if any
            text = store.text(task_id)
            # as it is for a pipe; on a terminal, control characters are shown, not obeyed
            sys.stdout.write(shown(text, keep="\n\t") if sys.stdout.isatty() else text)
            sys.stdout.flush()
            return
    except JournalError as exc:
        fail(str(exc), EXIT_INPUT)
    except OSError as exc:
        fail(_unreadable(store.root, exc), EXIT_INPUT)
    if json_out:
        data = record.model_dump(mode="json")
        data["path"] = str(path)
        data["subtasks"] = _children(store, task_id)
        print_json(data)
        return
    from modegraph.journal.view import render_task

    Console(highlight=False).print(
        render_task(record, path=path, subtasks=_children(store, task_id))
    )


def _unreadable(journal: Path, exc: OSError) -> str:
    return (
        f"cannot read the journal {journal}: {exc.strerror or exc}; pass an existing --journal DIR"
    )


def _children(store: Journal, task_id: str) -> list[str]:
    """Direct subtasks of a task: ids `<task_id>.<n>`, in number order."""
    prefix = f"{task_id}."
    children = [i for i in store.ids() if i.startswith(prefix) and i[len(prefix) :].isdigit()]
    return sorted(children, key=lambda i: int(i[len(prefix) :]))
